/* Instances as printable strings, "NAME@REV.HASH:STATE[<PREVIOUS]#SEQ",
 * for any text column; and the restart fallback of transient states. */
#include "model.h"

#include <string.h>

static size_t decimal_len(uint32_t v)
{
    size_t n = 1;
    for (; v >= 10; v /= 10)
        n++;
    return n;
}

/* Writes the n (decimal_len) digits of v at p; returns their end. */
static char *put_decimal(char *p, uint32_t v, size_t n)
{
    char *digit = p + n;
    do {
        *--digit = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p + n;
}

static char *put_text(char *p, const char *text, size_t len)
{
    memcpy(p, text, len);
    return p + len;
}

/* NAME@REV.HASH:STATE[<PREVIOUS]#SEQ, written in place once its length is
 * known to fit. */
int dosm_encode(const dosm_def *d, const dosm_instance *inst, char *buf,
                size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t name_len, id_len, prev_len = 0, rev_len, seq_len;
    const char *prev = NULL;
    char *p = buf;
    int i, rc;
    if (!buf || !size)
        return DOSM_E_ARG;
    buf[0] = '\0';
    if ((rc = instance_check(d, inst)) != DOSM_OK)
        return rc;
    name_len = d->name_len;
    id_len = d->hot[inst->state].id_len;
    if (inst->previous != DOSM_NO_STATE) {
        prev = d->hot[inst->previous].id;
        prev_len = d->hot[inst->previous].id_len;
    }
    rev_len = decimal_len(d->revision);
    seq_len = decimal_len(inst->seq);
    /* "@", ".", 8 hex digits, ":", "#", the NUL, and "<" with a previous */
    if (name_len + rev_len + id_len + (prev ? prev_len + 1 : 0) + seq_len +
            13 > size)
        return DOSM_E_BUFFER;
    p = put_text(p, d->name, name_len);
    *p++ = '@';
    p = put_decimal(p, d->revision, rev_len);
    *p++ = '.';
    for (i = 0; i < 8; i++)
        *p++ = hex[(d->hash >> (28 - 4 * i)) & 0xF];
    *p++ = ':';
    p = put_text(p, d->hot[inst->state].id, id_len);
    if (prev) {
        *p++ = '<';
        p = put_text(p, prev, prev_len);
    }
    *p++ = '#';
    p = put_decimal(p, inst->seq, seq_len);
    *p = '\0';
    return DOSM_OK;
}

/* A cursor over the text being decoded. */
typedef struct scan {
    const char *p;
} scan;

/* The classes of the characters of a snapshot, by byte (NUL and any byte
 * not listed are in none). */
enum { NAME_CHAR = 1, STATE_CHAR = 2, DIGIT = 4, HEX = 8 };
#define C_DIGIT (NAME_CHAR | STATE_CHAR | DIGIT | HEX)
#define C_AF (NAME_CHAR | HEX)
static const unsigned char char_class[256] = {
    ['-'] = NAME_CHAR, ['_'] = STATE_CHAR,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT,
    ['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT,
    ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['a'] = C_AF, ['b'] = C_AF, ['c'] = C_AF, ['d'] = C_AF, ['e'] = C_AF,
    ['f'] = C_AF, ['g'] = NAME_CHAR, ['h'] = NAME_CHAR, ['i'] = NAME_CHAR,
    ['j'] = NAME_CHAR, ['k'] = NAME_CHAR, ['l'] = NAME_CHAR, ['m'] = NAME_CHAR,
    ['n'] = NAME_CHAR, ['o'] = NAME_CHAR, ['p'] = NAME_CHAR, ['q'] = NAME_CHAR,
    ['r'] = NAME_CHAR, ['s'] = NAME_CHAR, ['t'] = NAME_CHAR, ['u'] = NAME_CHAR,
    ['v'] = NAME_CHAR, ['w'] = NAME_CHAR, ['x'] = NAME_CHAR, ['y'] = NAME_CHAR,
    ['z'] = NAME_CHAR,
    ['A'] = STATE_CHAR, ['B'] = STATE_CHAR, ['C'] = STATE_CHAR,
    ['D'] = STATE_CHAR, ['E'] = STATE_CHAR, ['F'] = STATE_CHAR,
    ['G'] = STATE_CHAR, ['H'] = STATE_CHAR, ['I'] = STATE_CHAR,
    ['J'] = STATE_CHAR, ['K'] = STATE_CHAR, ['L'] = STATE_CHAR,
    ['M'] = STATE_CHAR, ['N'] = STATE_CHAR, ['O'] = STATE_CHAR,
    ['P'] = STATE_CHAR, ['Q'] = STATE_CHAR, ['R'] = STATE_CHAR,
    ['S'] = STATE_CHAR, ['T'] = STATE_CHAR, ['U'] = STATE_CHAR,
    ['V'] = STATE_CHAR, ['W'] = STATE_CHAR, ['X'] = STATE_CHAR,
    ['Y'] = STATE_CHAR, ['Z'] = STATE_CHAR};

static ALWAYS_INLINE int is_a(char c, unsigned cls)
{
    return (char_class[(unsigned char)c] & cls) != 0;
}

/* The number of characters of class cls from the cursor on. */
static ALWAYS_INLINE size_t span(const scan *s, unsigned cls)
{
    size_t n = 0;
    while (is_a(s->p[n], cls))
        n++;
    return n;
}

static int number(scan *s, uint32_t *out, size_t max_digits)
{
    size_t n = span(s, DIGIT), i;
    uint64_t v = 0;
    /* No leading zeros: one snapshot, one string, so hosts may compare. */
    if (n == 0 || n > max_digits || (n > 1 && s->p[0] == '0'))
        return 0;
    for (i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(s->p[i] - '0');
    if (v > UINT32_MAX)
        return 0;
    s->p += n;
    *out = (uint32_t)v;
    return 1;
}

static int expect(scan *s, char c)
{
    if (*s->p != c)
        return 0;
    s->p++;
    return 1;
}

int dosm_decode(const dosm_def *d, const char *text, dosm_instance *inst,
                dosm_error *error)
{
    scan s;
    size_t n, k;
    uint32_t rev, seq, hash = 0;
    const char *state_id, *prev_id = NULL;
    size_t state_len, prev_len = 0;
    int32_t st, prev = (int32_t)DOSM_NO_STATE;

    if (!d || !text || !inst) {
        dosm__error_set(error, DOSM_E_ARG, "dosm_decode needs a definition, a "
                                     "string and an instance");
        return DOSM_E_ARG;
    }
    s.p = text;
    /* The workflow's name and '@' are the usual start; any other start is
     * malformed or another workflow's (a name is all name characters: the
     * loader checked it). */
    n = d->name_len;
    if (strncmp(text, d->name, n) != 0 || text[n] != '@') {
        n = span(&s, NAME_CHAR);
        if (n == 0 || s.p[n] != '@')
            goto malformed;
        dosm__error_set(error, DOSM_E_WORKFLOW,
                  "the snapshot is of another workflow, not %s", d->name);
        return DOSM_E_WORKFLOW;
    }
    s.p += n + 1;
    if (!number(&s, &rev, 10) || !expect(&s, '.') || span(&s, HEX) != 8)
        goto malformed;
    for (k = 0; k < 8; k++) {
        char c = *s.p++;
        hash = hash * 16 + (uint32_t)(is_a(c, DIGIT) ? c - '0' : c - 'a' + 10);
    }
    if (!expect(&s, ':'))
        goto malformed;
    state_id = s.p;
    state_len = span(&s, STATE_CHAR);
    s.p += state_len;
    if (expect(&s, '<')) {
        prev_id = s.p;
        prev_len = span(&s, STATE_CHAR);
        s.p += prev_len;
        if (prev_len == 0)
            goto malformed;
    }
    if (state_len == 0 || !expect(&s, '#') || !number(&s, &seq, 10) ||
        *s.p != '\0')
        goto malformed;
    if (rev == 0) {
        dosm__error_set(error, DOSM_E_REVISION, "the snapshot is of revision "
                        "0 of %s, but revisions start at 1", d->name);
        return DOSM_E_REVISION;
    }
    /* 0.1.0 wrote the hash that did not delimit names (hash_0_1). */
    if (rev > d->revision ||
        (rev == d->revision && hash != d->hash && hash != d->hash_0_1)) {
        dosm__error_set(error, DOSM_E_REVISION,
                  rev > d->revision
                      ? "the snapshot is of revision %u of %s, newer than "
                        "this definition (%u)"
                      : "the snapshot is of revision %u of %s, but that "
                        "revision had other content (edited without a new "
                        "revision?)",
                  rev, d->name, d->revision);
        return DOSM_E_REVISION;
    }
    st = dosm__state_by_id(d, state_id, state_len, rev < d->revision);
    if (prev_id)
        prev = dosm__state_by_id(d, prev_id, prev_len, rev < d->revision);
    if (st < 0 || (prev_id && prev < 0)) {
        dosm__error_set(error, DOSM_E_NAME, "the snapshot names a state that %s@%u "
                                      "does not have",
                  d->name, d->revision);
        return DOSM_E_NAME;
    }
    /* Two old states folded into one (renamed_from) can make the previous
     * state the order's own: a step back would stay, so there is none. A
     * string that names one state twice decodes as it was encoded. */
    if (prev == st && (prev_len != state_len ||
                       memcmp(prev_id, state_id, state_len) != 0))
        prev = (int32_t)DOSM_NO_STATE;
    inst->state = (uint16_t)st;
    inst->previous = (int16_t)prev;
    inst->seq = seq;
    if (error)
        memset(error, 0, sizeof *error);
    return DOSM_OK;
malformed:
    dosm__error_set(error, DOSM_E_SNAPSHOT,
              "malformed snapshot at character %u: expected "
              "NAME@REVISION.HASH:STATE#SEQ",
              (unsigned)(s.p - text) + 1);
    return DOSM_E_SNAPSHOT;
}

int dosm_restart(const dosm_def *d, dosm_instance *inst, int64_t now,
                 dosm_outcome *outcome)
{
    dosm_request req;
    memset(&req, 0, sizeof req);
    req.now = now;
    return dosm__step(d, NULL, inst, STEP_FALLBACK, &req, outcome, STEP_APPLY);
}

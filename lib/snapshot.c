/* Instances as printable strings, "NAME@REV.HASH:STATE[<PREVIOUS]#SEQ",
 * for any text column; and the restart fallback of transient states. */
#include "model.h"

#include <string.h>

/* Writes the decimal digits of v backwards, ending before end; returns
 * where they start. Two digits a step: a division is the cost. */
static char *decimal(char *end, uint32_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021"
                                "22232425262728293031323334353637383940414243"
                                "44454647484950515253545556575859606162636465"
                                "66676869707172737475767778798081828384858687"
                                "888990919293949596979899";
    for (; v >= 100; v /= 100) {
        end -= 2;
        memcpy(end, pairs + 2 * (size_t)(v % 100), 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, pairs + 2 * (size_t)v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

static char *put_text(char *p, const char *text, size_t len)
{
    memcpy(p, text, len);
    return p + len;
}

int dosm__snapshot_head(dosm_def *d)
{
    static const char hex[] = "0123456789abcdef";
    char digits[10], *end = digits + sizeof digits;
    const char *rev = decimal(end, d->revision);
    size_t i;
    char *p;
    /* "@", ".", 8 hex digits and ":" */
    d->head_len = (uint32_t)(d->name_len + (size_t)(end - rev) + 11);
    d->snapshot_head = p = dosm__arena_alloc(&d->mem, d->head_len + 1);
    if (!p)
        return DOSM_E_NOMEM;
    p = put_text(p, d->name, d->name_len);
    *p++ = '@';
    p = put_text(p, rev, (size_t)(end - rev));
    *p++ = '.';
    for (i = 0; i < 8; i++)
        *p++ = hex[(d->hash >> (28 - 4 * i)) & 0xF];
    *p++ = ':';
    *p = '\0';
    return DOSM_OK;
}

/* The head, STATE[<PREVIOUS]#SEQ, written in place once its length is
 * known to fit. */
int dosm_encode(const dosm_def *d, const dosm_instance *inst, char *buf,
                size_t size)
{
    size_t id_len, prev_len = 0, seq_len;
    const char *prev = NULL, *seq;
    char digits[10], *p = buf;
    int rc;
    if (!buf || !size)
        return DOSM_E_ARG;
    buf[0] = '\0';
    if ((rc = instance_check(d, inst)) != DOSM_OK)
        return rc;
    id_len = d->hot[inst->state].id_len;
    if (inst->previous != DOSM_NO_STATE) {
        prev = d->hot[inst->previous].id;
        prev_len = d->hot[inst->previous].id_len;
    }
    seq = decimal(digits + sizeof digits, inst->seq);
    seq_len = (size_t)(digits + sizeof digits - seq);
    /* "#", the NUL, and "<" with a previous */
    if (d->head_len + id_len + (prev ? prev_len + 1 : 0) + seq_len + 2 > size)
        return DOSM_E_BUFFER;
    p = put_text(p, d->snapshot_head, d->head_len);
    p = put_text(p, d->hot[inst->state].id, id_len);
    if (prev) {
        *p++ = '<';
        p = put_text(p, prev, prev_len);
    }
    *p++ = '#';
    p = put_text(p, seq, seq_len);
    *p = '\0';
    return DOSM_OK;
}

/* A cursor over the text being decoded. */
typedef struct scan {
    const char *p;
} scan;

/* The classes of the characters of a snapshot, by byte (NUL and any byte
 * not listed are in none). */
enum { NAME_CHAR = 1, STATE_CHAR = 2, HEX = 4 };
#define C_DIGIT (NAME_CHAR | STATE_CHAR | HEX)
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

/* A decimal of at most 10 digits that fits 32 bits, read in one pass. */
static int number(scan *s, uint32_t *out)
{
    const char *p = s->p;
    uint64_t v = 0;
    size_t n;
    for (n = 0; n <= 10 && (unsigned char)(p[n] - '0') < 10; n++)
        v = v * 10 + (uint64_t)(p[n] - '0');
    /* No leading zeros: one snapshot, one string, so hosts may compare. */
    if (n == 0 || n > 10 || (n > 1 && p[0] == '0') || v > UINT32_MAX)
        return 0;
    s->p += n;
    *out = (uint32_t)v;
    return 1;
}

/* Exactly 8 lower-case hex digits. A digit's value is computed, not
 * chosen by a branch on letter or digit: the digits are random, and that
 * branch would mispredict. */
static int hex8(scan *s, uint32_t *out)
{
    uint32_t v = 0;
    size_t k;
    for (k = 0; k < 8 && is_a(s->p[k], HEX); k++) {
        unsigned c = (unsigned char)s->p[k];
        v = v * 16 + (c & 0xFu) + 9u * (c >> 6); /* '0'-'9', 'a'-'f' */
    }
    if (k < 8 || is_a(s->p[8], HEX))
        return 0;
    s->p += 8;
    *out = v;
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
    size_t n;
    uint32_t rev, seq, hash;
    const char *state_id, *prev_id = NULL;
    size_t state_len, prev_len = 0;
    int32_t st, prev = (int32_t)DOSM_NO_STATE;

    if (!d || !text || !inst) {
        dosm__error_set(error, DOSM_E_ARG, "dosm_decode needs a definition, a "
                                     "string and an instance");
        return DOSM_E_ARG;
    }
    s.p = text;
    if (strncmp(text, d->snapshot_head, d->head_len) == 0) {
        /* this revision's own start, the usual one */
        rev = d->revision;
        hash = d->hash;
        s.p += d->head_len;
    } else {
        /* The workflow's name and '@', or another workflow's name, or
         * nothing well-formed (a name is all name characters: the
         * loader checked it). */
        n = d->name_len;
        if (strncmp(text, d->name, n) != 0 || text[n] != '@') {
            n = span(&s, NAME_CHAR);
            if (n == 0 || s.p[n] != '@')
                goto malformed;
            dosm__error_set(error, DOSM_E_WORKFLOW,
                            "the snapshot is of another workflow, not %s",
                            d->name);
            return DOSM_E_WORKFLOW;
        }
        s.p += n + 1;
        if (!number(&s, &rev) || !expect(&s, '.') || !hex8(&s, &hash) ||
            !expect(&s, ':'))
            goto malformed;
    }
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
    if (state_len == 0 || !expect(&s, '#') || !number(&s, &seq) ||
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

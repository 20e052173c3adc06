/* Instances as printable strings, "NAME@REV.HASH:STATE[<PREVIOUS]#SEQ",
 * for any text column; and the restart fallback of transient states. */
#include "model.h"

#include <string.h>

int dosm_encode(const dosm_def *d, const dosm_instance *inst, char *buf,
                size_t size)
{
    static const char hex[] = "0123456789abcdef";
    char hash[9];
    size_t n;
    int i, rc;
    if (!buf || !size)
        return DOSM_E_ARG;
    buf[0] = '\0';
    if ((rc = instance_check(d, inst)) != DOSM_OK)
        return rc;
    for (i = 0; i < 8; i++)
        hash[i] = hex[(d->hash >> (28 - 4 * i)) & 0xF];
    hash[8] = '\0';
    n = dosm__text_format(buf, size, "%s@%u.%s:%s%s%s#%u", d->name, d->revision,
                    hash, d->states[inst->state].id,
                    inst->previous == DOSM_NO_STATE ? "" : "<",
                    inst->previous == DOSM_NO_STATE
                        ? ""
                        : d->states[inst->previous].id,
                    inst->seq);
    if (n >= size) {
        buf[0] = '\0';
        return DOSM_E_BUFFER;
    }
    return DOSM_OK;
}

/* A cursor over the text being decoded. */
typedef struct scan {
    const char *p;
} scan;

static size_t span(scan *s, int (*ok)(char))
{
    size_t n = 0;
    while (s->p[n] && ok(s->p[n]))
        n++;
    return n;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
static int is_state_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

static int number(scan *s, uint32_t *out, size_t max_digits)
{
    size_t n = span(s, is_digit), i;
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
    n = span(&s, is_name_char);
    if (n == 0 || s.p[n] != '@')
        goto malformed;
    if (n != strlen(d->name) || memcmp(text, d->name, n) != 0) {
        dosm__error_set(error, DOSM_E_WORKFLOW,
                  "the snapshot is of another workflow, not %s", d->name);
        return DOSM_E_WORKFLOW;
    }
    s.p += n + 1;
    if (!number(&s, &rev, 10) || !expect(&s, '.') || span(&s, is_hex) != 8)
        goto malformed;
    for (k = 0; k < 8; k++) {
        char c = *s.p++;
        hash = hash * 16 + (uint32_t)(is_digit(c) ? c - '0' : c - 'a' + 10);
    }
    if (!expect(&s, ':'))
        goto malformed;
    state_id = s.p;
    state_len = span(&s, is_state_char);
    s.p += state_len;
    if (expect(&s, '<')) {
        prev_id = s.p;
        prev_len = span(&s, is_state_char);
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

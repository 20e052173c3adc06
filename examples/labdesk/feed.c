/* The feed: one JSON object per line, the shape a vendor poller writes,
 *   {"order": "IT-1001", "workflow": "itero-lab-connector",
 *    "status": "Ready for Download", "time": "2026-11-02T09:15:00Z",
 *    "attributes": {"physical_model": true}}
 * with "event" instead of "status" for an event, and an optional "payload".
 * A strict reader for exactly this flat shape: objects nest one level
 * (attributes, payload) and hold scalars, every key is known, none twice. */
#include "labdesk.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *s;
    size_t pos;
    char *error;
    size_t size;
} reader;

static int fail(reader *r, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(r->error, r->size, "malformed JSON at column %lu: ",
                     (unsigned long)r->pos + 1);
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < r->size)
        vsnprintf(r->error + n, r->size - (size_t)n, fmt, ap);
    va_end(ap);
    return 0;
}

static int say(char *error, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error, size, fmt, ap);
    va_end(ap);
    return 0;
}

static void skip_space(reader *r)
{
    while (strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos])
        r->pos++;
}

static int expect(reader *r, char c)
{
    skip_space(r);
    if (r->s[r->pos] != c)
        return fail(r, "expected '%c'", c);
    r->pos++;
    return 1;
}

static size_t put_utf8(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int hex4(reader *r, unsigned long *out)
{
    int i;
    *out = 0;
    for (i = 0; i < 4; i++) {
        char c = r->s[r->pos];
        const char *digits = "0123456789abcdef", *at;
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        at = c ? strchr(digits, c) : NULL;
        if (!at)
            return fail(r, "expected four hex digits after \\u");
        *out = *out * 16 + (unsigned long)(at - digits);
        r->pos++;
    }
    return 1;
}

/* Names and values are one line of text: escapes of control characters
 * (\n, \t, \u0000, ...) are refused like the raw characters. */
static int escape(reader *r, char *out, size_t *len)
{
    unsigned long cp, low;
    char c = r->s[r->pos++];
    if (c == '"' || c == '\\' || c == '/') {
        out[(*len)++] = c;
        return 1;
    }
    if (c && strchr("bfnrt", c))
        return fail(r, "control character in a string");
    if (c != 'u') {
        r->pos--;
        return fail(r, "unknown escape \\%c", c ? c : ' ');
    }
    if (!hex4(r, &cp))
        return 0;
    if (cp < 0x20)
        return fail(r, "control character in a string");
    if (cp >= 0xD800 && cp < 0xDC00) { /* a surrogate pair */
        if (r->s[r->pos] != '\\' || r->s[r->pos + 1] != 'u')
            return fail(r, "expected the second half of a surrogate pair");
        r->pos += 2;
        if (!hex4(r, &low))
            return 0;
        if (low < 0xDC00 || low > 0xDFFF)
            return fail(r, "invalid surrogate pair");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp < 0xE000) {
        return fail(r, "\\u%04lx is not allowed", cp);
    }
    *len += put_utf8(cp, out + *len);
    return 1;
}

/* The length of the well-formed UTF-8 sequence at @p s, or 0 (overlong
 * forms, surrogates and code points over U+10FFFF are not well formed;
 * PostgreSQL would refuse them, so the reader does). */
static size_t utf8_length(const unsigned char *s)
{
    size_t n, i;
    unsigned long cp;
    if (s[0] < 0xC2 || s[0] > 0xF4)
        return 0;
    n = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    cp = s[0] & (0x3Fu >> (n - 1));
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF)
        return 0;
    return n;
}

/* A string into @p out (@p size bytes, at least 5); longer ones fail. */
static int string(reader *r, char *out, size_t size)
{
    size_t len = 0;
    if (!expect(r, '"'))
        return 0;
    for (;;) {
        unsigned char c = (unsigned char)r->s[r->pos];
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(r, c ? "control character in a string"
                             : "unterminated string");
        if (len + 5 > size)
            return fail(r, "string longer than %lu bytes",
                        (unsigned long)size - 5);
        if (c >= 0x80) {
            size_t n = utf8_length((const unsigned char *)r->s + r->pos);
            if (!n)
                return fail(r, "invalid UTF-8");
            memcpy(out + len, r->s + r->pos, n);
            len += n;
            r->pos += n;
            continue;
        }
        r->pos++;
        if (c != '\\')
            out[len++] = (char)c;
        else if (!escape(r, out, &len))
            return 0;
    }
    r->pos++;
    out[len] = '\0';
    return 1;
}

static int number(reader *r, char *out, size_t size)
{
    size_t start = r->pos, n;
    const char *s = r->s;
    if (s[r->pos] == '-')
        r->pos++;
    if (s[r->pos] == '0')
        r->pos++;
    else if (s[r->pos] >= '1' && s[r->pos] <= '9')
        while (s[r->pos] >= '0' && s[r->pos] <= '9')
            r->pos++;
    else
        return fail(r, "expected a value");
    if (s[r->pos] == '.') {
        if (!(s[++r->pos] >= '0' && s[r->pos] <= '9'))
            return fail(r, "expected a digit");
        while (s[r->pos] >= '0' && s[r->pos] <= '9')
            r->pos++;
    }
    if (s[r->pos] == 'e' || s[r->pos] == 'E') {
        r->pos++;
        if (s[r->pos] == '+' || s[r->pos] == '-')
            r->pos++;
        if (!(s[r->pos] >= '0' && s[r->pos] <= '9'))
            return fail(r, "expected a digit");
        while (s[r->pos] >= '0' && s[r->pos] <= '9')
            r->pos++;
    }
    n = r->pos - start;
    if (n >= size)
        return fail(r, "number too long");
    memcpy(out, s + start, n);
    out[n] = '\0';
    return 1;
}

/* A string, number or boolean, as the text the library reads. */
static int scalar(reader *r, char *out, size_t size)
{
    static const char *const words[] = {"true", "false"};
    size_t i;
    skip_space(r);
    if (r->s[r->pos] == '"')
        return string(r, out, size);
    for (i = 0; i < 2; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(r->s + r->pos, words[i], n) == 0) {
            r->pos += n;
            snprintf(out, size, "%s", words[i]);
            return 1;
        }
    }
    if (r->s[r->pos] == '{' || r->s[r->pos] == '[' || r->s[r->pos] == 'n')
        return fail(r, "expected a string, number or boolean");
    return number(r, out, size);
}

typedef int (*member_fn)(reader *r, const char *key, void *user);

/* An object: calls @p member for each key, which reads the value. */
static int object(reader *r, member_fn member, void *user)
{
    char key[ID_MAX];
    if (!expect(r, '{'))
        return 0;
    skip_space(r);
    if (r->s[r->pos] == '}') {
        r->pos++;
        return 1;
    }
    for (;;) {
        skip_space(r);
        if (r->s[r->pos] != '"')
            return fail(r, "expected a key in double quotes");
        if (!string(r, key, sizeof key) || !expect(r, ':') ||
            !member(r, key, user))
            return 0;
        skip_space(r);
        if (r->s[r->pos] == '}') {
            r->pos++;
            return 1;
        }
        if (!expect(r, ','))
            return 0;
    }
}

static int end(reader *r)
{
    skip_space(r);
    return r->s[r->pos] ? fail(r, "text after the object") : 1;
}

int fields_set(fields *f, const char *name, const char *value)
{
    size_t i, nlen = strlen(name) + 1, vlen = strlen(value) + 1;
    i = 0;
    while (i < f->count && strcmp(f->pairs[i].name, name) != 0)
        i++;
    if (i == FIELDS_MAX || f->used + nlen + vlen > sizeof f->text)
        return 0;
    memcpy(f->text + f->used, name, nlen);
    memcpy(f->text + f->used + nlen, value, vlen);
    f->pairs[i].name = f->text + f->used;
    f->pairs[i].value = f->text + f->used + nlen;
    f->used += nlen + vlen;
    if (i == f->count)
        f->count++;
    return 1;
}

static int field_member(reader *r, const char *key, void *user)
{
    fields *f = user;
    char value[256];
    size_t i;
    for (i = 0; i < f->count; i++)
        if (strcmp(f->pairs[i].name, key) == 0)
            return fail(r, "duplicate key \"%s\"", key);
    if (!scalar(r, value, sizeof value))
        return 0;
    if (!fields_set(f, key, value))
        return fail(r, "too many fields");
    return 1;
}

int fields_parse(const char *json, fields *f, char *error, size_t size)
{
    reader r = {json, 0, error, size};
    memset(f, 0, sizeof *f);
    return object(&r, field_member, f) && end(&r);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const dosm_pair *)a)->name, ((const dosm_pair *)b)->name);
}

static int append(char *out, size_t size, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n >= size)
        return 0;
    memcpy(out + *len, s, n + 1);
    *len += n;
    return 1;
}

static int append_string(char *out, size_t size, size_t *len, const char *s)
{
    char one[8];
    if (!append(out, size, len, "\""))
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sprintf(one, "\\%c", c);
        else if (c < 0x20)
            sprintf(one, "\\u%04x", c);
        else
            sprintf(one, "%c", c);
        if (!append(out, size, len, one))
            return 0;
    }
    return append(out, size, len, "\"");
}

int fields_format(const fields *f, char *out, size_t size)
{
    dosm_pair sorted[FIELDS_MAX];
    size_t i, len = 0;
    memcpy(sorted, f->pairs, f->count * sizeof *sorted);
    qsort(sorted, f->count, sizeof *sorted, by_name);
    out[0] = '\0';
    if (!append(out, size, &len, "{"))
        return 0;
    for (i = 0; i < f->count; i++)
        if ((i && !append(out, size, &len, ",")) ||
            !append_string(out, size, &len, sorted[i].name) ||
            !append(out, size, &len, ":") ||
            !append_string(out, size, &len, sorted[i].value))
            return 0;
    return append(out, size, &len, "}");
}

/* ---- the update line ---- */

typedef struct line_state {
    update *u;
    unsigned seen; /* one bit per key, in the order of keys[] */
    char time[32];
} line_state;

static const char *const keys[] = {"order",  "workflow",   "event", "status",
                                   "time",   "attributes", "payload"};

static int line_member(reader *r, const char *key, void *user)
{
    line_state *st = user;
    char *text[5];
    size_t sizes[5], k;
    text[0] = st->u->order, sizes[0] = sizeof st->u->order;
    text[1] = st->u->workflow, sizes[1] = sizeof st->u->workflow;
    text[2] = st->u->event, sizes[2] = sizeof st->u->event;
    text[3] = st->u->status, sizes[3] = sizeof st->u->status;
    text[4] = st->time, sizes[4] = sizeof st->time;
    k = 0;
    while (k < sizeof keys / sizeof *keys && strcmp(keys[k], key) != 0)
        k++;
    if (k == sizeof keys / sizeof *keys)
        return fail(r, "unknown key \"%s\"", key);
    if (st->seen & (1u << k))
        return fail(r, "duplicate key \"%s\"", key);
    st->seen |= 1u << k;
    if (k >= 5)
        return object(r, field_member,
                      k == 5 ? &st->u->attributes : &st->u->payload);
    skip_space(r);
    if (r->s[r->pos] != '"')
        return fail(r, "\"%s\" must be a string", key);
    return string(r, text[k], sizes[k]);
}

int feed_parse(const char *line, update *u, char *error, size_t size)
{
    reader r = {line, 0, error, size};
    line_state st;
    memset(u, 0, sizeof *u);
    memset(&st, 0, sizeof st);
    st.u = u;
    if (!object(&r, line_member, &st) || !end(&r))
        return 0;
    if (!u->order[0])
        return say(error, size, "the update has no \"order\"");
    if (!u->workflow[0])
        return say(error, size, "the update has no \"workflow\"");
    if (!u->event[0] == !u->status[0])
        return say(error, size,
                   "the update needs exactly one of \"event\" and \"status\"");
    if (!st.time[0])
        return say(error, size, "the update has no \"time\"");
    if (!time_parse(st.time, &u->time))
        return say(error, size,
                   "\"time\" is \"%s\", not YYYY-MM-DDTHH:MM:SSZ", st.time);
    return 1;
}

/* ---- times: days from the civil calendar (proleptic Gregorian) ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int time_parse(const char *text, int64_t *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    unsigned v[6] = {0}, field = 0, i, m, d;
    int y;
    for (i = 0; shape[i]; i++) {
        if (shape[i] == 'd') {
            if (text[i] < '0' || text[i] > '9')
                return 0;
            v[field] = v[field] * 10 + (unsigned)(text[i] - '0');
        } else if (text[i] != shape[i]) {
            return 0;
        } else {
            field++;
        }
    }
    if (text[i] || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 ||
        v[4] > 59 || v[5] > 59)
        return 0;
    /* the day exists when it survives a round trip through the calendar */
    civil_from_days(days_from_civil(v[0], v[1], v[2]), &y, &m, &d);
    if (m != v[1] || d != v[2])
        return 0;
    *out = days_from_civil(v[0], v[1], v[2]) * 86400 + (int64_t)v[3] * 3600 +
           (int64_t)v[4] * 60 + v[5];
    return 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

void time_format(int64_t t, char *out, size_t size)
{
    int64_t days = floor_div(t, 86400), rest = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, size, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
             (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60));
}

void date_format(int64_t t, char *out, size_t size)
{
    int y;
    unsigned m, d;
    civil_from_days(floor_div(t, 86400), &y, &m, &d);
    snprintf(out, size, "%04d-%02u-%02u", y, m, d);
}

/* Strings without stdio or locale: formatting, comparing, parsing. */
#include "internal.h"

#include <string.h>

typedef struct outbuf {
    char *buf;
    size_t size, len;
} outbuf;

static void put(outbuf *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_str(outbuf *o, const char *s)
{
    while (s && *s)
        put(o, *s++);
}

static void put_u64(outbuf *o, uint64_t v)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        put(o, digits[--n]);
}

static void put_i64(outbuf *o, int64_t v)
{
    if (v < 0) {
        put(o, '-');
        put_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(o, (uint64_t)v);
    }
}

size_t dosm__text_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    outbuf o = {buf, size, 0};
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        switch (*++fmt) {
        case 's': put_str(&o, va_arg(ap, const char *)); break;
        case 'd': put_i64(&o, va_arg(ap, int)); break;
        case 'u': put_u64(&o, va_arg(ap, unsigned)); break;
        case 'U': put_u64(&o, va_arg(ap, uint64_t)); break;
        case 'L': put_i64(&o, va_arg(ap, int64_t)); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case '\0': fmt--; break;
        default: put(&o, *fmt); break; /* formats are constants of lib/ */
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

size_t dosm__text_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;
    va_start(ap, fmt);
    n = dosm__text_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int dosm__text_casecmp(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return lower((unsigned char)*a) - lower((unsigned char)*b);
}

/* Edit distance of short names counting a swap of neighbours as one edit
 * (optimal string alignment), for "did you mean" hints: "og" is one edit
 * from "go". Longer strings are simply far apart. */
unsigned dosm__text_distance(const char *a, const char *b)
{
    unsigned rows[3][65], i, j;
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    for (j = 0; j <= lb; j++)
        rows[0][j] = j;
    for (i = 1; i <= la; i++) { /* row i lives in rows[i % 3] */
        unsigned *prev2 = rows[(i + 1) % 3], *prev = rows[(i + 2) % 3];
        unsigned *cur = rows[i % 3];
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            unsigned best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
    }
    return rows[la % 3][lb];
}

/* Close enough to suggest: a third of the name may be wrong, at least one
 * character of names longer than one. Returns the distance + 1, or 0 when
 * not near; names whose lengths differ too much are not even compared. */
unsigned dosm__text_near(const char *typed, const char *known)
{
    size_t len = strlen(typed), klen = strlen(known);
    size_t allowed = len / 3 > 1 ? len / 3 : 1;
    unsigned dist;
    if (len < 2 || (len > klen ? len - klen : klen - len) > allowed)
        return 0;
    dist = dosm__text_distance(typed, known);
    return dist <= allowed ? dist + 1 : 0;
}

/* FNV-1a. Two loops rather than a test per character: event names are
 * hashed on every fire. */
uint32_t dosm__text_hash(uint32_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (uint32_t)(unsigned char)*s) * 16777619u;
    return h;
}

int dosm__text_is_ident(const char *s, ident_kind kind)
{
    size_t n = 0;
    char lo = kind == IDENT_STATE ? 'A' : 'a';
    char hi = kind == IDENT_STATE ? 'Z' : 'z';
    char sep = kind == IDENT_WORKFLOW ? '-' : '_';
    /* Workflow names may start with a digit: "3shape-communicate". */
    if (!(*s >= lo && *s <= hi) &&
        !(kind == IDENT_WORKFLOW && *s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++, n++) {
        if (!((*s >= lo && *s <= hi) || (*s >= '0' && *s <= '9') ||
              *s == sep))
            return 0;
    }
    return n <= 64;
}

int dosm__text_parse_int(const char *s, int64_t *out)
{
    int neg = *s == '-';
    uint64_t v = 0, limit;
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s; s++) {
        unsigned d;
        if (*s < '0' || *s > '9')
            return 0;
        d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

/* A version packs up to four parts of 16 bits, most significant first, so
 * versions compare as integers and missing parts are zero. */
int dosm__text_parse_version(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    int parts = 0;
    while (parts < 4) {
        uint32_t p = 0;
        int digits = 0;
        for (; *s >= '0' && *s <= '9'; s++, digits++) {
            p = p * 10 + (uint32_t)(*s - '0');
            if (p > 65535)
                return 0;
        }
        if (!digits)
            return 0;
        v |= (uint64_t)p << (16 * (3 - parts));
        parts++;
        if (*s == '\0') {
            *out = v;
            return 1;
        }
        if (*s++ != '.')
            return 0;
    }
    return 0;
}

int dosm__text_parse_duration(const char *s, int64_t *seconds)
{
    int64_t total = 0;
    if (!*s)
        return 0;
    while (*s) {
        int64_t n = 0, unit;
        int digits = 0;
        for (; *s >= '0' && *s <= '9'; s++, digits++) {
            if (n > 1000000000)
                return 0;
            n = n * 10 + (*s - '0');
        }
        switch (*s++) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 604800; break;
        default: return 0;
        }
        if (!digits)
            return 0;
        total += n * unit;
        if (total > INT64_C(1) << 40)
            return 0;
    }
    *seconds = total;
    return total > 0;
}

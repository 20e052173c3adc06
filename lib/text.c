/* Strings without stdio or locale: formatting, comparing, parsing. */
#include "base.h"

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

/* Where to end a text cut to `end` bytes so that it does not end inside a
 * UTF-8 character: before a lead byte whose character does not fit. */
static size_t utf8_cut(const char *buf, size_t end)
{
    size_t k = end;
    unsigned lead;
    while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0u) == 0x80u)
        k--;
    if (k == 0 || (lead = (unsigned char)buf[k - 1]) < 0xC0u)
        return end;
    return end - (k - 1) < (lead >= 0xF0u ? 4u : lead >= 0xE0u ? 3u : 2u)
               ? k - 1
               : end;
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
        buf[o.len < size ? o.len : utf8_cut(buf, size - 1)] = '\0';
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

/* As dosm__text_casecmp over n bytes, NULs included. */
int dosm__text_ncasecmp(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return lower((unsigned char)a[i]) - lower((unsigned char)b[i]);
    return 0;
}

/* Edit distance counting a swap of neighbours as one edit (optimal string
 * alignment), for "did you mean" hints: "og" is one edit from "go". It is
 * the distance when at most k, else k + 1: a path of cost k stays within k
 * of the diagonal, so only that band of the table is filled, and once a
 * whole row exceeds k no later row comes back under it (a swap reads two
 * rows up, but the row between is then at most one more). Names longer
 * than 64 characters are simply far apart. */
static unsigned distance_within(const char *a, size_t la, const char *b,
                                size_t lb, unsigned k)
{
    unsigned rows[3][65], far = k + 1, i, j;
    if (la > 64 || lb > 64)
        return far;
    for (j = 0; j <= lb; j++)
        rows[0][j] = j < far ? j : far;
    for (i = 1; i <= la; i++) { /* row i lives in rows[i % 3] */
        unsigned *prev2 = rows[(i + 1) % 3], *prev = rows[(i + 2) % 3];
        unsigned *cur = rows[i % 3], low = far;
        unsigned lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : (unsigned)lb;
        cur[0] = i < far ? i : far;
        cur[lo - 1] = lo > 1 ? far : cur[0]; /* left of the band */
        for (j = lo; j <= hi; j++) {
            unsigned best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best < far ? best : far;
            if (cur[j] < low)
                low = cur[j];
        }
        if (hi < lb)
            cur[hi + 1] = far; /* right of the band, read by the next row */
        if (low > k && cur[0] > k)
            return far;
    }
    return rows[la % 3][lb] < far ? rows[la % 3][lb] : far;
}

unsigned dosm__text_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    return distance_within(a, la, b, lb, 128);
}

/* A name's letters counted in eight classes (the low three bits of each
 * byte), a byte per class; its length comes back in *len, counted up to
 * max + 1. One pass, in registers. */
static uint64_t letter_classes(const char *s, size_t max, size_t *len)
{
    uint64_t counts = 0;
    size_t n = 0;
    for (; n <= max && s[n]; n++)
        counts += UINT64_C(1) << (8 * ((unsigned char)s[n] & 7u));
    *len = n;
    return counts;
}

/* A lower bound of the edit distance from the class counts: the letters
 * of one name's classes the other lacks, the larger of the two counts. An
 * edit changes each count by one at most, a swap not at all. */
static unsigned class_distance(uint64_t a, uint64_t b)
{
    unsigned more = 0, fewer = 0, k;
    for (k = 0; k < 64; k += 8) {
        unsigned x = (unsigned)(a >> k) & 255u, y = (unsigned)(b >> k) & 255u;
        if (x > y)
            more += x - y;
        else
            fewer += y - x;
    }
    return more > fewer ? more : fewer;
}

/* Known names longer than this are never near (no typo is longer). */
#define HINT_LONGEST 64u

int dosm__text_hint_prepare(hint_names *h, arena *scratch)
{
    size_t i, len;
    h->classes = dosm__arena_array(scratch, h->count + 1, sizeof *h->classes);
    h->lengths = dosm__arena_alloc(scratch, h->count + 1);
    if (!h->classes || !h->lengths)
        return 0;
    for (i = 0; i < h->count; i++) {
        const char *name = h->name_of(h->list, i);
        h->classes[i] = name ? letter_classes(name, HINT_LONGEST, &len) : 0;
        h->lengths[i] = (unsigned char)(name ? len : 255); /* <= 65 */
    }
    return 1;
}

/* Names measured exactly per hint: the few with the smallest lower
 * bound. A file of look-alike names passes every cheap filter, and each
 * measure costs up to 64 x 43 cells. */
#define HINT_MEASURES 256
#define MEASURE_COST 1024u /* of the budget; a name looked at costs 1 */

typedef struct hint_pick {
    uint32_t index;
    unsigned bound; /* at most the edit distance */
} hint_pick;

static int pick_before(const hint_pick *a, const hint_pick *b)
{
    return a->bound != b->bound ? a->bound < b->bound : a->index < b->index;
}

/* Keeps the HINT_MEASURES picks that come first, in a heap whose top is
 * the last of them. */
static void keep_pick(hint_pick *heap, unsigned *n, hint_pick p)
{
    unsigned i;
    if (*n == HINT_MEASURES) {
        if (!pick_before(&p, &heap[0]))
            return;
        for (i = 0;;) { /* the new pick replaces the top */
            unsigned child = 2 * i + 1;
            if (child >= *n)
                break;
            if (child + 1 < *n && pick_before(&heap[child], &heap[child + 1]))
                child++;
            if (!pick_before(&p, &heap[child]))
                break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = p;
        return;
    }
    for (i = (*n)++; i > 0 && pick_before(&heap[(i - 1) / 2], &p); i = (i - 1) / 2)
        heap[i] = heap[(i - 1) / 2];
    heap[i] = p;
}

static void sort_picks(hint_pick *v, unsigned n)
{
    unsigned i, j;
    for (i = 1; i < n; i++) { /* at most 256: insertion sort will do */
        hint_pick p = v[i];
        for (j = i; j > 0 && pick_before(&p, &v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = p;
    }
}

/* Takes cost from the budget; 0 when it is spent. */
static int spend(size_t *budget, size_t cost)
{
    if (!budget)
        return 1;
    if (*budget < cost) {
        *budget = 0;
        return 0;
    }
    *budget -= cost;
    return 1;
}

/* Close enough to suggest: a third of the name may be wrong, at least one
 * character of names longer than one; of those, the nearest, the first
 * on ties. One pass over the known names (their lengths and letter
 * classes, prepared once) rules out lengths too different and keeps the
 * HINT_MEASURES with the smallest lower bound; those are measured in
 * order of their bound, until it passes the nearest distance found. While
 * fewer names than that are within the bound, the answer is exactly the
 * nearest. */
const char *dosm__text_nearest(const char *typed, const hint_names *h,
                               size_t *budget)
{
    size_t len = strlen(typed), i, klen;
    hint_pick picks[HINT_MEASURES];
    const char *best = NULL;
    unsigned allowed, n = 0, k, best_d;
    uint32_t best_i = 0;
    uint64_t classes;
    if (len < 2 || len > HINT_LONGEST)
        return NULL;
    allowed = len / 3 > 1 ? (unsigned)(len / 3) : 1;
    classes = letter_classes(typed, len, &klen);
    for (i = 0; i < h->count && spend(budget, 1); i++) {
        hint_pick p;
        uint64_t c;
        if (h->classes) {
            c = h->classes[i];
            klen = h->lengths[i];
        } else {
            const char *name = h->name_of(h->list, i);
            if (!name)
                continue;
            c = letter_classes(name, len + allowed, &klen);
        }
        if ((len > klen ? len - klen : klen - len) > allowed ||
            (p.bound = class_distance(classes, c)) > allowed)
            continue;
        p.index = (uint32_t)i;
        keep_pick(picks, &n, p);
    }
    sort_picks(picks, n);
    best_d = allowed + 1;
    for (k = 0; k < n && picks[k].bound <= best_d && spend(budget, MEASURE_COST);
         k++) {
        const char *name = h->name_of(h->list, picks[k].index);
        unsigned d = distance_within(typed, len, name, strlen(name),
                                     best_d <= allowed ? best_d : allowed);
        /* nearer, or as near and earlier in the list */
        if (d < best_d || (best && d == best_d && picks[k].index < best_i)) {
            best_d = d;
            best_i = picks[k].index;
            best = name;
        }
    }
    return best;
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

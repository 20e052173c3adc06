/* Open-addressing hash index from names to element indexes. One index type
 * serves every named table (states by id and label, events, attributes,
 * guards, effects) so lookups cost the same whatever the table's size.
 *
 * Each slot keeps the hash and the length of its name, so a probe compares
 * integers and reads a name only when both agree. The table is at most
 * half full and a build that meets a long run of taken slots (names chosen
 * to collide: the hash is fixed, so a hostile file can aim at it) gives
 * the table up for a sorted array searched by (hash, length, name):
 * lookups are then O(log n) compares whatever the names, and loading is
 * never quadratic. */
#include "base.h"

#include <string.h>

/* The longest probe or run of taken slots a table may have; at half load
 * with a hash that mixes every byte, runs of random names stay under 70
 * slots for 131,072 slots (simulated), and 128 is rarer than 1 in 10^5. */
#define MAX_RUN 128u

const char *dosm__name_at(const name_table *t, int32_t i, size_t off)
{
    const char *elem = (const char *)t->table + (size_t)i * t->stride;
    const char *name;
    memcpy(&name, elem + off, sizeof name);
    return name;
}

#define BYTES(c) (UINT64_C(0x0101010101010101) * (c))

/* ASCII letters of 8 bytes to lower case at once: a byte is upper case
 * when its low seven bits are >= 'A' and <= 'Z' and its top bit is clear;
 * the sums cannot carry into the next byte. */
static uint64_t lower8(uint64_t x)
{
    uint64_t low7 = x & BYTES(0x7f);
    uint64_t at_least_a = low7 + BYTES(0x80 - 'A');
    uint64_t beyond_z = low7 + BYTES(0x80 - 'Z' - 1);
    uint64_t upper = at_least_a & ~beyond_z & ~x & BYTES(0x80);
    return x | upper >> 2; /* 0x80 >> 2 is the case bit, 0x20 */
}

static uint64_t mix(uint64_t h, uint64_t w, int fold_case)
{
    h = (h ^ (fold_case ? lower8(w) : w)) * UINT64_C(0xff51afd7ed558ccd);
    return h ^ h >> 32;
}

/* Hashes eight bytes per step: a byte-at-a-time hash is a chain of
 * multiplies as long as the name, and firing by name waits on it; the
 * last bytes are read in one or two loads that may overlap bytes already
 * read (the length is hashed too, so this tells names apart). A
 * multiply carries bits upwards only, so after the last word's the low
 * bits (the slot) have seen its first six bytes and nothing after them:
 * 1,296 ids that differed in their last two bytes shared one slot. The
 * final shift and multiply bring every byte down into the slot (the high
 * half of a product has seen every bit of what was multiplied). */
static ALWAYS_INLINE uint32_t hash_name(const char *name, size_t len,
                                        int fold_case)
{
    size_t i = 0;
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ len, w;
    for (; len - i >= 8; i += 8) {
        memcpy(&w, name + i, 8);
        h = mix(h, w, fold_case);
    }
    if (i < len) { /* the rest in one load or two, not byte by byte */
        uint32_t a, b;
        if (len >= 8) {
            memcpy(&w, name + len - 8, 8); /* overlaps the last word */
        } else if (len >= 4) {
            memcpy(&a, name, 4);
            memcpy(&b, name + len - 4, 4);
            w = a | (uint64_t)b << 32;
        } else {
            w = (uint64_t)(unsigned char)name[0] |
                (uint64_t)(unsigned char)name[len / 2] << 8 |
                (uint64_t)(unsigned char)name[len - 1] << 16;
        }
        h = mix(h, w, fold_case);
    }
    h ^= h >> 29;
    h *= UINT64_C(0xbf58476d1ce4e5b9);
    return (uint32_t)(h >> 32);
}

uint32_t dosm__names_hash(const char *name, size_t len, int fold_case)
{
    return hash_name(name, len, fold_case);
}

/* Entries, in the table and the sorted array alike, are element * 2 +
 * which name (0: offset, 1: offset2); the table stores them plus 1, so
 * that 0 marks an empty slot. Ties in the sorted array go to the lower
 * entry: the order names were met in, so the first wins. */
static const char *entry_name(const name_table *t, uint32_t entry)
{
    return dosm__name_at(t, (int32_t)(entry / 2),
                         entry % 2 ? t->offset2 : t->offset);
}

/* Whether a and b, len bytes each, are the same (ignoring ASCII case when
 * fold_case). The bytes are read as hash_name reads them, a word at a
 * time, the last word overlapping: no call, whatever the length. */
static ALWAYS_INLINE int same(const char *a, const char *b, size_t len,
                              int fold_case)
{
    uint64_t diff = 0, x, y;
    if (len >= 8) {
        size_t i;
        for (i = 0; len - i > 8; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            diff |= x ^ y;
        }
        memcpy(&x, a + len - 8, 8);
        memcpy(&y, b + len - 8, 8);
        diff |= x ^ y;
    } else if (len >= 4) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&b0, b, 4);
        memcpy(&a1, a + len - 4, 4);
        memcpy(&b1, b + len - 4, 4);
        diff = (a0 ^ b0) | (a1 ^ b1);
    } else if (len) {
        diff = (uint64_t)((a[0] ^ b[0]) | (a[len / 2] ^ b[len / 2]) |
                          (a[len - 1] ^ b[len - 1]));
    }
    return diff == 0 || (fold_case && dosm__text_ncasecmp(a, b, len) == 0);
}

/* ---- the hash table ---- */

/* The slot holding `name` (len bytes, hash `hash`), or the empty slot
 * where it would go; *owner receives the element found there (or -1).
 * UINT32_MAX when the probe is longer than MAX_RUN: a build gives the
 * table up then. */
static uint32_t probe(const name_index *ix, const name_table *t,
                      const char *name, size_t len, uint32_t hash,
                      int32_t *owner)
{
    uint32_t i = hash & ix->mask, steps;
    for (steps = 0; steps <= MAX_RUN; steps++, i = (i + 1) & ix->mask) {
        const name_slot *s = &ix->slots[i];
        *owner = (int32_t)((s->entry - 1) / 2);
        if (s->entry == 0) {
            *owner = -1;
            return i;
        }
        if (s->hash == hash && s->len == len &&
            same(entry_name(t, s->entry - 1), name, len, ix->fold_case))
            return i;
    }
    *owner = -1;
    return UINT32_MAX;
}

/* The longest run of taken slots, counted around the end of the table. */
static uint32_t longest_run(const name_index *ix)
{
    uint32_t size = ix->mask + 1, start = 0, run = 0, best = 0, k;
    while (start < size && ix->slots[start].entry)
        start++;
    if (start == size) /* cannot happen: the table is at most half full */
        return size;
    for (k = 1; k <= size; k++) {
        run = ix->slots[(start + k) & ix->mask].entry ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

/* Fills the table; 0 when a probe or a run grows past MAX_RUN. */
static int fill_table(name_index *ix, const name_table *t, size_t count)
{
    size_t i, k, names = t->offset2 != (size_t)-1 ? 2 : 1;
    for (i = 0; i < count; i++)
        for (k = 0; k < names; k++) {
            uint32_t entry = (uint32_t)(i * 2 + k);
            int32_t owner;
            const char *name = entry_name(t, entry);
            size_t len = strlen(name);
            uint32_t hash = hash_name(name, len, ix->fold_case);
            uint32_t slot = probe(ix, t, name, len, hash, &owner);
            if (slot == UINT32_MAX)
                return 0;
            if (owner < 0) {
                ix->slots[slot].hash = hash;
                ix->slots[slot].len = (uint32_t)len;
                ix->slots[slot].entry = entry + 1;
            }
        }
    return longest_run(ix) <= MAX_RUN;
}

/* ---- the sorted array, for names that collide ---- */

/* Orders names of len bytes: bytes, or (fold_case) bytes in lower case. */
static int compare_bytes(const char *a, const char *b, size_t len,
                         int fold_case)
{
    return fold_case ? dosm__text_ncasecmp(a, b, len) : memcmp(a, b, len);
}

/* Orders (hash, length, name): names the same ignoring case (fold_case)
 * are neighbours. */
static int compare_key(const name_index *ix, const name_table *t,
                       const name_slot *s, const char *name, size_t len,
                       uint32_t hash)
{
    if (s->hash != hash)
        return s->hash < hash ? -1 : 1;
    if (s->len != len)
        return s->len < len ? -1 : 1;
    return compare_bytes(entry_name(t, s->entry), name, len, ix->fold_case);
}

static int entry_order(const name_index *ix, const name_table *t,
                       const name_slot *a, const name_slot *b)
{
    int c = compare_key(ix, t, a, entry_name(t, b->entry), b->len, b->hash);
    if (c)
        return c;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

static void sift_down(const name_index *ix, const name_table *t, name_slot *v,
                      size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        name_slot tmp;
        if (child >= n)
            return;
        if (child + 1 < n && entry_order(ix, t, &v[child], &v[child + 1]) < 0)
            child++;
        if (entry_order(ix, t, &v[root], &v[child]) >= 0)
            return;
        tmp = v[root];
        v[root] = v[child];
        v[child] = tmp;
        root = child;
    }
}

/* Heapsort: in place, O(n log n) whatever the input (qsort has no context
 * argument in C99, and the order needs the table). */
static void sort_entries(const name_index *ix, const name_table *t,
                         name_slot *v, size_t n)
{
    size_t i;
    for (i = n / 2; i-- > 0;)
        sift_down(ix, t, v, i, n);
    while (n > 1) {
        name_slot tmp = v[0];
        v[0] = v[n - 1];
        v[n - 1] = tmp;
        sift_down(ix, t, v, 0, --n);
    }
}

static void fill_sorted(name_index *ix, const name_table *t, size_t count)
{
    size_t i, n = count * (t->offset2 != (size_t)-1 ? 2 : 1);
    for (i = 0; i < n; i++) {
        uint32_t entry = t->offset2 != (size_t)-1 ? (uint32_t)i : (uint32_t)i * 2;
        const char *name = entry_name(t, entry);
        size_t len = strlen(name);
        ix->slots[i].hash = hash_name(name, len, ix->fold_case);
        ix->slots[i].len = (uint32_t)len;
        ix->slots[i].entry = entry;
    }
    sort_entries(ix, t, ix->slots, n);
    ix->sorted = (uint32_t)n;
}

/* The first entry called `name`, by binary search; -1 when none. */
static NOINLINE int32_t find_sorted(const name_index *ix, const name_table *t,
                                    const char *name, size_t len,
                                    uint32_t hash)
{
    uint32_t lo = 0, hi = ix->sorted;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (compare_key(ix, t, &ix->slots[mid], name, len, hash) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ix->sorted &&
        compare_key(ix, t, &ix->slots[lo], name, len, hash) == 0)
        return (int32_t)(ix->slots[lo].entry / 2);
    return -1;
}

/* ---- building and finding ---- */

/* Returns DOSM_OK or DOSM_E_NOMEM. Each name that collides with an earlier
 * element's is reported to `clash` and left out of the index. */
int dosm__names_build(name_index *ix, arena *ar, const name_table *t, size_t count,
                int fold_case, const name_clash *clash)
{
    size_t names = count * (t->offset2 != (size_t)-1 ? 2 : 1), i, k;
    uint32_t size = 8;
    while (size < names * 2)
        size *= 2;
    ix->slots = dosm__arena_array(ar, size, sizeof *ix->slots);
    if (!ix->slots)
        return DOSM_E_NOMEM;
    ix->mask = size - 1;
    ix->fold_case = fold_case;
    ix->sorted = 0;
    if (!fill_table(ix, t, count)) {
        memset(ix->slots, 0, size * sizeof *ix->slots);
        fill_sorted(ix, t, count); /* fits: size >= 2 * names */
    }
    /* A name that finds an earlier element was that element's first. */
    for (i = 0; clash && i < count; i++)
        for (k = 0; k < (t->offset2 != (size_t)-1 ? 2u : 1u); k++) {
            const char *name =
                dosm__name_at(t, (int32_t)i, k ? t->offset2 : t->offset);
            int32_t owner = dosm__names_find(ix, t, name);
            if (owner != (int32_t)i)
                clash->fn(clash->user, owner, (int32_t)i, name);
        }
    return DOSM_OK;
}

/* The probe of a built table needs no bound: it is at most half full, its
 * runs at most MAX_RUN long. Inline twice, so that each case's hash and
 * compare are straight-line code. */
static ALWAYS_INLINE int32_t find(const name_index *ix, const name_table *t,
                                  const char *name, size_t len, int fold_case)
{
    uint32_t hash = hash_name(name, len, fold_case), i;
    if (ix->sorted)
        return find_sorted(ix, t, name, len, hash);
    for (i = hash & ix->mask;; i = (i + 1) & ix->mask) {
        const name_slot *s = &ix->slots[i];
        if (s->entry == 0)
            return -1;
        if (s->hash == hash && s->len == len &&
            same(entry_name(t, s->entry - 1), name, len, fold_case))
            return (int32_t)((s->entry - 1) / 2);
    }
}

static NOINLINE int32_t find_folded(const name_index *ix, const name_table *t,
                                    const char *name, size_t len)
{
    return find(ix, t, name, len, 1);
}

/* Firing by name and decoding a snapshot start here: an index that folds
 * case (states by id or label) is one call further, so that the exact
 * lookup saves no registers for the folded one's code. */
int32_t dosm__names_find_n(const name_index *ix, const name_table *t,
                           const char *name, size_t len)
{
    if (!ix->slots || !name) /* defensive: indexes exist before lookups */
        return -1;
    return ix->fold_case ? find_folded(ix, t, name, len)
                         : find(ix, t, name, len, 0);
}

int32_t dosm__names_find(const name_index *ix, const name_table *t, const char *name)
{
    return dosm__names_find_n(ix, t, name, name ? strlen(name) : 0);
}

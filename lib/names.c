/* Open-addressing hash index from names to element indexes. One index type
 * serves every named table (states by id and label, events, attributes,
 * guards, effects) so lookups cost the same whatever the table's size. */
#include "internal.h"

#include <string.h>

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
 * multiplies as long as the name, and firing by name waits on it. */
static uint32_t name_hash(const char *name, int fold_case)
{
    size_t len = strlen(name), i = 0;
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ len, w;
    for (; len - i >= 8; i += 8) {
        memcpy(&w, name + i, 8);
        h = mix(h, w, fold_case);
    }
    if (i < len) {
        size_t k;
        for (w = 0, k = 0; i + k < len; k++)
            w |= (uint64_t)(unsigned char)name[i + k] << (8 * k);
        h = mix(h, w, fold_case);
    }
    return (uint32_t)h;
}

static int same(const name_index *ix, const char *a, const char *b)
{
    return ix->fold_case ? dosm__text_casecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* Finds the slot holding `name`, or the empty slot where it would go;
 * *owner receives the element index found there (or -1). */
static uint32_t probe(const name_index *ix, const name_table *t,
                      const char *name, int32_t *owner)
{
    uint32_t i = name_hash(name, ix->fold_case) & ix->mask;
    for (;; i = (i + 1) & ix->mask) {
        int32_t e = ix->slots[i] - 1;
        *owner = e;
        if (e < 0 || same(ix, dosm__name_at(t, e, t->offset), name) ||
            (t->offset2 != (size_t)-1 &&
             same(ix, dosm__name_at(t, e, t->offset2), name)))
            return i;
    }
}

static void insert(name_index *ix, const name_table *t, const char *name,
                   int32_t i, const name_clash *clash)
{
    int32_t owner;
    uint32_t slot = probe(ix, t, name, &owner);
    if (owner < 0)
        ix->slots[slot] = i + 1;
    else if (owner != i && clash)
        clash->fn(clash->user, owner, i, name);
}

/* Returns DOSM_OK or DOSM_E_NOMEM. Each name that collides with an earlier
 * element's is reported to `clash` and left out of the index. */
int dosm__names_build(name_index *ix, arena *ar, const name_table *t, size_t count,
                int fold_case, const name_clash *clash)
{
    uint32_t size = 8;
    size_t i;
    while (size < count * 2 + 2)
        size *= 2;
    ix->slots = dosm__arena_array(ar, size, sizeof *ix->slots);
    if (!ix->slots)
        return DOSM_E_NOMEM;
    ix->mask = size - 1;
    ix->fold_case = fold_case;
    for (i = 0; i < count; i++) {
        int32_t e = (int32_t)i;
        insert(ix, t, dosm__name_at(t, e, t->offset), e, clash);
        if (t->offset2 != (size_t)-1)
            insert(ix, t, dosm__name_at(t, e, t->offset2), e, clash);
    }
    return DOSM_OK;
}

int32_t dosm__names_find(const name_index *ix, const name_table *t, const char *name)
{
    int32_t owner;
    if (!ix->slots || !name) /* defensive: indexes exist before lookups */
        return -1;
    probe(ix, t, name, &owner);
    return owner;
}

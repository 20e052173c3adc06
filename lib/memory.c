/* Allocation through the host's hooks, and arenas freed all at once. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void default_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static const dosm_allocator default_allocator = {default_alloc, default_free,
                                                 NULL};

static const dosm_allocator *pick(const dosm_allocator *a)
{
    return a && a->alloc && a->free ? a : &default_allocator;
}

void *dosm__mem_alloc(const dosm_allocator *a, size_t size)
{
    a = pick(a);
    return a->alloc(a->user, size ? size : 1);
}

void dosm__mem_free(const dosm_allocator *a, void *ptr)
{
    if (ptr) {
        a = pick(a);
        a->free(a->user, ptr);
    }
}

/* Chunks grow geometrically so a load makes few allocations (which keeps
 * the allocation-failure sweep short) and wastes at most half. Built with
 * DOSM_ARENA_CHECKED, every object is a heap block of its own, of exactly
 * its size, so AddressSanitizer and Valgrind see where each one ends: in a
 * shared chunk, an overrun into the next object is invisible to them. */
#define CHUNK_MIN 4096u
#define ALIGN 16u
#ifdef DOSM_ARENA_CHECKED
#define OWN_BLOCKS 1
#else
#define OWN_BLOCKS 0
#endif

struct chunk {
    chunk *next;
    size_t used, size;
};

#define CHUNK_HEADER ((sizeof(chunk) + ALIGN - 1) / ALIGN * ALIGN)

void dosm__arena_init(arena *ar, const dosm_allocator *a)
{
    ar->alloc = *pick(a);
    ar->head = NULL;
    ar->bytes = 0;
}

void *dosm__arena_alloc(arena *ar, size_t size)
{
    size_t need = OWN_BLOCKS ? size : (size + ALIGN - 1) / ALIGN * ALIGN;
    chunk *c = ar->head;
    unsigned char *p;

    if (size > (size_t)-1 / 2) /* unreachable under the input limits */
        return NULL;
    if (OWN_BLOCKS || !c || c->size - c->used < need) {
        size_t cap = c ? c->size * 2 : CHUNK_MIN;
        if (cap > 1u << 20)
            cap = 1u << 20;
        if (OWN_BLOCKS || cap < need)
            cap = need;
        c = dosm__mem_alloc(&ar->alloc, CHUNK_HEADER + cap);
        if (!c)
            return NULL;
        c->next = ar->head;
        c->used = 0;
        c->size = cap;
        ar->head = c;
        ar->bytes += CHUNK_HEADER + cap;
    }
    p = (unsigned char *)c + CHUNK_HEADER + c->used;
    c->used += need;
    memset(p, 0, size);
    return p;
}

void *dosm__arena_array(arena *ar, size_t count, size_t size)
{
    if (size && count > ((size_t)-1 / 2) / size) /* as above */
        return NULL;
    return dosm__arena_alloc(ar, count * size);
}

char *dosm__arena_strdup(arena *ar, const char *s, size_t len)
{
    char *p = dosm__arena_alloc(ar, len + 1);
    if (p && len) /* s may be NULL when len is 0 */
        memcpy(p, s, len);
    return p;
}

void dosm__arena_free(arena *ar)
{
    chunk *c = ar->head;
    while (c) {
        chunk *next = c->next;
        dosm__mem_free(&ar->alloc, c);
        c = next;
    }
    ar->head = NULL;
    ar->bytes = 0;
}

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
 * the allocation-failure sweep short), up to half the input's length, so
 * that the last chunk, which may be nearly empty, is small beside what
 * the input makes (a 3 kB file's arenas got 16 kB chunks). Built with
 * DOSM_ARENA_CHECKED, every object is a heap block of its own, of exactly
 * its size, so AddressSanitizer and Valgrind see where each one ends: in a
 * shared chunk, an overrun into the next object is invisible to them. */
#define CHUNK_MIN 4096u
#define CHUNK_MAX (1u << 20)
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

void dosm__arena_init(arena *ar, const dosm_allocator *a, size_t input)
{
    ar->alloc = *pick(a);
    ar->head = NULL;
    ar->bytes = 0;
    ar->most = input / 2 < CHUNK_MIN ? CHUNK_MIN
               : input / 2 > CHUNK_MAX ? CHUNK_MAX
                                       : input / 2;
}

/* size bytes at a multiple of align (1 or ALIGN) from the start of a
 * chunk, not zeroed: texts take 1, so each costs its length and no more. */
static void *take(arena *ar, size_t size, size_t align)
{
    chunk *c = ar->head;
    size_t start = c ? (c->used + align - 1) / align * align : 0;

    if (size > (size_t)-1 / 2) /* unreachable under the input limits */
        return NULL;
    if (OWN_BLOCKS || !c || start > c->size || c->size - start < size) {
        size_t cap = c ? c->size * 2 : CHUNK_MIN;
        if (cap > ar->most)
            cap = ar->most;
        if (OWN_BLOCKS || cap < size)
            cap = size;
        c = dosm__mem_alloc(&ar->alloc, CHUNK_HEADER + cap);
        if (!c)
            return NULL;
        c->next = ar->head;
        c->size = cap;
        ar->head = c;
        ar->bytes += CHUNK_HEADER + cap;
        start = 0;
    }
    c->used = start + size;
    return (unsigned char *)c + CHUNK_HEADER + start;
}

void *dosm__arena_alloc(arena *ar, size_t size)
{
    void *p = take(ar, size, ALIGN);
    if (p)
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
    char *p = take(ar, len + 1, 1);
    if (!p)
        return NULL;
    if (len) /* s may be NULL when len is 0 */
        memcpy(p, s, len);
    p[len] = '\0';
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

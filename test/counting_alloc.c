#include "counting_alloc.h"

#include <stdlib.h>

/* Each block carries its size in front, so the peak can be tracked. */
#define HEADER 16
static void *counting_alloc(void *user, size_t size)
{
    test_alloc *t = user;
    size_t *p;
    t->count++;
    if (t->fail_at && t->count == t->fail_at)
        return NULL;
    p = malloc(size + HEADER);
    if (!p)
        return NULL;
    *p = size;
    t->live++;
    t->bytes += size;
    if (t->bytes > t->peak)
        t->peak = t->bytes;
    return (char *)p + HEADER;
}

static void counting_free(void *user, void *ptr)
{
    test_alloc *t = user;
    size_t *p;
    if (!ptr)
        return;
    p = (size_t *)(void *)((char *)ptr - HEADER);
    t->live--;
    t->bytes -= *p;
    free(p);
}

dosm_allocator test_allocator(test_alloc *t)
{
    dosm_allocator a;
    a.alloc = counting_alloc;
    a.free = counting_free;
    a.user = t;
    return a;
}


#include "support.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

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

dosm_def *load_text(const char *yaml)
{
    dosm_def *def = NULL;
    dosm_error err;
    int rc = dosm_load(yaml, strlen(yaml), "test", NULL, &def, &err);
    if (rc != DOSM_OK)
        fail_msg("load failed: %s %u:%u %s", dosm_code_name(rc), err.line,
                 err.column, err.text);
    return def;
}

dosm_def *load_lab(void)
{
    char *yaml = read_file(LAB_PATH, NULL);
    dosm_def *def;
    if (!yaml)
        fail_msg("cannot read %s", LAB_PATH);
    def = load_text(yaml);
    free(yaml);
    return def;
}

/* Workflow definitions by name, each loaded from DIR/NAME.yaml the first
 * time an order needs it, then shared by every order of that workflow. */
#include "labdesk.h"

#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got = 1;
    if (!f)
        return NULL;
    while (got) {
        if (n == cap) {
            char *bigger = realloc(buf, (cap = cap * 2 + 65536) + 1);
            if (!bigger)
                break;
            buf = bigger;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    }
    if (got || ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Workflow names are lower case, digits and dashes, which also keeps a
 * feed from naming a file outside the directory. */
static int well_formed(const char *name)
{
    size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-");
    return n > 0 && n < ID_MAX && name[n] == '\0' && name[0] != '-';
}

workflow *catalog_get(catalog *c, const char *name, char *error, size_t size)
{
    char path[1024];
    size_t i, len;
    char *yaml;
    dosm_error err;
    workflow *w;
    for (i = 0; i < c->count; i++)
        if (strcmp(c->items[i].name, name) == 0)
            return &c->items[i];
    if (!well_formed(name)) {
        snprintf(error, size,
                 "\"%s\" is not a workflow name (lower case, digits, dashes)",
                 name);
        return NULL;
    }
    snprintf(path, sizeof path, "%s/%s.yaml", c->dir, name);
    if (!(yaml = slurp(path, &len))) {
        snprintf(error, size, "unknown workflow \"%s\" (no %s)", name, path);
        return NULL;
    }
    if (c->count == sizeof c->items / sizeof *c->items) {
        free(yaml);
        snprintf(error, size, "too many workflows");
        return NULL;
    }
    w = &c->items[c->count];
    memset(w, 0, sizeof *w);
    if (dosm_load(yaml, len, path, NULL, &w->def, &err) != DOSM_OK) {
        free(yaml);
        snprintf(error, size, "%s:%u:%u: %s", err.source, err.line,
                 err.column, err.text);
        return NULL;
    }
    free(yaml);
    if (strcmp(dosm_def_name(w->def), name) != 0) {
        snprintf(error, size, "%s holds workflow \"%s\", not \"%s\"", path,
                 dosm_def_name(w->def), name);
        dosm_def_free(w->def);
        return NULL;
    }
    COPY(w->name, name);
    c->count++;
    return w;
}

void catalog_free(catalog *c)
{
    size_t i;
    for (i = 0; i < c->count; i++) {
        dosm_host_free(c->items[i].host);
        dosm_def_free(c->items[i].def);
    }
    c->count = 0;
}

/* Reads YAML bytes with libyaml's event API into a small tree that keeps
 * every node's position. Enforces the limits while reading, so hostile input
 * cannot make us build more than allowed: size, depth, node count. Anchors
 * and aliases are refused outright (no alias bombs), and so are duplicate
 * keys, which libyaml itself accepts. */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A finding held back until the whole stream has parsed: if the text is
 * not YAML at all, the syntax error is the one thing worth saying. */
typedef struct pending {
    struct pending *next;
    int code;
    mark at;
    char text[DOSM_TEXT_MAX];
} pending;

typedef struct reader {
    const limits *lim;
    arena *ar;
    diag_sink *sink;
    node **open;      /* stack of open collections */
    node **last;      /* last child of each open collection */
    unsigned depth;
    size_t nodes;
    node *root;
    int documents;
    int skipping;     /* refused already: parse on, build nothing */
    pending *first, **tail;
    unsigned held;    /* findings pending */
} reader;

/* Holds a finding. The sink reports max_errors of them, so no more are
 * kept: memory for findings is bounded whatever the file (a list of
 * 199,000 texts holding a NUL would otherwise hold 45 MB of them). */
static int defer(reader *r, int code, mark at, const char *fmt, ...)
{
    va_list ap;
    pending *p;
    if (r->held >= r->lim->max_errors)
        return 1;
    r->held++;
    p = dosm__arena_alloc(r->ar, sizeof *p);
    if (!p) {
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return 0;
    }
    p->code = code;
    p->at = at;
    va_start(ap, fmt);
    dosm__text_vformat(p->text, sizeof p->text, fmt, ap);
    va_end(ap);
    *r->tail = p;
    r->tail = &p->next;
    return 1;
}

static void flush_deferred(reader *r)
{
    const pending *p;
    for (p = r->first; p; p = p->next)
        dosm__diag_report(r->sink, DOSM_ERROR, p->code, p->at, "%s", p->text);
}

static mark mark_of(yaml_mark_t m)
{
    mark at;
    at.line = (uint32_t)(m.line + 1);
    at.col = (uint32_t)(m.column + 1);
    return at;
}

/* Reader errors (bad UTF-8, control characters) carry a byte offset rather
 * than a mark: count lines and characters up to it ourselves. */
static mark mark_at_offset(const char *buf, size_t len, size_t offset)
{
    mark at = {1, 1};
    size_t i;
    for (i = 0; i < offset && i < len; i++) {
        if (buf[i] == '\n') {
            at.line++;
            at.col = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            at.col++;
        }
    }
    return at;
}

static void syntax_error(reader *r, const yaml_parser_t *p, const char *buf,
                         size_t len)
{
    mark at;
    if (p->error == YAML_MEMORY_ERROR) {
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory in the YAML parser");
        return;
    }
    at = p->error == YAML_READER_ERROR
             ? mark_at_offset(buf, len, p->problem_offset)
             : mark_of(p->problem_mark);
    if (p->context)
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_D_YAML, at,
                    "YAML syntax error: %s %s (line %u)", p->problem,
                    p->context, (unsigned)p->context_mark.line + 1);
    else
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_D_YAML, at,
                    "YAML syntax error: %s",
                    p->problem ? p->problem : "unreadable input");
}

static int key_order(const void *a, const void *b)
{
    const node *x = *(const node *const *)a, *y = *(const node *const *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->text, y->text, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->at.line != y->at.line)
        return x->at.line < y->at.line ? -1 : 1;
    return x->at.col < y->at.col ? -1 : (x->at.col > y->at.col);
}

/* Keys must be scalars and unique; sorting makes the check O(n log n) even
 * for a hostile mapping with a hundred thousand keys. A mapping of at most
 * SMALL_MAP keys (almost every one) is sorted by insertion on the stack,
 * into the same order, so it costs no memory. */
#define SMALL_MAP 16u
static int check_keys(reader *r, const node *map)
{
    node *small[SMALL_MAP], **keys = small;
    const node *k;
    uint32_t n = 0, i, j;

    for (k = map->first; k; k = k->next->next) {
        if (k->kind != NODE_SCALAR &&
            !defer(r, DOSM_D_TYPE, k->at, "a key must be plain text, not a %s",
                   k->kind == NODE_MAP ? "mapping" : "list"))
            return DOSM_E_NOMEM;
    }
    if (map->count / 2 > SMALL_MAP &&
        !(keys = dosm__arena_array(r->ar, map->count / 2, sizeof *keys)))
        return DOSM_E_NOMEM;
    for (k = map->first; k; k = k->next->next)
        if (k->kind == NODE_SCALAR)
            keys[n++] = (node *)k;
    if (keys != small)
        qsort(keys, n, sizeof *keys, key_order);
    for (i = 1; keys == small && i < n; i++) {
        node *key = keys[i];
        for (j = i; j > 0 && key_order(&keys[j - 1], &key) > 0; j--)
            keys[j] = keys[j - 1];
        keys[j] = key;
    }
    for (i = 1; i < n; i++)
        if (keys[i]->len == keys[i - 1]->len &&
            memcmp(keys[i]->text, keys[i - 1]->text, keys[i]->len) == 0 &&
            !defer(r, DOSM_D_DUPLICATE_KEY, keys[i]->at,
                   "duplicate key '%s' (first at line %u)", keys[i]->text,
                   keys[i - 1]->at.line))
            return DOSM_E_NOMEM;
    return DOSM_OK;
}

static node *add_node(reader *r, node_kind kind, const yaml_event_t *ev)
{
    node *n;
    if (++r->nodes > r->lim->max_nodes) {
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_D_LIMIT, mark_of(ev->start_mark),
                    "more than %U YAML nodes (the limit)",
                    (uint64_t)r->lim->max_nodes);
        return NULL;
    }
    n = dosm__arena_alloc(r->ar, sizeof *n);
    if (!n) {
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return NULL;
    }
    n->kind = (unsigned char)kind;
    n->at = mark_of(ev->start_mark);
    if (r->depth == 0) {
        r->root = n;
    } else {
        node *parent = r->open[r->depth - 1];
        if (r->last[r->depth - 1])
            r->last[r->depth - 1]->next = n;
        else
            parent->first = n;
        r->last[r->depth - 1] = n;
        parent->count++;
    }
    return n;
}

static int open_collection(reader *r, node *n)
{
    if (r->depth >= r->lim->max_depth) {
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_D_LIMIT, n->at,
                    "nesting deeper than %u levels (the limit)",
                    r->lim->max_depth);
        return 0;
    }
    r->open[r->depth] = n;
    r->last[r->depth] = NULL;
    r->depth++;
    return 1;
}

/* Handles one event; returns 0 to stop reading. */
static int on_event(reader *r, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL;
    node *n;

    if (r->skipping)
        return 1;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++r->documents > 1) {
            r->skipping = 1;
            return defer(r, DOSM_D_YAML, mark_of(ev->start_mark),
                         "a definition is one YAML document; a second one "
                         "starts here");
        }
        return 1;
    case YAML_ALIAS_EVENT:
        r->skipping = 1;
        return defer(r, DOSM_D_ALIAS, mark_of(ev->start_mark),
                     "YAML aliases (*%s) are not supported: write the value "
                     "out",
                     (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_END_EVENT:
        r->depth--;
        if (check_keys(r, r->open[r->depth]) == DOSM_OK)
            return 1;
        dosm__diag_report(r->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return 0;
    case YAML_SEQUENCE_END_EVENT:
        r->depth--;
        return 1;
    default:
        return 1;
    }
    if (anchor) {
        /* Refuse anchors outright, so no alias is ever expanded. */
        r->skipping = 1;
        return defer(r, DOSM_D_ALIAS, mark_of(ev->start_mark),
                     "YAML anchors (&%s) are not supported",
                     (const char *)anchor);
    }
    if (ev->type == YAML_SCALAR_EVENT) {
        n = add_node(r, NODE_SCALAR, ev);
        if (!n)
            return 0;
        n->plain = (unsigned char)(ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
        n->len = ev->data.scalar.length;
        n->text = dosm__arena_strdup(r->ar, (const char *)ev->data.scalar.value,
                               n->len);
        if (!n->text) {
            dosm__diag_report(r->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                        "out of memory");
            return 0;
        }
        /* A "\0" escape: names compared as C strings would lose the rest. */
        if (strlen(n->text) != n->len)
            return defer(r, DOSM_D_VALUE, n->at,
                         "text may not contain a NUL character (\\0)");
        return 1;
    }
    n = add_node(r, ev->type == YAML_MAPPING_START_EVENT ? NODE_MAP : NODE_SEQ,
                 ev);
    return n && open_collection(r, n);
}

int dosm__yamltree_read(const char *buf, size_t len, const limits *lim,
                  arena *scratch, diag_sink *sink, node **root)
{
    yaml_parser_t parser;
    reader r;
    int done = 0;

    /* libyaml asserts on a NULL input even when the length is 0. */
    if (!buf)
        buf = "";
    *root = NULL;
    if (len > lim->max_input) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_D_LIMIT, (mark){1, 1},
                    "the definition is %U bytes; the limit is %U",
                    (uint64_t)len, (uint64_t)lim->max_input);
        return sink->error->code;
    }
    memset(&r, 0, sizeof r);
    r.tail = &r.first;
    r.lim = lim;
    r.ar = scratch;
    r.sink = sink;
    r.open = dosm__arena_array(scratch, lim->max_depth + 1u, sizeof *r.open);
    r.last = dosm__arena_array(scratch, lim->max_depth + 1u, sizeof *r.last);
    if (!r.open || !r.last) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return DOSM_E_NOMEM;
    }
    /* Fails only if libyaml's own malloc does: not reachable by our hooks. */
    if (!yaml_parser_initialize(&parser)) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory in the YAML parser");
        return DOSM_E_NOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (!done) {
        yaml_event_t ev;
        int go;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&r, &parser, buf, len);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        go = on_event(&r, &ev);
        yaml_event_delete(&ev);
        if (!go)
            break;
    }
    yaml_parser_delete(&parser);
    if (done)
        flush_deferred(&r);
    *root = r.skipping ? NULL : r.root;
    /* A complete tree may still hold duplicate keys: those are reported, and
     * the loader goes on to find more errors in it. */
    return done && !sink->nomem && !r.skipping ? DOSM_OK : sink->error->code;
}

int dosm__node_is_null(const node *n)
{
    return !n || (n->kind == NODE_SCALAR && n->plain &&
                  (n->len == 0 || strcmp(n->text, "~") == 0 ||
                   strcmp(n->text, "null") == 0));
}

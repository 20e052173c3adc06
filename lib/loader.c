/* Turns the YAML tree into a definition: every key known, every value of
 * the right type and form, every name resolved to an index. Reports each
 * mistake with its position and goes on, so one run shows them all. What
 * a resolved name means (a parent where a leaf must be, a guard name that
 * is a guard word) is checker.c's: the loader calls those checks where it
 * resolves the name, so diagnostics come in file order. */
#include "load.h"

#include <stddef.h>
#include <string.h>

typedef struct ld {
    dosm_def *d;
    diag_sink *sink;
    const limits *lim;
    arena *scratch;
    uint32_t *seen;      /* per state: the `from` list that last named it */
    uint32_t generation;
    size_t hint_budget;  /* what is left for "did you mean" hints */
    struct hint_cache {  /* a table hinted from, its letters counted */
        const name_index *ix;
        name_table table;
        hint_names names;
    } hints[4]; /* states, events, effects, vocabularies */
    uint32_t guard_tokens;  /* left for the guards (DOSM_GUARD_TOKENS_ALL) */
    guard_expr **guards;    /* parsed guards by text: open addressing */
    uint32_t guard_mask, guard_count;
    unsigned sound;         /* SOUND_*: what the checker may still read */
} ld;

/* The most names in one list (tags, enum values, renamed ids, a
 * vocabulary's values of a state). */
#define MAX_NAME_LIST 256

/* The texts of one list so far, to find repeats by hash, so that finding
 * them costs the length of the list: pairwise, 700 lists of 256 values of
 * one state (each compared with the state's earlier values) would take
 * 12 s. */
typedef struct text_set {
    const char *slot[2 * MAX_NAME_LIST];
    uint32_t mask;
} text_set;

/* Readies set for a list of up to count texts (at most MAX_NAME_LIST). */
static void text_set_init(text_set *set, uint32_t count)
{
    uint32_t size = 8;
    while (size < 2 * count)
        size *= 2;
    memset(set->slot, 0, size * sizeof set->slot[0]);
    set->mask = size - 1;
}

/* Adds s; 0 when the list had it already. */
static int text_set_add(text_set *set, const char *s)
{
    uint32_t i = dosm__text_hash(TEXT_HASH_SEED, s) & set->mask;
    for (; set->slot[i]; i = (i + 1) & set->mask)
        if (strcmp(set->slot[i], s) == 0)
            return 0;
    set->slot[i] = s;
    return 1;
}

#define ERR(l, code, at, ...) dosm__diag_report((l)->sink, DOSM_ERROR, code, at, __VA_ARGS__)

/* Errors since `before` were in `part` (SOUND_EDGES, SOUND_GUARDS): the
 * checks that read all of it would report their consequences. */
static int sound_since(ld *l, unsigned before, unsigned part)
{
    if (l->sink->errors == before)
        return 1;
    l->sound &= ~part;
    return 0;
}

static const char *const top_keys[] = {
    "dosm", "name", "title", "revision", "source", "description", "initial",
    "attributes", "guards", "effects", "states", "events", "transitions",
    "rollup", "vocabularies", NULL};
static const char *const state_keys[] = {
    "label", "description", "final", "parent", "tags", "attention", "rank",
    "transient", "timeout", "external", "renamed_from", NULL};
static const char *const timeout_keys[] = {"after", "event", NULL};
static const char *const event_keys[] = {"label", "description", "payload",
                                         NULL};
static const char *const attribute_keys[] = {"type", "values", "description",
                                             NULL};
static const char *const payload_keys[] = {"type", "values", "required",
                                           "description", NULL};
static const char *const transition_keys[] = {
    "event", "from", "to", "guard", "effects", "description", NULL};
static const char *const rollup_keys[] = {"mixed", NULL};
static const char *const vocabulary_keys[] = {"description", "workflow", NULL};

static const char *const attention_names[] = {"red", "yellow", "green",
                                              "white", NULL};
static const char *const type_names[] = {"string", "enum", "integer",
                                         "boolean", "version", NULL};
static const char *const fhir_task_status[] = {
    "draft", "requested", "received", "accepted", "rejected", "ready",
    "cancelled", "in-progress", "on-hold", "failed", "completed",
    "entered-in-error", NULL};

static int nomem(ld *l)
{
    ERR(l, DOSM_E_NOMEM, (mark){0, 0}, "out of memory");
    return 0;
}

/* strcmp(a, b) == 0, without the call for the usual keys that differ in
 * their first letter. */
static int same_text(const char *a, const char *b)
{
    return a[0] == b[0] && strcmp(a, b) == 0;
}

static int word_index(const char *const *words, const char *s)
{
    int i;
    for (i = 0; words[i]; i++)
        if (same_text(words[i], s))
            return i;
    return -1;
}

static const char *word_at(const void *list, size_t i)
{
    return ((const char *const *)list)[i];
}

static const char *nearest_word(const char *const *words, const char *s)
{
    hint_names h;
    memset(&h, 0, sizeof h);
    h.name_of = word_at;
    h.list = words;
    while (words[h.count])
        h.count++;
    return dosm__text_nearest(s, &h, NULL);
}

/* Lists where one name may be written without brackets ("from: A" or
 * "from: [A, B]"): a scalar counts as a list of one. */
static const node *list_first(const node *n)
{
    return n->kind == NODE_SEQ ? n->first : n;
}

static const node *list_next(const node *list, const node *item)
{
    return list->kind == NODE_SEQ ? item->next : NULL;
}

static const node *map_get(const node *map, const char *key)
{
    const node *k;
    if (!map || map->kind != NODE_MAP)
        return NULL;
    for (k = map->first; k; k = k->next->next)
        if (k->kind == NODE_SCALAR && same_text(k->text, key))
            return k->next;
    return NULL;
}

static const char *kind_name(node_kind k)
{
    return k == NODE_MAP ? "a mapping" : k == NODE_SEQ ? "a list" : "text";
}

static int want(ld *l, const node *n, node_kind kind, const char *what)
{
    if (n->kind == kind)
        return 1;
    ERR(l, DOSM_D_TYPE, n->at, "%s must be %s, not %s", what, kind_name(kind),
        kind_name(n->kind));
    return 0;
}

/* Reports every key of `map` that is not in `known`, with a suggestion. */
static void check_known(ld *l, const node *map, const char *what,
                        const char *const *known)
{
    /* Keys that, misspelt, change the graph; what was meant is then
     * unknown (a misspelt `guard` leaves the guards unsound). */
    static const char *const edge_keys[] = {
        "initial", "states", "events", "transitions", "rollup", "mixed",
        "final", "parent", "transient", "timeout", "after", "event", "from",
        "to", NULL};
    const node *k;
    for (k = map->first; k; k = k->next->next) {
        const char *near;
        if (k->kind != NODE_SCALAR || word_index(known, k->text) >= 0)
            continue;
        near = dosm__diag_full(l->sink) ? NULL : nearest_word(known, k->text);
        if (near && word_index(edge_keys, near) >= 0)
            l->sound &= ~SOUND_EDGES;
        if (near && strcmp(near, "guard") == 0)
            l->sound &= ~SOUND_GUARDS;
        if (near)
            ERR(l, DOSM_D_UNKNOWN_KEY, k->at,
                "unknown key '%s' in %s; did you mean '%s'?", k->text, what,
                near);
        else
            ERR(l, DOSM_D_UNKNOWN_KEY, k->at, "unknown key '%s' in %s",
                k->text, what);
    }
}

/* Text of a scalar, copied into the definition. */
static const char *text_of(ld *l, const node *n, const char *what)
{
    const char *s;
    if (!want(l, n, NODE_SCALAR, what))
        return NULL;
    s = dosm__arena_strdup(&l->d->mem, n->text, n->len);
    if (!s)
        nomem(l);
    return s;
}

static const char *get_text(ld *l, const node *map, const char *key,
                            int required, const char *what)
{
    const node *n = map_get(map, key);
    if (!n) {
        if (required)
            ERR(l, DOSM_D_MISSING, map->at, "%s needs '%s'", what, key);
        return required ? NULL : "";
    }
    if (dosm__node_is_null(n))
        return "";
    return text_of(l, n, key);
}

static const char *get_ident(ld *l, const node *n, ident_kind kind,
                             const char *what)
{
    static const char *const forms[] = {
        "UPPER_SNAKE_CASE (A-Z, 0-9, _)", "lower_snake_case (a-z, 0-9, _)",
        "lower case with dashes (a-z, 0-9, -)"};
    static const char *const starts[] = {"a letter", "a letter",
                                         "a letter or digit"};
    const char *s = text_of(l, n, what);
    if (s && !dosm__text_is_ident(s, kind)) {
        ERR(l, DOSM_D_IDENT, n->at,
            "%s '%s' must be %s, start with %s and have at most 64 "
            "characters",
            what, s, forms[kind], starts[kind]);
        return NULL;
    }
    return s;
}

/* The name a key declares. A malformed one is reported and its text stands
 * in (a non-text key: ""), so indexes and later checks always have a name. */
static const char *key_name(ld *l, const node *key, ident_kind kind,
                            const char *what)
{
    const char *s = get_ident(l, key, kind, what);
    if (!s && key->kind == NODE_SCALAR)
        s = dosm__arena_strdup(&l->d->mem, key->text, key->len);
    if (!s && key->kind == NODE_SCALAR)
        nomem(l);
    return s ? s : "";
}

static int get_int(ld *l, const node *n, int64_t lo, int64_t hi,
                   const char *what, int64_t *out)
{
    if (!want(l, n, NODE_SCALAR, what))
        return 0;
    if (!n->plain || !dosm__text_parse_int(n->text, out) || *out < lo || *out > hi) {
        ERR(l, n->plain ? DOSM_D_VALUE : DOSM_D_TYPE, n->at,
            "%s must be a whole number from %L to %L, not '%s'", what, lo, hi,
            n->text);
        return 0;
    }
    return 1;
}

static int get_bool(ld *l, const node *map, const char *key, int dflt)
{
    const node *n = map_get(map, key);
    if (!n)
        return dflt;
    if (n->kind == NODE_SCALAR && n->plain && strcmp(n->text, "true") == 0)
        return 1;
    if (n->kind == NODE_SCALAR && n->plain && strcmp(n->text, "false") == 0)
        return 0;
    ERR(l, DOSM_D_TYPE, n->at, "'%s' must be true or false", key);
    return dflt;
}

/* One of a fixed set of words, or -1 after reporting. */
static int get_word(ld *l, const node *n, const char *const *words,
                    const char *what)
{
    int i;
    if (!want(l, n, NODE_SCALAR, what))
        return -1;
    i = word_index(words, n->text);
    if (i < 0)
        ERR(l, DOSM_D_VALUE, n->at, "%s '%s' is not one of %s, %s, %s, ...",
            what, n->text, words[0], words[1], words[2]);
    return i;
}

/* A list of names: a scalar counts as a list of one. */
static const char **get_names(ld *l, const node *n, ident_kind kind,
                              const char *what, uint32_t *count)
{
    const node *item;
    const char **out;
    uint32_t i = 0;
    text_set seen;
    *count = 0;
    if (dosm__node_is_null(n))
        return NULL;
    if (n->kind == NODE_MAP)
        return want(l, n, NODE_SEQ, what), NULL;
    if (n->kind == NODE_SEQ && n->count > MAX_NAME_LIST) {
        ERR(l, DOSM_D_LIMIT, n->at, "more than %u names in one list (the "
                                    "limit)",
            (unsigned)MAX_NAME_LIST);
        return NULL;
    }
    out = dosm__arena_array(&l->d->mem, n->kind == NODE_SEQ ? n->count : 1,
                      sizeof *out);
    if (!out)
        return nomem(l), NULL;
    text_set_init(&seen, n->kind == NODE_SEQ ? n->count : 1);
    for (item = list_first(n); item; item = list_next(n, item)) {
        const char *s = get_ident(l, item, kind, what);
        if (!s)
            continue;
        if (!text_set_add(&seen, s))
            ERR(l, DOSM_D_VALUE, item->at, "%s '%s' is listed twice", what, s);
        else
            out[i++] = s;
    }
    *count = i;
    return out;
}

/* ---- names: finding what a definition declares ---- */

static const char *table_name_at(const void *table, size_t i)
{
    const name_table *t = table;
    return dosm__name_at(t, (int32_t)i, t->offset);
}

/* The name of table t nearest to s. The first hint from a table counts
 * the letters of its names once for all the others. */
static const char *nearest_in(ld *l, const name_index *ix,
                              const name_table *t, size_t count, const char *s)
{
    struct hint_cache *c = NULL;
    size_t k;
    for (k = 0; k < sizeof l->hints / sizeof l->hints[0] && !c; k++)
        if (l->hints[k].ix == ix || !l->hints[k].ix)
            c = &l->hints[k];
    if (!c) /* cannot happen: four tables are hinted from */
        return NULL;
    if (!c->ix) {
        c->ix = ix;
        c->table = *t;
        c->names.name_of = table_name_at;
        c->names.list = &c->table;
        c->names.count = count;
        if (!dosm__text_hint_prepare(&c->names, l->scratch))
            return nomem(l), NULL;
    }
    return dosm__text_nearest(s, &c->names, &l->hint_budget);
}

/* Resolves a reference by name, reporting an unknown one with a hint. */
static int32_t resolve(ld *l, const name_index *ix, const name_table *t,
                       size_t count, const node *n, const char *kind)
{
    int32_t i;
    const char *near;
    if (!want(l, n, NODE_SCALAR, kind))
        return -1;
    i = dosm__names_find(ix, t, n->text);
    if (i >= 0)
        return i;
    near = dosm__diag_full(l->sink) ? NULL : nearest_in(l, ix, t, count, n->text);
    if (near)
        ERR(l, DOSM_D_REF, n->at, "unknown %s '%s'; did you mean '%s'?", kind,
            n->text, near);
    else
        ERR(l, DOSM_D_REF, n->at, "unknown %s '%s'", kind, n->text);
    return -1;
}

static int32_t state_ref(ld *l, const node *n)
{
    name_table t = dosm__table_of_states(l->d);
    if (n->kind == NODE_SCALAR && !dosm__text_is_ident(n->text, IDENT_STATE)) {
        ERR(l, DOSM_D_REF, n->at,
            "'%s' is not a state id (state ids are UPPER_SNAKE_CASE)",
            n->text);
        return -1;
    }
    return resolve(l, &l->d->state_ix, &t, l->d->state_count, n, "state");
}

static int32_t event_ref(ld *l, const node *n)
{
    name_table t = dosm__table_of_events(l->d);
    return resolve(l, &l->d->event_ix, &t, l->d->event_count, n, "event");
}

static void on_clash(void *user, int32_t first, int32_t second,
                     const char *name)
{
    ld *l = user;
    const state_def *s = &l->d->states[second];
    if (strcmp(s->id, l->d->states[first].id) == 0)
        return; /* the same key twice: reported as a duplicate key */
    ERR(l, DOSM_D_CLASH, s->at,
        "state %s: '%s' is already the id or label of state %s (ignoring "
        "case)",
        s->id, name, l->d->states[first].id);
}

/* Names of one YAML mapping are unique already (duplicate keys), so only
 * states, found by id or label, need to hear of clashes. */
static int build_index(ld *l, name_index *ix, name_table t, size_t count,
                       int fold_case, const name_clash *clash)
{
    if (dosm__names_build(ix, &l->d->mem, &t, count, fold_case, clash) != DOSM_OK)
        return nomem(l);
    return 1;
}

/* ---- fields: attributes and payload ---- */

static void load_field(ld *l, const node *key, const node *spec, field *f,
                       int payload)
{
    const node *type, *values;
    int t;
    f->name = key_name(l, key, IDENT_NAME,
                       payload ? "payload field" : "attribute");
    f->at = key->at;
    f->required = 1;
    if (!want(l, spec, NODE_MAP, f->name))
        return;
    check_known(l, spec, payload ? "a payload field" : "an attribute",
                payload ? payload_keys : attribute_keys);
    f->description = get_text(l, spec, "description", 0, "description");
    if (payload)
        f->required = get_bool(l, spec, "required", 1);
    type = map_get(spec, "type");
    if (!type) {
        ERR(l, DOSM_D_MISSING, spec->at, "%s needs a 'type'", key->text);
        return;
    }
    t = get_word(l, type, type_names, "type");
    f->type = t < 0 ? TYPE_STRING : (value_type)t;
    values = map_get(spec, "values");
    if (f->type == TYPE_ENUM && !values)
        ERR(l, DOSM_D_MISSING, spec->at, "enum %s needs 'values'", key->text);
    else if (f->type != TYPE_ENUM && values)
        ERR(l, DOSM_D_VALUE, values->at, "only an enum has 'values'");
    else if (values) {
        f->values = get_names(l, values, IDENT_NAME, "enum value",
                              &f->value_count);
        if (f->value_count == 0 && values->kind != NODE_MAP)
            ERR(l, DOSM_D_VALUE, values->at, "an enum needs at least one value");
    }
}

static field *load_fields(ld *l, const node *map, int payload, uint32_t *count)
{
    field *fs;
    const node *k;
    uint32_t i = 0;
    *count = 0;
    if (dosm__node_is_null(map) ||
        !want(l, map, NODE_MAP, payload ? "payload" : "attributes"))
        return NULL;
    fs = dosm__arena_array(&l->d->mem, map->count / 2 + 1, sizeof *fs);
    if (!fs)
        return nomem(l), NULL;
    for (k = map->first; k; k = k->next->next)
        load_field(l, k, k->next, &fs[i++], payload);
    *count = i;
    return fs;
}

static named *load_named(ld *l, const node *map, const char *what,
                         uint32_t *count)
{
    named *ns;
    const node *k;
    uint32_t i = 0;
    *count = 0;
    if (dosm__node_is_null(map) || !want(l, map, NODE_MAP, what))
        return NULL;
    ns = dosm__arena_array(&l->d->mem, map->count / 2 + 1, sizeof *ns);
    if (!ns)
        return nomem(l), NULL;
    for (k = map->first; k; k = k->next->next, i++) {
        ns[i].name = key_name(l, k, IDENT_NAME, what);
        ns[i].at = k->at;
        ns[i].description =
            dosm__node_is_null(k->next) ? "" : text_of(l, k->next, "a description");
    }
    *count = i;
    return ns;
}

/* ---- states ---- */

/* First pass: what a state says about itself, so that all ids and labels
 * are known before anything refers to them. */
static void load_state_own(ld *l, const node *key, const node *spec, state_def *s)
{
    const node *n;
    unsigned before = l->sink->errors;
    s->at = key->at;
    s->parent = s->fallback = s->timeout_event = -1;
    s->attention = DOSM_WHITE;
    s->id = key_name(l, key, IDENT_STATE, "state id");
    if (!want(l, spec, NODE_MAP, s->id)) {
        s->label = s->id;
        sound_since(l, before, SOUND_EDGES);
        return;
    }
    sound_since(l, before, SOUND_EDGES);
    check_known(l, spec, "a state", state_keys);
    s->label = get_text(l, spec, "label", 1, "a state");
    if (!s->label)
        s->label = s->id;
    s->description = get_text(l, spec, "description", 0, "description");
    before = l->sink->errors;
    s->final = get_bool(l, spec, "final", 0);
    sound_since(l, before, SOUND_EDGES);
    if ((n = map_get(spec, "attention")) != NULL) {
        int a = get_word(l, n, attention_names, "attention");
        s->attention = a < 0 ? DOSM_WHITE : a;
    }
    if ((n = map_get(spec, "rank")) != NULL) {
        int64_t r = 0;
        get_int(l, n, INT32_MIN, INT32_MAX, "rank", &r);
        s->rank = (int32_t)r;
    }
    s->tags = get_names(l, map_get(spec, "tags"), IDENT_NAME, "tag",
                        &s->tag_count);
    s->renamed = get_names(l, map_get(spec, "renamed_from"), IDENT_STATE,
                           "renamed_from id", &s->renamed_count);
}

/* ---- vocabularies and external values ---- */

/* A vocabulary is named as a name (dental_manager) or as the workflow its
 * values come from (dwos-connect), starting with a letter: the text of a
 * key, or NULL after reporting. */
static const char *vocab_name(ld *l, const node *n)
{
    const char *s = text_of(l, n, "vocabulary");
    if (s && !((dosm__text_is_ident(s, IDENT_NAME) ||
                dosm__text_is_ident(s, IDENT_WORKFLOW)) &&
               s[0] >= 'a' && s[0] <= 'z')) {
        ERR(l, DOSM_D_IDENT, n->at,
            "vocabulary '%s' must be lower_snake_case (a-z, 0-9, _) or lower "
            "case with dashes (a-z, 0-9, -), start with a letter and have at "
            "most 64 characters",
            s);
        return NULL;
    }
    return s;
}

/* `vocabularies:`, and fhir, which every workflow has: declared by the
 * library when the file does not declare it (format 1 files use it
 * without declaring it). */
static int load_vocabularies(ld *l, const node *map)
{
    dosm_def *d = l->d;
    const node *k;
    uint32_t i = 0, j;
    int fhir = 0;
    if (!dosm__node_is_null(map) && !want(l, map, NODE_MAP, "vocabularies"))
        map = NULL;
    d->vocabs = dosm__arena_array(&d->mem,
                                  (map ? map->count / 2 : 0) + 1,
                                  sizeof *d->vocabs);
    if (!d->vocabs)
        return nomem(l);
    for (k = map && map->kind == NODE_MAP ? map->first : NULL; k;
         k = k->next->next) {
        vocab_def *v = &d->vocabs[i++];
        const node *spec = k->next, *n;
        if (!(v->name = vocab_name(l, k)))
            v->name = k->kind == NODE_SCALAR ? k->text : "";
        v->description = "";
        v->at = k->at;
        fhir |= strcmp(v->name, "fhir") == 0;
        if (dosm__node_is_null(spec) || !want(l, spec, NODE_MAP, "a vocabulary"))
            continue;
        check_known(l, spec, "a vocabulary", vocabulary_keys);
        v->description = get_text(l, spec, "description", 0, "description");
        if ((n = map_get(spec, "workflow")) != NULL && !dosm__node_is_null(n))
            v->workflow = get_ident(l, n, IDENT_WORKFLOW, "workflow name");
    }
    if (!fhir) {
        vocab_def *v = &d->vocabs[i++];
        v->name = "fhir";
        v->description = "HL7 FHIR R4 Task.status";
        v->implicit = 1;
    }
    d->vocab_count = i;
    for (j = 0; j < i; j++)
        if (!d->vocabs[j].description)
            d->vocabs[j].description = "";
    return build_index(l, &d->vocab_ix, dosm__table_of_vocabs(d), i, 0, NULL);
}

/* One value of a state in a vocabulary; 0 when it is refused. */
static int external_value(ld *l, const node *n, int32_t vocab, state_def *s,
                          text_set *seen, external_def *out)
{
    const char *v = text_of(l, n, "an external value");
    if (!v)
        return 0;
    if (strcmp(l->d->vocabs[vocab].name, "fhir") == 0 &&
        word_index(fhir_task_status, v) < 0) {
        ERR(l, DOSM_D_VALUE, n->at,
            "'%s' is not a FHIR Task status (draft, requested, received, "
            "accepted, rejected, ready, cancelled, in-progress, on-hold, "
            "failed, completed, entered-in-error)",
            v);
        return 0;
    }
    if (!text_set_add(seen, v)) { /* one key per vocabulary: one list */
        ERR(l, DOSM_D_CLASH, n->at,
            "state %s gives %s '%s' twice", s->id,
            l->d->vocabs[vocab].name, v);
        return 0;
    }
    out->vocab = vocab;
    out->state = (int32_t)(s - l->d->states);
    out->value = v;
    out->at = n->at;
    return 1;
}

/* `external: { VOCABULARY: VALUE or [VALUE, ...] }`. */
static void load_external(ld *l, const node *map, state_def *s)
{
    name_table t = dosm__table_of_vocabs(l->d);
    const node *k, *item;
    uint32_t total = 0;
    text_set seen;
    if (dosm__node_is_null(map) || !want(l, map, NODE_MAP, "external"))
        return;
    for (k = map->first; k; k = k->next->next)
        total += k->next->kind == NODE_SEQ ? k->next->count : 1;
    s->ext = dosm__arena_array(&l->d->mem, total + 1, sizeof *s->ext);
    if (!s->ext) {
        nomem(l);
        return;
    }
    for (k = map->first; k; k = k->next->next) {
        const node *list = k->next;
        int32_t vocab;
        if (!vocab_name(l, k))
            continue;
        if ((vocab = dosm__names_find(&l->d->vocab_ix, &t, k->text)) < 0) {
            const char *near = dosm__diag_full(l->sink)
                                   ? NULL
                                   : nearest_in(l, &l->d->vocab_ix, &t,
                                                l->d->vocab_count, k->text);
            if (near)
                ERR(l, DOSM_D_REF, k->at,
                    "unknown vocabulary '%s'; did you mean '%s'?", k->text,
                    near);
            else
                ERR(l, DOSM_D_REF, k->at,
                    "unknown vocabulary '%s'; declare it under "
                    "'vocabularies'",
                    k->text);
            continue;
        }
        if (list->kind == NODE_MAP) {
            ERR(l, DOSM_D_TYPE, list->at,
                "the %s value of state %s must be text or a list of texts, "
                "not a mapping",
                l->d->vocabs[vocab].name, s->id);
            continue;
        }
        if (list->kind == NODE_SEQ && list->count == 0) {
            ERR(l, DOSM_D_VALUE, list->at,
                "state %s lists no %s value; give one or leave the key out",
                s->id, l->d->vocabs[vocab].name);
            continue;
        }
        if (list->kind == NODE_SEQ && list->count > MAX_NAME_LIST) {
            ERR(l, DOSM_D_LIMIT, list->at,
                "more than %u values in one list (the limit)",
                (unsigned)MAX_NAME_LIST);
            continue;
        }
        text_set_init(&seen, list->kind == NODE_SEQ ? list->count : 1);
        for (item = list_first(list); item; item = list_next(list, item))
            if (external_value(l, item, vocab, s, &seen,
                               &s->ext[s->ext_count]))
                s->ext_count++;
    }
}

static void load_timeout(ld *l, const node *n, state_def *s)
{
    const node *after, *ev;
    if (!want(l, n, NODE_MAP, "timeout"))
        return;
    check_known(l, n, "a timeout", timeout_keys);
    after = map_get(n, "after");
    ev = map_get(n, "event");
    if (!after)
        ERR(l, DOSM_D_MISSING, n->at, "a timeout needs 'after'");
    if (!ev)
        ERR(l, DOSM_D_MISSING, n->at, "a timeout needs 'event'");
    if (!after || !ev)
        return;
    if (want(l, after, NODE_SCALAR, "after") &&
        !dosm__text_parse_duration(after->text, &s->timeout))
        ERR(l, DOSM_D_VALUE, after->at,
            "'%s' is not a duration such as 90s, 30m, 12h, 7d, 2w or 1d12h",
            after->text);
    s->timeout_event = event_ref(l, ev);
}

/* Second pass: what a state says about others. */
static void load_state_links(ld *l, const node *spec, state_def *s)
{
    const node *n;
    unsigned before = l->sink->errors;
    if (spec->kind != NODE_MAP)
        return;
    if ((n = map_get(spec, "parent")) != NULL)
        s->parent = state_ref(l, n);
    if ((n = map_get(spec, "transient")) != NULL)
        s->fallback = state_ref(l, n);
    if ((n = map_get(spec, "timeout")) != NULL)
        load_timeout(l, n, s);
    sound_since(l, before, SOUND_EDGES);
    load_external(l, map_get(spec, "external"), s);
}

static int load_states(ld *l, const node *map)
{
    dosm_def *d = l->d;
    const node *k;
    uint32_t i = 0;
    unsigned before;
    name_clash clash = {on_clash, NULL};
    if (!want(l, map, NODE_MAP, "states"))
        return 0;
    if (map->count / 2 > l->lim->max_states) {
        ERR(l, DOSM_D_LIMIT, map->at, "%u states; the limit is %u",
            map->count / 2, l->lim->max_states);
        return 0;
    }
    if (map->count == 0) {
        ERR(l, DOSM_D_MISSING, map->at, "a workflow needs at least one state");
        return 0;
    }
    d->states = dosm__arena_array(&d->mem, map->count / 2, sizeof *d->states);
    if (!d->states)
        return nomem(l);
    for (k = map->first; k; k = k->next->next)
        load_state_own(l, k, k->next, &d->states[i++]);
    d->state_count = i;
    clash.user = l;
    before = l->sink->errors;
    if (!build_index(l, &d->state_ix, dosm__table_of_states(d), i, 1, &clash))
        return 0;
    sound_since(l, before, SOUND_EDGES); /* a name found two states */
    return 1;
}

/* An old id of `renamed_from` is claimed once, and by no current state:
 * decode takes a snapshot's id for the first state that has it, so any
 * later claim would never be found. */
typedef struct claim {
    const char *id;
    const state_def *by;
    mark at;
} claim;

static int check_renamed(ld *l, const node *states)
{
    const dosm_def *d = l->d;
    name_table t = dosm__table_of_states(d);
    const node *k, *item;
    claim *c;
    uint32_t i, total = 0, mask = 7;
    for (i = 0; i < d->state_count; i++)
        total += d->states[i].renamed_count;
    while (mask < 2 * total)
        mask = mask * 2 + 1;
    if (!(c = dosm__arena_array(l->scratch, mask + 1, sizeof *c)))
        return nomem(l);
    for (k = states->first, i = 0; k; k = k->next->next, i++) {
        const state_def *s = &d->states[i];
        const node *list = map_get(k->next, "renamed_from");
        for (item = s->renamed_count ? list_first(list) : NULL; item;
             item = list_next(list, item)) {
            int32_t cur;
            uint32_t h;
            if (item->kind != NODE_SCALAR ||
                !dosm__text_is_ident(item->text, IDENT_STATE))
                continue; /* reported by get_names */
            cur = dosm__names_find(&d->state_ix, &t, item->text);
            if (cur >= 0 && strcmp(d->states[cur].id, item->text) == 0) {
                ERR(l, DOSM_D_CLASH, item->at,
                    "state %s claims old id %s, which is the id of state %s "
                    "(%u:%u)",
                    s->id, item->text, d->states[cur].id,
                    d->states[cur].at.line, d->states[cur].at.col);
                continue;
            }
            h = dosm__text_hash(TEXT_HASH_SEED, item->text) & mask;
            while (c[h].id && strcmp(c[h].id, item->text) != 0)
                h = (h + 1) & mask;
            if (!c[h].id) {
                c[h].id = item->text;
                c[h].by = s;
                c[h].at = item->at;
            } else if (c[h].by != s) { /* the same state: listed twice */
                ERR(l, DOSM_D_CLASH, item->at,
                    "state %s claims old id %s, which state %s claims at "
                    "%u:%u",
                    s->id, item->text, c[h].by->id, c[h].at.line,
                    c[h].at.col);
            }
        }
    }
    return 1;
}

/* ---- events and transitions ---- */

static int load_events(ld *l, const node *map)
{
    dosm_def *d = l->d;
    const node *k;
    uint32_t i = 0;
    if (!want(l, map, NODE_MAP, "events"))
        return 0;
    d->events = dosm__arena_array(&d->mem, map->count / 2 + 1, sizeof *d->events);
    if (!d->events)
        return nomem(l);
    for (k = map->first; k; k = k->next->next, i++) {
        event_def *e = &d->events[i];
        const node *spec = k->next;
        e->at = k->at;
        e->name = key_name(l, k, IDENT_NAME, "event");
        e->label = e->name;
        e->description = "";
        if (dosm__node_is_null(spec) || !want(l, spec, NODE_MAP, "an event"))
            continue;
        check_known(l, spec, "an event", event_keys);
        if (map_get(spec, "label")) {
            const char *label = get_text(l, spec, "label", 0, "label");
            if (label && label[0]) /* an empty label: the name */
                e->label = label;
        }
        e->description = get_text(l, spec, "description", 0, "description");
        e->payload = load_fields(l, map_get(spec, "payload"), 1,
                                 &e->payload_count);
    }
    d->event_count = i;
    return build_index(l, &d->event_ix, dosm__table_of_events(d), i, 0, NULL);
}

static void load_from(ld *l, const node *n, transition_def *t)
{
    const node *item;
    if (n->kind == NODE_SCALAR && strcmp(n->text, "any") == 0 && n->plain) {
        t->from_any = 1;
        return;
    }
    if (n->kind == NODE_MAP) {
        want(l, n, NODE_SEQ, "from");
        return;
    }
    t->from = dosm__arena_array(&l->d->mem, n->kind == NODE_SEQ ? n->count : 1,
                          sizeof *t->from);
    if (!t->from) {
        nomem(l);
        return;
    }
    if (!l->seen &&
        !(l->seen = dosm__arena_array(l->scratch, l->d->state_count + 1,
                                sizeof *l->seen))) {
        nomem(l);
        return;
    }
    l->generation++; /* marks this list in l->seen: linear, however long */
    for (item = list_first(n); item; item = list_next(n, item)) {
        int32_t s = state_ref(l, item);
        if (s < 0)
            continue;
        if (l->seen[s] == l->generation)
            ERR(l, DOSM_D_VALUE, item->at, "state %s is listed twice in from",
                l->d->states[s].id);
        else
            t->from[t->from_count++] = s;
        l->seen[s] = l->generation;
    }
    dosm__check_from_parents(l->d, t, l->seen, l->generation, n->at, l->sink);
    if (n->kind == NODE_SEQ && n->count == 0)
        ERR(l, DOSM_D_VALUE, n->at, "'from' lists no state");
}

static int32_t effect_ref(ld *l, const node *n)
{
    name_table t = dosm__table_of_effects(l->d);
    return resolve(l, &l->d->effect_ix, &t, l->d->effect_count, n, "effect");
}

static void load_effects(ld *l, const node *n, transition_def *t)
{
    const node *item;
    uint32_t count = 0;
    if (dosm__node_is_null(n))
        return;
    if (n->kind == NODE_MAP) {
        want(l, n, NODE_SEQ, "effects");
        return;
    }
    t->effects = dosm__arena_array(&l->d->mem, n->count + 1, sizeof *t->effects);
    t->effect_names = dosm__arena_array(&l->d->mem, n->count + 1,
                                  sizeof *t->effect_names);
    if (!t->effects || !t->effect_names) {
        nomem(l);
        return;
    }
    for (item = list_first(n); item; item = list_next(n, item)) {
        int32_t e = effect_ref(l, item);
        if (e < 0)
            continue;
        t->effects[count] = e;
        t->effect_names[count++] = l->d->effects[e].name;
    }
    t->effect_count = count;
}

/* The slot of guards holding `text`, or the empty one where it goes. */
static uint32_t guard_slot(const ld *l, const char *text)
{
    uint32_t i = dosm__text_hash(TEXT_HASH_SEED, text) & l->guard_mask;
    while (l->guards[i] && strcmp(l->guards[i]->text, text) != 0)
        i = (i + 1) & l->guard_mask;
    return i;
}

/* A guard parsed from text. A guard that reads the same as an earlier one
 * is that one, parsed once: ten thousand transitions guarded by
 * "units > 2" cost one parse and one tree, and only distinct guards count
 * against DOSM_GUARD_TOKENS_ALL. */
static guard_expr *guard_of(ld *l, const char *text, mark at)
{
    guard_expr *g;
    uint32_t i;
    if (l->guard_count * 2 >= l->guard_mask) { /* at most half full */
        guard_expr **old = l->guards;
        uint32_t k, old_size = l->guards ? l->guard_mask + 1 : 0;
        uint32_t size = old_size ? old_size * 2 : 64;
        l->guards = dosm__arena_array(l->scratch, size, sizeof *l->guards);
        if (!l->guards)
            return nomem(l), NULL;
        l->guard_mask = size - 1;
        for (k = 0; k < old_size; k++)
            if (old[k])
                l->guards[guard_slot(l, old[k]->text)] = old[k];
    }
    i = guard_slot(l, text);
    if (l->guards[i])
        return l->guards[i];
    g = dosm__guard_parse(l->d, text, at, l->sink, &l->guard_tokens);
    if (g) {
        l->guards[i] = g;
        l->guard_count++;
    }
    return g;
}

/* Loads one transition; 0 when its event, from or to is broken, so that
 * the checker leaves it out. */
static int load_transition(ld *l, const node *spec, transition_def *t)
{
    const node *n;
    unsigned before;
    int edge;
    t->at = spec->at;
    t->event = t->to = -1;
    t->description = "";
    if (!want(l, spec, NODE_MAP, "a transition")) {
        l->sound &= ~SOUND_EDGES;
        return 0;
    }
    check_known(l, spec, "a transition", transition_keys);
    t->description = get_text(l, spec, "description", 0, "description");
    before = l->sink->errors;
    if ((n = map_get(spec, "event")) != NULL)
        t->event = event_ref(l, n);
    else
        ERR(l, DOSM_D_MISSING, spec->at, "a transition needs 'event'");
    if ((n = map_get(spec, "from")) != NULL)
        load_from(l, n, t);
    else
        ERR(l, DOSM_D_MISSING, spec->at, "a transition needs 'from'");
    if ((n = map_get(spec, "to")) == NULL)
        ERR(l, DOSM_D_MISSING, spec->at, "a transition needs 'to'");
    else if (n->kind == NODE_SCALAR && n->plain &&
             strcmp(n->text, "previous") == 0)
        t->to = TO_PREVIOUS;
    else if ((t->to = state_ref(l, n)) >= 0)
        dosm__check_target(l->d, t->to, n->at, l->sink);
    edge = sound_since(l, before, SOUND_EDGES);
    before = l->sink->errors;
    if ((n = map_get(spec, "guard")) != NULL && !dosm__node_is_null(n) &&
        want(l, n, NODE_SCALAR, "guard")) {
        const char *text = text_of(l, n, "guard");
        /* The guard's columns count from the first character of its text. */
        mark at = n->at;
        if (!n->plain)
            at.col++;
        t->guard_at = at;
        if (text)
            t->guard = guard_of(l, text, at);
    }
    sound_since(l, before, SOUND_GUARDS);
    if ((n = map_get(spec, "effects")) != NULL)
        load_effects(l, n, t);
    return edge;
}

static int load_transitions(ld *l, const node *seq)
{
    dosm_def *d = l->d;
    const node *n;
    uint32_t i = 0;
    if (!want(l, seq, NODE_SEQ, "transitions"))
        return 0;
    if (seq->count > l->lim->max_transitions) {
        ERR(l, DOSM_D_LIMIT, seq->at, "%u transitions; the limit is %u",
            seq->count, l->lim->max_transitions);
        return 0;
    }
    d->trans = dosm__arena_array(&d->mem, seq->count + 1, sizeof *d->trans);
    if (!d->trans)
        return nomem(l);
    for (n = seq->first; n && !dosm__diag_full(l->sink); n = n->next)
        if (load_transition(l, n, &d->trans[i]))
            i++;
        else /* left out: the slot is loaded again */
            memset(&d->trans[i], 0, sizeof d->trans[i]);
    d->trans_count = i;
    return 1;
}

/* ---- the top level ---- */

static void mark_parents(ld *l)
{
    uint32_t i;
    for (i = 0; i < l->d->state_count; i++) {
        int32_t p = l->d->states[i].parent;
        if (p >= 0)
            l->d->states[p].is_parent = 1;
    }
}

static void load_header(ld *l, const node *root)
{
    dosm_def *d = l->d;
    const node *n;
    int64_t v;
    if ((n = map_get(root, "dosm")) == NULL)
        ERR(l, DOSM_D_MISSING, root->at,
            "a definition starts with 'dosm: 1' (the format version)");
    else if (n->kind != NODE_SCALAR || strcmp(n->text, "1") != 0) {
        ERR(l, DOSM_D_FORMAT, n->at,
            "format version '%s' is not supported; this library reads 1",
            n->kind == NODE_SCALAR ? n->text : "?");
        l->sound = 0; /* the rest may mean something else there */
    }
    if ((n = map_get(root, "name")) == NULL)
        ERR(l, DOSM_D_MISSING, root->at, "the definition needs a 'name'");
    else
        d->name = get_ident(l, n, IDENT_WORKFLOW, "workflow name");
    d->title = get_text(l, root, "title", 1, "the definition");
    d->source = get_text(l, root, "source", 0, "source");
    d->description = get_text(l, root, "description", 0, "description");
    if ((n = map_get(root, "revision")) == NULL)
        ERR(l, DOSM_D_MISSING, root->at, "the definition needs a 'revision'");
    else if (get_int(l, n, 1, UINT32_MAX, "revision", &v))
        d->revision = (uint32_t)v;
    if (!d->name)
        d->name = ""; /* reported; the compiler hashes a name */
}

static void load_rollup(ld *l, const node *n)
{
    const node *m;
    if (!want(l, n, NODE_MAP, "rollup"))
        return;
    check_known(l, n, "rollup", rollup_keys);
    if ((m = map_get(n, "mixed")) != NULL &&
        (l->d->mixed = state_ref(l, m)) >= 0)
        dosm__check_mixed(l->d, m->at, l->sink);
}

int dosm__loader_build(dosm_def *d, const node *root, const limits *lim,
                       arena *scratch, diag_sink *sink, unsigned *sound)
{
    ld l;
    const node *states, *events, *trans, *n;
    const node *k;
    uint32_t i;
    unsigned before;

    memset(&l, 0, sizeof l);
    l.d = d;
    l.sink = sink;
    l.lim = lim;
    l.scratch = scratch;
    l.hint_budget = DOSM_HINT_BUDGET;
    l.guard_tokens = DOSM_GUARD_TOKENS_ALL;
    /* After the reader's errors (a duplicate key, a NUL), the tree is not
     * quite the file: only what needs no whole graph is checked. */
    l.sound = sink->errors ? 0 : SOUND_EDGES | SOUND_GUARDS;
    *sound = 0;

    d->mixed = -1;
    if (!root || root->kind != NODE_MAP) {
        ERR(&l, DOSM_D_TYPE, root ? root->at : (mark){1, 1},
            "a definition must be a YAML mapping (dosm: 1, name: ..., ...)");
        return sink->error->code;
    }
    check_known(&l, root, "the definition", top_keys);
    load_header(&l, root);
    before = sink->errors;
    d->attrs = load_fields(&l, map_get(root, "attributes"), 0, &d->attr_count);
    d->guards = load_named(&l, map_get(root, "guards"), "guard",
                           &d->guard_count);
    sound_since(&l, before, SOUND_GUARDS);
    d->effects = load_named(&l, map_get(root, "effects"), "effect",
                            &d->effect_count);
    if (!build_index(&l, &d->attr_ix, dosm__table_of_attrs(d), d->attr_count, 0,
                     NULL) ||
        !build_index(&l, &d->guard_ix, dosm__table_of_guards(d), d->guard_count, 0,
                     NULL) ||
        !build_index(&l, &d->effect_ix, dosm__table_of_effects(d), d->effect_count,
                     0, NULL))
        return DOSM_E_NOMEM;
    before = sink->errors;
    dosm__check_guard_names(d, sink);
    sound_since(&l, before, SOUND_GUARDS);
    if (!load_vocabularies(&l, map_get(root, "vocabularies")))
        return DOSM_E_NOMEM;

    states = map_get(root, "states");
    events = map_get(root, "events");
    trans = map_get(root, "transitions");
    if (!states)
        ERR(&l, DOSM_D_MISSING, root->at, "the definition needs 'states'");
    if (!events)
        ERR(&l, DOSM_D_MISSING, root->at, "the definition needs 'events'");
    if (!trans)
        ERR(&l, DOSM_D_MISSING, root->at, "the definition needs 'transitions'");
    if (!states || !events || !trans)
        return sink->error->code;
    if (!load_states(&l, states) || !check_renamed(&l, states) ||
        !load_events(&l, events))
        return sink->error->code;
    i = 0;
    for (k = states->first; k; k = k->next->next)
        load_state_links(&l, k->next, &d->states[i++]);
    mark_parents(&l);
    d->initial = -1;
    before = sink->errors;
    if ((n = map_get(root, "initial")) == NULL)
        ERR(&l, DOSM_D_INITIAL, root->at,
            "the definition needs 'initial' (the state a new order starts in)");
    else if (n->kind != NODE_SCALAR ||
             (d->initial = dosm_state_find(d, n->text)) < 0 ||
             strcmp(d->states[d->initial].id, n->text) != 0)
        ERR(&l, DOSM_D_INITIAL, n->at,
            "the initial state '%s' is not a state of this workflow",
            n->kind == NODE_SCALAR ? n->text : "?");
    else
        dosm__check_initial(d, n->at, sink);
    if (!sound_since(&l, before, SOUND_EDGES))
        d->initial = -1; /* no distances to compute */
    before = sink->errors;
    if ((n = map_get(root, "rollup")) != NULL)
        load_rollup(&l, n);
    sound_since(&l, before, SOUND_EDGES);
    if (load_transitions(&l, trans))
        *sound = SOUND_CORE | l.sound;
    return sink->errors ? sink->error->code : DOSM_OK;
}

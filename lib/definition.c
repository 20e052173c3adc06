/* dosm_load: the pipeline read YAML -> load -> compile -> check, and the
 * definition's lifetime. */
#include "load.h"

#include <string.h>

void dosm_load_options_init(dosm_load_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->max_input = (size_t)4 << 20;
    o->max_depth = 32;
    o->max_nodes = 200000;
    o->max_states = 16384;
    o->max_transitions = 200000;
    o->max_errors = 50;
}

/* Zero fields of the caller's options mean "the default". */
static void effective_options(const dosm_load_options *given, dosm_load_options *o,
                              limits *lim)
{
    dosm_load_options_init(o);
    if (given) {
        o->allocator = given->allocator;
        o->on_diagnostic = given->on_diagnostic;
        o->diagnostic_user = given->diagnostic_user;
        if (given->max_input) o->max_input = given->max_input;
        if (given->max_depth) o->max_depth = given->max_depth;
        if (given->max_nodes) o->max_nodes = given->max_nodes;
        if (given->max_states) o->max_states = given->max_states;
        if (given->max_transitions) o->max_transitions = given->max_transitions;
        if (given->max_errors) o->max_errors = given->max_errors;
        o->flags = given->flags;
    }
    /* States are 15-bit indexes in an instance (the 16th is the busy bit);
     * the reader keeps a stack as deep as max_depth. */
    if (o->max_states > 32767)
        o->max_states = 32767;
    if (o->max_depth > 1024)
        o->max_depth = 1024;
    lim->max_input = o->max_input;
    lim->max_depth = o->max_depth;
    lim->max_nodes = o->max_nodes;
    lim->max_states = o->max_states;
    lim->max_transitions = o->max_transitions;
    lim->max_errors = o->max_errors;
}

int dosm_load(const char *yaml, size_t length, const char *source,
              const dosm_load_options *options, dosm_def **out, dosm_error *error)
{
    dosm_error local;
    dosm_load_options o;
    limits lim;
    diag_sink sink;
    arena tree, scratch, mem;
    dosm_def *d;
    node *root;
    unsigned sound = 0;
    int rc, clean;

    if (!error)
        error = &local;
    effective_options(options, &o, &lim);
    dosm__diag_init(&sink, source, error, &o);
    if (!out || (!yaml && length)) {
        dosm__error_set(error, DOSM_E_ARG, "dosm_load needs a buffer and an out "
                                     "pointer");
        if (out)
            *out = NULL;
        return DOSM_E_ARG;
    }
    *out = NULL;
    dosm__arena_init(&mem, o.allocator, length);
    dosm__arena_init(&tree, o.allocator, length);
    dosm__arena_init(&scratch, o.allocator, length);
    d = dosm__arena_alloc(&mem, sizeof *d);
    if (!d) {
        dosm__diag_report(&sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return DOSM_E_NOMEM;
    }
    d->mem = mem;
    rc = dosm__yamltree_read(yaml, length, &lim, &tree, &sink, &root);
    /* After errors, what parsed soundly is still compiled and checked, so
     * one run shows the findings of every stage. The definition keeps
     * copies of what it reads from the tree, so the tree goes before the
     * compiler and checker take their scratch memory. */
    if (rc == DOSM_OK)
        dosm__loader_build(d, root, &lim, &scratch, &sink, &sound);
    dosm__arena_free(&tree);
    clean = !sink.errors;
    /* The compiler walks parent chains (candidates, ranking) with no bound
     * of its own, so it runs only after dosm__check_parents found every
     * chain ending within DOSM_MAX_NESTING levels; the graph checks read
     * the compiler's tables, so they run last. */
    if ((sound & SOUND_CORE) && !dosm__diag_full(&sink) &&
        dosm__check_parents(d, &sink) &&
        dosm__compiler_build(d, &scratch, &sink) == DOSM_OK)
        dosm__checker_run(d, &scratch, &sink, sound, clean,
                          (o.flags & DOSM_LOAD_LINT) != 0);
    if (!sink.errors)
        dosm__vocab_build(d, &sink); /* a failure is in the sink */
    dosm__arena_free(&scratch);
    if (sink.nomem || sink.errors) {
        dosm_def_free(d);
        return error->code;
    }
    *out = d;
    return DOSM_OK;
}

void dosm_def_free(dosm_def *def)
{
    if (def) {
        arena mem = def->mem; /* the definition lives inside its arena */
        dosm__arena_free(&mem);
    }
}

/* Without a definition: NULL strings and zeros (the NULL policy, dosm.h) */
const char *dosm_def_name(const dosm_def *d) { return d ? d->name : NULL; }
const char *dosm_def_title(const dosm_def *d) { return d ? d->title : NULL; }
const char *dosm_def_source(const dosm_def *d) { return d ? d->source : NULL; }
uint32_t dosm_def_revision(const dosm_def *d) { return d ? d->revision : 0; }
uint32_t dosm_def_hash(const dosm_def *d) { return d ? d->hash : 0; }
size_t dosm_def_memory(const dosm_def *d) { return d ? d->mem.bytes : 0; }

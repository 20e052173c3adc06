/* The load: the YAML tree, the limits, the diagnostic sink, and the
 * stages dosm_load (definition.c) runs to build a dosm_def, which only the
 * load-time files include. Not installed. */
#ifndef DOSM_LOAD_H
#define DOSM_LOAD_H

#include "model.h"

/* ---- errors.c: the sink that collects a load's diagnostics ---- */

typedef struct diag_sink {
    const char *source;
    dosm_error *error;   /* first error, never NULL */
    void (*on_diagnostic)(void *user, const dosm_diagnostic *d);
    void *user;
    unsigned errors, warnings, max_errors;
    int nomem;           /* an allocation failed: stop everything */
} diag_sink;

void dosm__diag_init(diag_sink *s, const char *source, dosm_error *error,
               const dosm_load_options *opt);
void dosm__diag_report(diag_sink *s, dosm_severity sev, int code, mark at,
                 const char *fmt, ...);
int dosm__diag_full(const diag_sink *s); /* too many errors or out of memory */

/* ---- yamltree.c: YAML bytes to a small tree, with limits ---- */

typedef enum node_kind { NODE_SCALAR, NODE_MAP, NODE_SEQ } node_kind;
typedef struct node {
    mark at;
    uint32_t count;      /* children; a map's are key, value, key, ... */
    unsigned char kind;  /* node_kind */
    unsigned char plain; /* scalar written without quotes */
    const char *text;    /* scalars: NUL-terminated */
    size_t len;
    struct node *first, *next;
} node;

typedef struct limits {
    size_t max_input, max_nodes;
    unsigned max_depth, max_states, max_transitions, max_errors;
} limits;

int dosm__yamltree_read(const char *buf, size_t len, const limits *lim,
                  arena *scratch, diag_sink *sink, node **root);
int dosm__node_is_null(const node *n);

/* ---- the pipeline: loader.c, guard_parse.c, checker.c, compiler.c ---- */

/* What a load with errors lets the compiler and checker read: the
 * states, events and sound transitions (those whose event, from or to is
 * broken are left out); with SOUND_EDGES, every edge of the graph (so
 * dead ends and unreachable states are not consequences of an error);
 * with SOUND_GUARDS, every guard and what it reads. */
#define SOUND_CORE 1u
#define SOUND_EDGES 2u
#define SOUND_GUARDS 4u
int dosm__loader_build(dosm_def *d, const node *root, const limits *lim,
                       arena *scratch, diag_sink *sink, unsigned *sound);
/* Parses a guard; its tokens are taken from *tokens_left, which starts
 * at DOSM_GUARD_TOKENS_ALL for a definition (identical guards are parsed
 * once: loader.c). */
guard_expr *dosm__guard_parse(dosm_def *d, const char *text, mark at,
                              diag_sink *sink, uint32_t *tokens_left);
#define DOSM_GUARD_TOKENS_ALL (UINT32_C(1) << 18)
/* checker.c: the semantic checks. The loader runs these as it resolves
 * each reference, so that diagnostics come in file order: */
void dosm__check_guard_names(const dosm_def *d, diag_sink *sink);
/* Reports where t's from list names a state and its parent; seen[s] ==
 * generation marks the states of that list. */
void dosm__check_from_parents(const dosm_def *d, const transition_def *t,
                              const uint32_t *seen, uint32_t generation,
                              mark at, diag_sink *sink);
void dosm__check_target(const dosm_def *d, int32_t to, mark at,
                        diag_sink *sink);
void dosm__check_mixed(const dosm_def *d, mark at, diag_sink *sink);
void dosm__check_initial(const dosm_def *d, mark at, diag_sink *sink);
/* Every parent chain ends within DOSM_MAX_NESTING levels; 0 after
 * reporting one that does not. The compiler relies on it. */
int dosm__check_parents(const dosm_def *d, diag_sink *sink);
int dosm__compiler_build(dosm_def *d, arena *scratch, diag_sink *sink);
/* Runs the checks that sound (SOUND_*) allows; the warnings only when
 * clean (nothing was wrong before), and the authoring ones (path ties)
 * only when lint asks for them (DOSM_LOAD_LINT). */
void dosm__checker_run(const dosm_def *d, arena *scratch, diag_sink *sink,
                       unsigned sound, int clean, int lint);
/* ties.c: warns where two shortest paths between two states fire
 * different effects. Skipped when states x (2 states + candidates) is over
 * the budget, which bounds the check at about 200 ms: 2,048 states with
 * 4,096 candidates take it all (test/bench's worst case "ties"), 1,000
 * with 14,000 too. */
#define DOSM_TIE_BUDGET ((uint64_t)1 << 24)
void dosm__ties_check(const dosm_def *d, arena *scratch, diag_sink *sink);
/* vocab.c: warns of unused vocabularies and builds the reverse index. */
int dosm__vocab_build(dosm_def *d, diag_sink *sink);

/* ---- guard_overlap.c: static analysis of guards, for the checker ---- */

/* Whether two transitions' guards can both hold, for the overlap check:
 * each guard is summarised once (in scratch; NULL when out of memory),
 * then a pair costs a merge of two short lists. */
typedef struct guard_overlap guard_overlap;
guard_overlap *dosm__overlap_prepare(const dosm_def *d, arena *scratch);
int dosm__overlap_possible(const dosm_def *d, const guard_overlap *o,
                           uint32_t ta, uint32_t tb);
/* The attribute that transition t's guard holds to no value (its tests
 * joined by `and` exclude each other), or -1. */
int32_t dosm__guard_never(const guard_overlap *o, uint32_t t);
/* Writes g's tests on attribute attr, joined by " and " as in "units > 5
 * and units < 3", into buf (cut to size); returns how many there are. */
uint32_t dosm__guard_tests_text(const dosm_def *d, const guard_expr *g,
                                int32_t attr, char *buf, size_t size);

#endif

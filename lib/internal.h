/* Internal structures shared by the files of lib/. Not installed. */
#ifndef DOSM_INTERNAL_H
#define DOSM_INTERNAL_H

#include "dosm.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* NOINLINE keeps a rare path out of a hot function, and out of its
 * registers; ALWAYS_INLINE puts fire's body in each public entry point. */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define NOINLINE __declspec(noinline)
#define ALWAYS_INLINE __forceinline
#else
#define NOINLINE
#define ALWAYS_INLINE inline
#endif

/* ---- memory.c: allocator hooks and arenas ---- */

void *dosm__mem_alloc(const dosm_allocator *a, size_t size);
void dosm__mem_free(const dosm_allocator *a, void *ptr);

/* An arena hands out memory that is freed all at once; a definition lives
 * in one, and each load has a scratch one for the YAML tree. */
typedef struct chunk chunk;
typedef struct arena {
    dosm_allocator alloc;
    chunk *head;
    size_t bytes; /* total held, for dosm_def_memory */
} arena;

void dosm__arena_init(arena *ar, const dosm_allocator *a);
void *dosm__arena_alloc(arena *ar, size_t size); /* zeroed, NULL when out */
void *dosm__arena_array(arena *ar, size_t count, size_t size);
char *dosm__arena_strdup(arena *ar, const char *s, size_t len);
void dosm__arena_free(arena *ar);

/* ---- text.c: strings without stdio ---- */

/* Formats into buf like a tiny snprintf: %s, %d (int), %u (unsigned),
 * %U (uint64_t), %L (int64_t), %c and %%. Always NUL-terminates. */
size_t dosm__text_format(char *buf, size_t size, const char *fmt, ...);
size_t dosm__text_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int dosm__text_casecmp(const char *a, const char *b);
unsigned dosm__text_distance(const char *a, const char *b); /* edit distance */
/* Known names for "did you mean" hints: name_of(list, i) for i < count
 * (NULL entries are skipped). dosm__text_hint_prepare counts the letters
 * of each once, in scratch (0 when out of memory), for the hints of a big
 * table; without it each hint reads the names. */
typedef struct hint_names {
    const char *(*name_of)(const void *list, size_t i);
    const void *list;
    size_t count;
    uint64_t *classes;      /* per name, or NULL */
    unsigned char *lengths;
} hint_names;
int dosm__text_hint_prepare(hint_names *h, arena *scratch);
/* The known name nearest to a typo, or NULL. Looking at a name costs 1 of
 * *budget (unless budget is NULL), measuring one exactly 1,024; once it is
 * spent, the search stops where it is. */
const char *dosm__text_nearest(const char *typed, const hint_names *h,
                               size_t *budget);
/* The budget of a load's hints: 50 errors (the default) over 16,384
 * states, with the most measures each, take 14 Mi; this bounds a host's
 * higher max_errors (about 40 ms of hints). */
#define DOSM_HINT_BUDGET ((size_t)1 << 24)
/* FNV-1a: the definition hash in snapshots, so it must never change. */
uint32_t dosm__text_hash(uint32_t h, const char *s);
#define TEXT_HASH_SEED 2166136261u

typedef enum ident_kind { IDENT_STATE, IDENT_NAME, IDENT_WORKFLOW } ident_kind;
int dosm__text_is_ident(const char *s, ident_kind kind);

int dosm__text_parse_int(const char *s, int64_t *out);
int dosm__text_parse_version(const char *s, uint64_t *out);
int dosm__text_parse_duration(const char *s, int64_t *seconds);

/* ---- names.c: hash index from names to indexes ---- */

typedef struct name_slot {
    uint32_t hash;  /* of the name, folded to lower case when the index is */
    int32_t entry;  /* element index + 1, 0 = empty (sorted: see names.c) */
} name_slot;

typedef struct name_index {
    name_slot *slots;
    uint32_t mask;
    uint32_t sorted; /* 0: a hash table; else the slots are this many
                        entries sorted by hash and name (colliding names) */
    int fold_case;
} name_index;

/* A keyed table: names of element i are given by a callback, so one index
 * serves states (id and label) and plain named things alike. */
typedef struct name_table {
    const void *table;
    size_t stride;      /* bytes between elements */
    size_t offset;      /* offset of the `const char *` name */
    size_t offset2;     /* second name (state labels) or (size_t)-1 */
} name_table;

typedef struct name_clash {
    void (*fn)(void *user, int32_t first, int32_t second, const char *name);
    void *user;
} name_clash;

int dosm__names_build(name_index *ix, arena *ar, const name_table *t, size_t count,
                int fold_case, const name_clash *clash);
int32_t dosm__names_find(const name_index *ix, const name_table *t, const char *name);
/* The index's hash of a name (len bytes); the benchmark aims at it. */
uint32_t dosm__names_hash(const char *name, size_t len, int fold_case);
/* The name at byte offset `off` of element i of a table. */
const char *dosm__name_at(const name_table *t, int32_t i, size_t off);

/* ---- diagnostics.c ---- */

typedef struct mark { uint32_t line, col; } mark; /* 1-based; 0 = none */

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
void dosm__error_set(dosm_error *e, int code, const char *fmt, ...);

/* ---- yamltree.c: YAML bytes to a small tree, with limits ---- */

typedef enum node_kind { NODE_SCALAR, NODE_MAP, NODE_SEQ } node_kind;
typedef struct node {
    node_kind kind;
    int plain;           /* scalar written without quotes */
    mark at;
    const char *text;    /* scalars: NUL-terminated */
    size_t len;
    uint32_t count;      /* children; a map's are key, value, key, ... */
    struct node *first, *next;
} node;

typedef struct limits {
    size_t max_input, max_nodes;
    unsigned max_depth, max_states, max_transitions, max_errors;
} limits;

int dosm__yamltree_read(const char *buf, size_t len, const limits *lim,
                  arena *scratch, diag_sink *sink, node **root);
int dosm__node_is_null(const node *n);

/* ---- the compiled definition ---- */

#define DOSM_MAX_NESTING 16u /* parent levels */
#define BUSY 0x8000u       /* instance state bit while in callbacks */

typedef enum value_type {
    TYPE_STRING, TYPE_ENUM, TYPE_INTEGER, TYPE_BOOLEAN, TYPE_VERSION
} value_type;

typedef struct field { /* an attribute or a payload field */
    const char *name, *description;
    value_type type;
    int required;
    const char **values; /* enum */
    uint32_t value_count;
    mark at;
} field;

typedef struct value {  /* a typed value: the number for ordered types */
    value_type type;
    int64_t num;         /* integer, boolean, enum index */
    uint64_t version;
    const char *str;
} value;

typedef enum gop { /* guard expression node kinds */
    G_AND, G_OR, G_NOT, G_TRUTH, G_HOST, G_CMP, G_IN_SET, G_IN_RANGE
} gop;
typedef enum gcmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE } gcmp;

typedef struct gnode {
    gop op;
    gcmp cmp;
    int32_t a, b;        /* children of AND/OR/NOT */
    int32_t ref;         /* attribute or named guard index */
    value lo, hi;        /* CMP: lo; RANGE: lo..hi */
    value *set;          /* IN_SET */
    uint32_t set_count;
} gnode;

typedef struct guard_expr {
    const char *text;
    gnode *nodes;
    int32_t root;
    uint32_t count;
} guard_expr;

typedef struct state_def {
    const char *id, *label, *description;
    const char **tags;
    uint32_t tag_count;
    struct external_def *ext; /* `external`, in file order */
    uint32_t ext_count;
    const char **renamed;
    uint32_t renamed_count;
    int32_t rank;
    int attention, final, is_parent;
    int32_t parent, fallback, timeout_event;
    int64_t timeout;
    mark at;
    /* compiled */
    int32_t distance;  /* transitions from initial, -1 unreachable */
    uint32_t order;    /* position in rank order: the sort key */
} state_def;

/* A vocabulary of `vocabularies:` (fhir may be implicit). */
typedef struct vocab_def {
    const char *name, *description;
    const char *workflow; /* the bound workflow's name, or NULL */
    int implicit;         /* fhir, declared by the library */
    mark at;              /* its key; 0:0 when implicit */
} vocab_def;

/* One value of one state in one vocabulary: a state's `external` lists
 * them in file order, the definition's index sorted by (vocab, value,
 * state) for reverse lookups. */
typedef struct external_def {
    int32_t vocab, state;
    const char *value;
    mark at;
} external_def;

typedef struct event_def {
    const char *name, *label, *description;
    field *payload;
    uint32_t payload_count;
    mark at;
    uint32_t trans_first, trans_count; /* slice of def->by_event */
} event_def;

#define TO_PREVIOUS (-1)

typedef struct transition_def {
    /* what fire reads comes first: fewer cache lines per step */
    int32_t event, to;
    const char *event_name; /* compiled: the record names it on every fire */
    const char **effect_names;
    uint32_t effect_count;
    guard_expr *guard;        /* NULL: always */
    int32_t *effects;
    /* the rest, for the loader, checker and queries */
    int32_t *from;       /* NULL when from_any */
    uint32_t from_count;
    int from_any;
    const char *description;
    mark at, guard_at;   /* guard_at: the guard's first character */
} transition_def;

typedef struct named { const char *name, *description; mark at; } named;

/* What firing reads of a state, packed so a walk over ten thousand states
 * stays in cache; the rest of state_def is for queries and messages. */
#define HOT_FINAL 1u
#define HOT_PARENT 2u
#define HOT_TIMEOUT 4u
typedef struct hot_state {
    const char *id;
    uint32_t cand_first, cand_count; /* slice of def->cand, cand_event */
    uint32_t flags;                  /* HOT_* */
} hot_state;

/* One cell of the dense state x event table: where the candidates of an
 * event start, and what fire must do there. A cell is plain when firing
 * its event needs no check beyond the instance, so it holds the step: the
 * first candidate has no guard and a fixed target (not `previous`), the
 * event no payload. */
#define CELL_CHOOSE (-1) /* guards or `previous` to look at, or no candidate */
#define CELL_SCREEN (-2) /* decide's checks first: the event's payload, or
                            a parent state, which no instance may be in */
typedef struct cell {
    uint32_t first; /* first candidate + 1; 0: none */
    int32_t to;     /* a plain cell's target, or CELL_* */
} cell;

struct dosm_def {
    arena mem;
    const char *name, *title, *source, *description;
    uint32_t revision, hash;
    int32_t initial, mixed;
    field *attrs;       uint32_t attr_count;
    named *guards;      uint32_t guard_count;
    named *effects;     uint32_t effect_count;
    state_def *states;      uint32_t state_count;
    event_def *events;      uint32_t event_count;
    transition_def *trans;  uint32_t trans_count;
    /* compiled tables */
    hot_state *hot;        /* per state */
    uint32_t *cand;        /* transitions per state, sorted by event_def */
    int32_t *cand_event;   /* their events, for binary search */
    cell *cell;            /* state x event: first candidate and step;
                              NULL for sparse definitions */
    uint32_t *by_event;    /* transitions per event, file order */
    int32_t *ranked;       /* leaf states in rank order */
    uint32_t ranked_count;
    uint32_t hash_0_1;     /* the hash 0.1.0 wrote, which decode accepts */
    name_index state_ix, event_ix, attr_ix, guard_ix, effect_ix;
    vocab_def *vocabs;
    uint32_t vocab_count, ext_count;
    name_index vocab_ix;
    external_def *ext_index; /* ext_count values, sorted: see vocab.c */
};

name_table dosm__table_of_states(const dosm_def *d);
name_table dosm__table_of_events(const dosm_def *d);
name_table dosm__table_of_attrs(const dosm_def *d);
name_table dosm__table_of_guards(const dosm_def *d);
name_table dosm__table_of_effects(const dosm_def *d);
name_table dosm__table_of_vocabs(const dosm_def *d);

/* ---- pipeline: loader.c, guard_parse.c, compiler.c, checker.c ---- */

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
/* t's from list names a state and its parent; seen[s] == generation marks
 * the states of that list. */
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
 * the budget: 2,048 states with 4,096 candidates take it (about 200 ms,
 * the worst case "ties"), 1,000 with 14,000 too. */
#define DOSM_TIE_BUDGET ((uint64_t)1 << 24)
void dosm__ties_check(const dosm_def *d, arena *scratch, diag_sink *sink);
/* vocab.c: warns of unused vocabularies and builds the reverse index. */
int dosm__vocab_build(dosm_def *d, diag_sink *sink);
/* The index slice [*first, *end) of the states carrying `value` in
 * `vocabulary`; DOSM_E_NAME with a sentence in out when the vocabulary is
 * unknown or no leaf state carries the value. */
int dosm__vocab_targets(const dosm_def *d, const char *vocabulary,
                        const char *text, uint32_t *first, uint32_t *end,
                        dosm_outcome *out);
const external_def *dosm__vocab_entry(const dosm_def *d, uint32_t i);

/* Guard evaluation (guard_eval.c) and static analysis (guard_overlap.c). */
typedef struct eval_ctx {
    const dosm_def *def;
    const dosm_host *host;
    const dosm_instance *inst;
    const dosm_request *request;
    int32_t trans;        /* the transition whose guard is evaluated */
    const char *missing;  /* set: an attribute the order lacks */
    const char *bad_name; /* set: an attribute whose value did not read */
    const char *bad_value;
    int unreadable;       /* the guard being evaluated read one of those */
} eval_ctx;

/* Readies ctx for dosm__guard_eval on one instance and request. */
static inline void eval_begin(eval_ctx *ctx, const dosm_def *d,
                              const dosm_host *h, const dosm_instance *inst,
                              const dosm_request *req)
{
    ctx->def = d;
    ctx->host = h;
    ctx->inst = inst;
    ctx->request = req;
    ctx->missing = ctx->bad_name = ctx->bad_value = NULL;
    ctx->unreadable = 0;
}
/* Whether transition trans's guard holds (1 without a guard). */
int dosm__guard_eval(eval_ctx *ctx, int32_t trans);
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

/* ---- value.c: typed values ---- */

/* Reads text as f's type into out; 0 when it does not fit. */
int dosm__value_read(const field *f, const char *text, value *out);
/* The value named `name` in v (its pairs, then its lookup), or NULL. */
const char *dosm__values_get(const dosm_values *v, const char *name);
/* Integers and versions: the types whose values have an order. */
static inline int value_ordered(value_type t)
{
    return t == TYPE_INTEGER || t == TYPE_VERSION;
}

/* ---- runtime helpers shared by runtime.c, reconcile.c, history.c ---- */

/* An instance this definition can hold: a leaf state, a leaf or no
 * previous state. Inline: every fire starts here. instance_valid also
 * takes NULLs. */
static inline int previous_fits(const dosm_def *d, const dosm_instance *inst)
{
    return inst->previous == DOSM_NO_STATE ||
           (inst->previous >= 0 && (uint32_t)inst->previous < d->state_count &&
            !(d->hot[inst->previous].flags & HOT_PARENT));
}
static inline int instance_fits(const dosm_def *d, const dosm_instance *inst)
{
    return inst->state < d->state_count &&
           !(d->hot[inst->state].flags & HOT_PARENT) && previous_fits(d, inst);
}
static inline int instance_valid(const dosm_def *d, const dosm_instance *inst)
{
    return d && inst && instance_fits(d, inst);
}
/* DOSM_OK; DOSM_E_ARG without a definition or instance; DOSM_E_REENTRANT
 * for an instance inside its callbacks; DOSM_E_STATE for one the
 * definition cannot hold. Inline so that every caller (and the static
 * analysers) sees that DOSM_OK means both pointers are set. */
static inline int instance_check(const dosm_def *d, const dosm_instance *inst)
{
    if (!d || !inst)
        return DOSM_E_ARG;
    if (instance_fits(d, inst)) /* BUSY puts state out of range */
        return DOSM_OK;
    return inst->state & BUSY ? DOSM_E_REENTRANT : DOSM_E_STATE;
}

/* An outcome that describes no step: every field written, so a host
 * never reads what an earlier call left (no text, record or deadline). */
static inline void outcome_clear(dosm_outcome *out)
{
    out->text[0] = '\0';
    out->transition = -1;
    out->other_paths = 0;
    memset(&out->record, 0, sizeof out->record);
    out->has_deadline = 0;
    memset(&out->deadline, 0, sizeof out->deadline);
}

/* A state index a host passed: its own, or an instance's state read inside
 * a callback, with the busy bit; -1 when no state of d. */
static inline int32_t state_arg(const dosm_def *d, int s)
{
    if (s >= (int)BUSY)
        s -= (int)BUSY;
    return d && s >= 0 && (uint32_t)s < d->state_count ? (int32_t)s : -1;
}

/* Clears out and sets its code and sentence; returns the code. */
int dosm__outcome_fail(dosm_outcome *out, int code, const char *fmt, ...);
/* instance_check's failure `code` in out, with its sentence. */
void dosm__outcome_refuse(const dosm_def *d, const dosm_instance *inst,
                          int code, dosm_outcome *out);

/* Clears an outcome and records instance_check's verdict in it. */
static inline int outcome_begin(const dosm_def *d, const dosm_instance *inst,
                                dosm_outcome *out)
{
    int code = instance_check(d, inst);
    if (code == DOSM_OK) {
        outcome_clear(out);
        return out->code = DOSM_OK;
    }
    /* the code inline, so that callers (and the analysers) see that
     * DOSM_OK means both pointers are set */
    dosm__outcome_refuse(d, inst, code, out);
    return code;
}
/* The leaf state with exactly this id, or (renamed) one that had it in an
 * earlier revision; -1 when none. */
int32_t dosm__state_by_id(const dosm_def *d, const char *id, size_t len,
                    int renamed);
/* The transition fire would take (own state, parents, any), or a rejection
 * code. order, when not NULL, is the host's instance (inst or the order
 * inst was copied from), marked busy while named guards run so that one
 * firing on it is refused, and left as it was. ctx is readied only when a
 * guard is read, so it explains DOSM_R_MISSING_ATTR and DOSM_R_GUARD only. */
typedef struct choice {
    int32_t trans, target;
    int code;
} choice;
choice dosm__runtime_choose(const dosm_def *d, const dosm_host *h,
                      const dosm_instance *inst, dosm_instance *order,
                      int32_t event, const dosm_request *req, eval_ctx *ctx);
/* The deadline of inst's state for a step taken at `since`: 1 and *out
 * when the state has a timeout, else 0 and a zero *out. */
static inline int dosm__deadline(const dosm_def *d, const dosm_instance *inst,
                                 int64_t since, dosm_deadline *out)
{
    const state_def *s = &d->states[inst->state];
    if (!(d->hot[inst->state].flags & HOT_TIMEOUT)) {
        out->at = 0;
        out->event = NULL;
        out->seq = 0;
        return 0;
    }
    out->at = since > INT64_MAX - s->timeout ? INT64_MAX : since + s->timeout;
    out->event = d->events[s->timeout_event].name;
    out->seq = inst->seq;
    return 1;
}

/* The instance after a step to state `to`. */
static inline dosm_instance instance_next(const dosm_instance *before,
                                          int32_t to)
{
    dosm_instance after;
    after.state = (uint16_t)to;
    /* previous is where the order was before it entered its state, so an
     * internal step (same state) keeps it. */
    after.previous =
        to == before->state ? before->previous : (int16_t)before->state;
    after.seq = before->seq + 1;
    return after;
}
void dosm__runtime_record(const dosm_def *d, const dosm_instance *before,
                    const dosm_instance *after, int32_t trans,
                    const dosm_request *req, dosm_outcome *out);
int dosm__runtime_apply(const dosm_def *d, const dosm_host *h, dosm_instance *inst,
                  int32_t trans, int32_t target, const dosm_request *req,
                  dosm_outcome *out);
void dosm__runtime_explain(const dosm_def *d, const dosm_instance *inst,
                     int32_t event, const char *event_name, choice c,
                     const eval_ctx *ctx, dosm_outcome *out);
/* A host: its definition (which every call checks), callbacks and named
 * guards. */
typedef struct callback_slot {
    dosm_callback fn;
    void *user;
} callback_slot;

typedef struct guard_binding {
    dosm_guard_fn fn;
    void *user;
} guard_binding;

struct dosm_host {
    const dosm_def *def;
    dosm_allocator alloc;
    callback_slot hooks[4];
    callback_slot *effects; /* one per declared effect */
    guard_binding *guards;  /* one per declared guard */
};

/* No host, or one made for d: a host of another definition would index
 * its slots with d's numbers. */
static inline int host_fits(const dosm_def *d, const dosm_host *h)
{
    return !h || h->def == d;
}
/* DOSM_E_ARG in out, saying the host is another definition's. */
int dosm__outcome_host(const dosm_def *d, const dosm_host *h,
                       dosm_outcome *out);

int dosm__host_guard_holds(const eval_ctx *ctx, int32_t guard);
/* req, or an empty request when it is NULL: what callbacks are shown. */
const dosm_request *dosm__request_or_empty(const dosm_request *req);
void dosm__host_call(const dosm_host *h, dosm_hook hook, const dosm_callback_info *info);
void dosm__host_effect(const dosm_host *h, int32_t effect,
                 const dosm_callback_info *info);

#endif

/* The compiled definition and the runtime contract: what a loaded
 * dosm_def holds, and what the files that use one (runtime.c, reconcile.c,
 * history.c, snapshot.c, host.c, query.c, guard_eval.c) share. No
 * load-time type (the YAML tree, the diagnostic sink) is visible here, so
 * the runtime cannot depend on one. Not installed. */
#ifndef DOSM_MODEL_H
#define DOSM_MODEL_H

#include "base.h"

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
#define HOT_TIMEOUT 4u /* the state's timeout is in its state_def */
typedef struct hot_state {
    const char *id;
    uint32_t id_len;                 /* strlen(id): snapshots' text */
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
    char *snapshot_head; /* "NAME@REV.HASH:", how this revision's
                            snapshots start */
    uint32_t name_len, head_len; /* strlen(name), strlen(snapshot_head) */
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
    unsigned char *may_hold; /* [s + 1]: 1 when an instance may be in state
                                s (a leaf), [0] = 1: no state */
    uint32_t *cand;        /* transitions per state, sorted by event_def */
    int32_t *cand_event;   /* their events, for binary search */
    cell *cell;            /* state x event: first candidate and step;
                              NULL for sparse definitions */
    uint32_t *by_event;    /* transitions per event, file order */
    int32_t *ranked;       /* leaf states in rank order */
    uint32_t ranked_count;
    uint32_t hash_0_1;     /* the hash 0.1.0 wrote, which decode accepts */
    name_index state_ix, event_ix, attr_ix, guard_ix, effect_ix;
    name_index id_ix; /* state ids as written, for snapshots and
                         histories (state_ix folds case, holds labels) */
    vocab_def *vocabs;
    uint32_t vocab_count, ext_count;
    name_index vocab_ix;
    external_def *ext_index; /* ext_count values, sorted: see vocab.c */
};

name_table dosm__table_of_states(const dosm_def *d);
/* state ids in hot_state, for id_ix */
name_table dosm__table_of_ids(const dosm_def *d);
name_table dosm__table_of_events(const dosm_def *d);
name_table dosm__table_of_attrs(const dosm_def *d);
name_table dosm__table_of_guards(const dosm_def *d);
name_table dosm__table_of_effects(const dosm_def *d);
name_table dosm__table_of_vocabs(const dosm_def *d);

/* ---- vocab.c: the reverse index of external values ---- */

/* The index slice [*first, *end) of the states carrying `value` in
 * `vocabulary`; DOSM_E_NAME with a sentence in out when the vocabulary is
 * unknown or no leaf state carries the value. */
int dosm__vocab_targets(const dosm_def *d, const char *vocabulary,
                        const char *text, uint32_t *first, uint32_t *end,
                        dosm_outcome *out);
const external_def *dosm__vocab_entry(const dosm_def *d, uint32_t i);

/* ---- guard_eval.c: guards evaluated at fire time ---- */

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

/* ---- attributes.c: prepared attributes ---- */

/* One attribute of an order: readable, with its value, or not, with the
 * text that did not read as its type (NULL: the order lacks it). The
 * text is the set's own copy. */
typedef struct prepared_value {
    int readable;
    value v;
    char *text;
} prepared_value;

struct dosm_attributes {
    dosm_values as_values;  /* first: what a request points at */
    const dosm_def *def;
    dosm_allocator alloc;
    prepared_value *values; /* one per attribute of def; each text is a
                               block of its own */
};

/* as_values' lookup: the kept text of attribute `name`. */
const char *dosm__prepared_lookup(void *set, const char *name);

/* The prepared set a request's attributes are, or NULL: the set's own
 * values, which the library's lookup marks and which point at the set
 * they open. Other values that borrow that lookup (pairs first, then the
 * set) are read as text, pairs first, as every dosm_values is. */
static inline const dosm_attributes *prepared_of(const dosm_request *req)
{
    const dosm_values *v = req ? req->attributes : NULL;
    return v && v->lookup == dosm__prepared_lookup &&
                   v == (const dosm_values *)v->lookup_user
               ? (const dosm_attributes *)v->lookup_user
               : NULL;
}

/* snapshot.c: fills d->snapshot_head and head_len once d's name,
 * name_len, revision and hash are set; DOSM_OK or DOSM_E_NOMEM. */
int dosm__snapshot_head(dosm_def *d);

/* ---- runtime helpers shared by runtime.c, reconcile.c, history.c ---- */

/* An instance this definition can hold: a leaf state, a leaf or no
 * previous state. Inline: every fire starts here. instance_valid also
 * takes NULLs. */
static inline int previous_fits(const dosm_def *d, const dosm_instance *inst)
{
    /* DOSM_NO_STATE is 0 here; any other negative is out of range */
    uint32_t p = (uint32_t)(inst->previous + 1);
    return p <= d->state_count && d->may_hold[p];
}
static inline int instance_fits(const dosm_def *d, const dosm_instance *inst)
{
    /* the busy bit puts state out of range */
    return inst->state < d->state_count && d->may_hold[inst->state + 1] &&
           previous_fits(d, inst);
}
static inline int instance_valid(const dosm_def *d, const dosm_instance *inst)
{
    return d && inst && instance_fits(d, inst);
}
/* A reading's view of inst: queries may read the order inside its
 * callbacks, so here gets inst with the busy bit cleared. 0 without a
 * definition or instance, or for one the definition cannot hold. */
static inline int instance_read(const dosm_def *d, const dosm_instance *inst,
                                dosm_instance *here)
{
    if (!d || !inst)
        return 0;
    *here = *inst;
    here->state = (uint16_t)(here->state & ~BUSY);
    return instance_fits(d, here);
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
choice dosm__choose(const dosm_def *d, const dosm_host *h,
                    const dosm_instance *inst, dosm_instance *order,
                    int32_t event, const dosm_request *req, eval_ctx *ctx);
/* The deadline of inst's state for a step taken at `since`: 1 and *out
 * when the state has a timeout, else 0 and a zero *out. */
static inline int dosm__deadline(const dosm_def *d, const dosm_instance *inst,
                                 int64_t since, dosm_deadline *out)
{
    const state_def *s;
    if (!(d->hot[inst->state].flags & HOT_TIMEOUT)) {
        out->at = 0;
        out->event = NULL;
        out->seq = 0;
        return 0;
    }
    /* read only here: hot_state stays 24 bytes for walks over many
     * states */
    s = &d->states[inst->state];
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
/* The one path of a step (runtime.c): fire, fire_index and try inline it,
 * reconcile and restart call it. It takes the step of event `what` (an
 * index; STEP_FALLBACK: the state's fallback) or, with STEP_EXPECT, of
 * transition `what` if the guards still choose it, and fills out unless
 * it is NULL; flags say what else it does. */
#define STEP_APPLY 1u   /* move *inst and run the callbacks; else describe */
#define STEP_SCREEN 2u  /* check the request's timer and payload */
#define STEP_REPORT 4u  /* hand a refusal to the host's reject callback */
#define STEP_BY_NAME 8u /* resolve the request's event name first */
#define STEP_EXPECT 16u /* `what` is the transition a search found */
#define STEP_FIRE (STEP_APPLY | STEP_SCREEN | STEP_REPORT)
#define STEP_MISSING (-2)  /* what: the call named no event */
#define STEP_FALLBACK (-3) /* what: the state's fallback (a restart) */
int dosm__step(const dosm_def *d, const dosm_host *h, dosm_instance *inst,
               int32_t what, const dosm_request *req, dosm_outcome *out,
               unsigned flags);
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

/* No host and no prepared attributes, or ones made for d: another
 * definition's would index their slots and values with d's numbers. */
static inline int made_for(const dosm_def *d, const dosm_host *h,
                           const dosm_request *req)
{
    const dosm_attributes *set = prepared_of(req);
    return (!h || h->def == d) && (!set || set->def == d);
}
/* DOSM_E_ARG in out, saying which of them is another definition's. */
int dosm__outcome_foreign(const dosm_def *d, const dosm_host *h,
                          const dosm_request *req, dosm_outcome *out);

int dosm__host_guard_holds(const eval_ctx *ctx, int32_t guard);
/* req, or an empty request when it is NULL: what callbacks are shown. */
const dosm_request *dosm__request_or_empty(const dosm_request *req);
void dosm__host_call(const dosm_host *h, dosm_hook hook, const dosm_callback_info *info);
void dosm__host_effect(const dosm_host *h, int32_t effect,
                 const dosm_callback_info *info);

#endif

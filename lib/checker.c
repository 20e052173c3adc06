/* The semantic checks of a definition: what its names and references
 * mean, beyond the form the loader reads. The reading checks run as the
 * loader resolves each reference, so that diagnostics come in file order;
 * the parent check runs before the compiler walks parent chains; the rest
 * need the whole compiled graph: parents used as real states, final states
 * with a way out, states with none, states nobody reaches, transitions
 * that can never be taken, and what is declared but never used. */
#include "load.h"

#include <string.h>

#define ERR(sink, code, at, ...) dosm__diag_report(sink, DOSM_ERROR, code, at, __VA_ARGS__)
#define WARN(sink, code, at, ...) dosm__diag_report(sink, DOSM_WARNING, code, at, __VA_ARGS__)

/* ---- checks the loader runs as it resolves references ---- */

/* Guards name attributes and named guards: those names must not be words
 * of the guard language, nor one both. */
static const char *const guard_words[] = {"and", "or", "not", "in",
                                          "true", "false", NULL};

static void check_guard_word(diag_sink *sink, const char *what,
                             const char *name, mark at)
{
    size_t i;
    for (i = 0; guard_words[i]; i++)
        if (strcmp(guard_words[i], name) == 0) {
            ERR(sink, DOSM_D_IDENT, at,
                "%s '%s' is a word of the guard language; choose another "
                "name",
                what, name);
            return;
        }
}

void dosm__check_guard_names(const dosm_def *d, diag_sink *sink)
{
    name_table attrs = dosm__table_of_attrs(d);
    uint32_t i;
    for (i = 0; i < d->attr_count; i++)
        check_guard_word(sink, "attribute", d->attrs[i].name, d->attrs[i].at);
    for (i = 0; i < d->guard_count; i++) {
        const named *g = &d->guards[i];
        check_guard_word(sink, "guard", g->name, g->at);
        if (dosm__names_find(&d->attr_ix, &attrs, g->name) >= 0)
            ERR(sink, DOSM_D_CLASH, g->at,
                "guard '%s' has the name of an attribute", g->name);
    }
}

void dosm__check_from_parents(const dosm_def *d, const transition_def *t,
                              const uint32_t *seen, uint32_t generation,
                              mark at, diag_sink *sink)
{
    uint32_t j;
    /* A state and its parent both listed would make one transition apply
     * twice to the child. Parent chains are not yet checked for loops
     * (dosm__check_parents runs after the load), so walk at most
     * DOSM_MAX_NESTING + 1 steps. */
    for (j = 0; j < t->from_count; j++) {
        int32_t p = d->states[t->from[j]].parent;
        int steps;
        for (steps = 0; p >= 0 && steps <= (int)DOSM_MAX_NESTING; steps++) {
            if (seen[p] == generation) {
                ERR(sink, DOSM_D_VALUE, at,
                    "'from' lists %s and its parent %s; the parent covers it",
                    d->states[t->from[j]].id, d->states[p].id);
                break;
            }
            p = d->states[p].parent;
        }
    }
}

void dosm__check_target(const dosm_def *d, int32_t to, mark at,
                        diag_sink *sink)
{
    if (d->states[to].is_parent)
        ERR(sink, DOSM_D_PARENT, at,
            "%s is a parent state; a transition must lead to one of its "
            "children",
            d->states[to].id);
}

void dosm__check_mixed(const dosm_def *d, mark at, diag_sink *sink)
{
    if (d->states[d->mixed].is_parent)
        ERR(sink, DOSM_D_PARENT, at, "rollup.mixed cannot be a parent state");
}

void dosm__check_initial(const dosm_def *d, mark at, diag_sink *sink)
{
    if (d->states[d->initial].is_parent)
        ERR(sink, DOSM_D_INITIAL, at,
            "the initial state %s is a parent state; name one of its children",
            d->states[d->initial].id);
}

/* ---- the parent check, before anything walks parent chains ---- */

/* Parent chains must end, and be short: the runtime walks them on every
 * transition with a fixed-size stack. */
int dosm__check_parents(const dosm_def *d, diag_sink *sink)
{
    uint32_t i, depth;
    int ok = 1;
    for (i = 0; i < d->state_count; i++) {
        int32_t p = d->states[i].parent;
        for (depth = 0; p >= 0 && depth <= DOSM_MAX_NESTING; depth++)
            p = d->states[p].parent;
        if (depth > DOSM_MAX_NESTING) {
            dosm__diag_report(sink, DOSM_ERROR, DOSM_D_PARENT, d->states[i].at,
                        "the parents of state %s go round in a circle or "
                        "nest deeper than %u levels",
                        d->states[i].id, (unsigned)DOSM_MAX_NESTING);
            ok = 0;
        }
    }
    return ok;
}

/* ---- checks of the compiled graph ---- */

static void check_state_roles(const dosm_def *d, diag_sink *sink)
{
    uint32_t i;
    for (i = 0; i < d->state_count; i++) {
        const state_def *s = &d->states[i];
        if (s->is_parent && (s->final || s->fallback >= 0 || s->timeout))
            ERR(sink, DOSM_D_PARENT, s->at,
                "parent state %s cannot be %s; its children can", s->id,
                s->final ? "final" : s->fallback >= 0 ? "transient"
                                                      : "given a timeout");
        if (s->fallback >= 0 && d->states[s->fallback].is_parent)
            ERR(sink, DOSM_D_PARENT, s->at,
                "state %s falls back to parent state %s; name one of its "
                "children",
                s->id, d->states[s->fallback].id);
        else if (s->fallback == (int32_t)i)
            ERR(sink, DOSM_D_VALUE, s->at,
                "transient state %s cannot fall back to itself", s->id);
        if (s->final && (s->timeout || s->fallback >= 0))
            ERR(sink, DOSM_D_FINAL_OUT, s->at,
                "final state %s cannot have a %s", s->id,
                s->timeout ? "timeout" : "transient fallback");
        if (s->is_parent && s->renamed_count)
            ERR(sink, DOSM_D_PARENT, s->at,
                "parent state %s has no snapshots to rename; give "
                "renamed_from to the state orders were in",
                s->id);
    }
}

static int has_event(const dosm_def *d, uint32_t state, int32_t event)
{
    const hot_state *h = &d->hot[state];
    uint32_t k;
    for (k = 0; k < h->cand_count; k++)
        if (d->cand_event[h->cand_first + k] == event)
            return 1;
    return 0;
}

/* Without every edge, a state nobody reaches or that nothing leaves may
 * be a consequence of an error reported: only the final states' ways out
 * are then checked. */
static void check_graph(const dosm_def *d, diag_sink *sink, int edges)
{
    uint32_t i, j;
    for (i = 0; i < d->trans_count; i++) {
        const transition_def *t = &d->trans[i];
        for (j = 0; j < t->from_count; j++)
            if (d->states[t->from[j]].final)
                ERR(sink, DOSM_D_FINAL_OUT, t->at,
                    "state %s is final; no transition may leave it",
                    d->states[t->from[j]].id);
    }
    for (i = 0; edges && i < d->state_count; i++) {
        const state_def *s = &d->states[i];
        /* The rollup status is computed for orders, not entered by items. */
        if (s->is_parent || (int32_t)i == d->mixed)
            continue;
        if (s->distance < 0)
            ERR(sink, DOSM_D_UNREACHABLE, s->at,
                "state %s cannot be reached from the initial state %s", s->id,
                d->states[d->initial].id);
        if (!s->final && d->hot[i].cand_count == 0 && s->fallback < 0)
            ERR(sink, DOSM_D_DEAD_END, s->at,
                "state %s is not final but no transition leaves it", s->id);
        if (s->timeout_event >= 0 && !s->final &&
            !has_event(d, i, s->timeout_event))
            ERR(sink, DOSM_D_REF, s->at,
                "the timeout of state %s fires '%s', which has no transition "
                "from %s",
                s->id, d->events[s->timeout_event].name, s->id);
    }
}

/* ---- overlaps ----
 * Two transitions of one event compete in a state when they apply to it
 * from the same level: both its own, both its parent's, ..., both `any`
 * (a child's own transition overrides its parent's on purpose). Their
 * guards must then be exclusive. A state's candidates are sorted by event,
 * then by level, so the competitors are contiguous groups of its slice.
 *
 * The work is bounded: a run of one event longer than MAX_RUN is refused;
 * levels come from an index of the states each transition names (not from
 * scanning `from` lists per pair); a group of transitions already compared
 * at another state is not compared again (thousands of states often share
 * one `from` list, and pairs do not depend on the state); guards are
 * summarised once (guard_overlap.c); and the check stops once the errors are
 * full. */

/* A run of one event longer than this is refused rather than compared
 * pairwise: 64 * 63 / 2 = 2,016 pairs per state at most. */
#define MAX_RUN 64
#define LEVEL_ANY UINT32_MAX
/* Groups shorter than this are compared without looking them up. */
#define GROUP_KEEP 3u

typedef struct group_key {
    uint32_t first, len; /* a slice of d->cand; len 0: empty slot */
} group_key;

typedef struct overlaps {
    const dosm_def *d;
    diag_sink *sink;
    arena *scratch;
    const guard_overlap *guards;
    unsigned char *reported;    /* per transition: reported once already */
    uint32_t *named_first;      /* per state: slice of named_items */
    uint32_t *named_items;      /* transitions naming the state in `from` */
    uint32_t *level_of;         /* per transition, for the current state */
    uint32_t *level_stamp;      /* ... valid when it equals stamp */
    uint32_t stamp;
    group_key *groups;          /* groups compared: open addressing */
    uint32_t group_mask, group_count;
} overlaps;

static int index_named(overlaps *o)
{
    const dosm_def *d = o->d;
    uint32_t i, j, total = 0, *fill;
    o->named_first = dosm__arena_array(o->scratch, d->state_count + 1,
                                       sizeof *o->named_first);
    fill = dosm__arena_array(o->scratch, d->state_count + 1, sizeof *fill);
    o->level_of = dosm__arena_array(o->scratch, d->trans_count + 1,
                                    sizeof *o->level_of);
    o->level_stamp = dosm__arena_array(o->scratch, d->trans_count + 1,
                                       sizeof *o->level_stamp);
    if (!o->named_first || !fill || !o->level_of || !o->level_stamp)
        return 0;
    for (i = 0; i < d->trans_count; i++) {
        for (j = 0; j < d->trans[i].from_count; j++)
            o->named_first[d->trans[i].from[j] + 1]++;
        total += d->trans[i].from_count;
    }
    for (i = 0; i < d->state_count; i++)
        o->named_first[i + 1] += o->named_first[i];
    o->named_items = dosm__arena_array(o->scratch, total + 1,
                                       sizeof *o->named_items);
    if (!o->named_items)
        return 0;
    memcpy(fill, o->named_first, d->state_count * sizeof *fill);
    for (i = 0; i < d->trans_count; i++)
        for (j = 0; j < d->trans[i].from_count; j++)
            o->named_items[fill[d->trans[i].from[j]]++] = i;
    return 1;
}

/* Notes, for state s, how far up its parent chain each transition naming
 * one of its chain reaches it: 0 for its own, 1 for its parent's, ... */
static void note_levels(overlaps *o, uint32_t s)
{
    uint32_t depth = 0, k;
    int32_t x;
    o->stamp++;
    for (x = (int32_t)s; x >= 0; x = o->d->states[x].parent, depth++)
        for (k = o->named_first[x]; k < o->named_first[x + 1]; k++) {
            uint32_t t = o->named_items[k];
            if (o->level_stamp[t] != o->stamp) {
                o->level_stamp[t] = o->stamp;
                o->level_of[t] = depth;
            }
        }
}

static uint32_t level(const overlaps *o, uint32_t t)
{
    if (o->d->trans[t].from_any)
        return LEVEL_ANY;
    /* always noted: t is a candidate of the state, so it names its chain */
    return o->level_stamp[t] == o->stamp ? o->level_of[t] : LEVEL_ANY - 1;
}

static uint32_t group_hash(const uint32_t *t, uint32_t len)
{
    uint64_t h = len;
    uint32_t k;
    for (k = 0; k < len; k++)
        h = (h ^ t[k]) * UINT64_C(0x9e3779b97f4a7c15);
    return (uint32_t)(h >> 32);
}

/* Whether the group cand[first..first+len) was compared before; if not,
 * remembers it. -1 when out of memory. */
static int seen_group(overlaps *o, uint32_t first, uint32_t len)
{
    const uint32_t *t = o->d->cand + first;
    uint32_t i;
    if (o->group_count * 2 >= o->group_mask) { /* grow: half full at most */
        uint32_t size = (o->group_mask + 1) * 2, k;
        group_key *old = o->groups, *g;
        uint32_t old_size = o->group_mask + 1;
        g = dosm__arena_array(o->scratch, size, sizeof *g);
        if (!g)
            return -1;
        o->groups = g;
        o->group_mask = size - 1;
        for (k = 0; old && k < old_size; k++)
            if (old[k].len) {
                i = group_hash(o->d->cand + old[k].first, old[k].len) &
                    o->group_mask;
                while (g[i].len)
                    i = (i + 1) & o->group_mask;
                g[i] = old[k];
            }
    }
    for (i = group_hash(t, len) & o->group_mask; o->groups[i].len;
         i = (i + 1) & o->group_mask)
        if (o->groups[i].len == len &&
            memcmp(o->d->cand + o->groups[i].first, t, len * sizeof *t) == 0)
            return 1;
    o->groups[i].first = first;
    o->groups[i].len = len;
    o->group_count++;
    return 0;
}

/* Compares the transitions of one group pairwise, each later one with
 * every earlier one; each is reported once, with the first it overlaps. */
static void check_group(overlaps *o, uint32_t state, uint32_t first,
                        uint32_t end)
{
    const dosm_def *d = o->d;
    uint32_t a, b;
    for (a = first; a + 1 < end; a++) {
        const transition_def *ta = &d->trans[d->cand[a]];
        for (b = a + 1; b < end; b++) {
            const transition_def *tb = &d->trans[d->cand[b]];
            if (o->reported[d->cand[b]] ||
                !dosm__overlap_possible(d, o->guards, d->cand[a], d->cand[b]))
                continue;
            ERR(o->sink, DOSM_D_OVERLAP, tb->at,
                "in state %s, '%s' could take this transition and the one of "
                "line %u at once; make the guards exclusive (write an "
                "otherwise as not (...))",
                d->states[state].id, d->events[tb->event].name, ta->at.line);
            o->reported[d->cand[b]] = 1;
        }
    }
}

/* Splits one run of an event into its levels. 0 when out of memory. */
static int check_run(overlaps *o, uint32_t state, uint32_t first, uint32_t end)
{
    uint32_t g, next;
    for (g = first; g < end; g = next) {
        uint32_t lv = level(o, o->d->cand[g]);
        for (next = g + 1; next < end && level(o, o->d->cand[next]) == lv; next++)
            ;
        if (next - g >= GROUP_KEEP) {
            int seen = seen_group(o, g, next - g);
            if (seen < 0)
                return 0;
            if (seen)
                continue;
        }
        check_group(o, state, g, next);
    }
    return 1;
}

/* A guard whose tests on one attribute leave it no value can never hold:
 * its transition is never taken. */
static void check_guards_hold(const dosm_def *d, const guard_overlap *g,
                              diag_sink *sink)
{
    char tests[DOSM_TEXT_MAX];
    uint32_t i;
    for (i = 0; i < d->trans_count; i++) {
        int32_t attr = dosm__guard_never(g, i);
        uint32_t n;
        if (attr < 0)
            continue;
        n = dosm__guard_tests_text(d, d->trans[i].guard, attr, tests,
                                   sizeof tests);
        ERR(sink, DOSM_D_GUARD_NEVER, d->trans[i].guard_at,
            "guard can never hold: %s leave%s no value", tests,
            n > 1 ? "" : "s");
    }
}

static void check_overlaps(const dosm_def *d, diag_sink *sink, arena *scratch)
{
    overlaps o;
    uint32_t i, run, end;
    memset(&o, 0, sizeof o);
    o.d = d;
    o.sink = sink;
    o.scratch = scratch;
    o.group_mask = 15;
    if (!(o.reported = dosm__arena_alloc(scratch, d->trans_count + 1)) ||
        !(o.groups = dosm__arena_array(scratch, 16, sizeof *o.groups)) ||
        !(o.guards = dosm__overlap_prepare(d, scratch)) || !index_named(&o)) {
        ERR(sink, DOSM_E_NOMEM, ((mark){0, 0}), "out of memory");
        return;
    }
    check_guards_hold(d, o.guards, sink);
    for (i = 0; i < d->state_count && !dosm__diag_full(sink); i++) {
        const uint32_t cf = d->hot[i].cand_first, count = d->hot[i].cand_count;
        const int32_t *ev = d->cand_event + cf;
        int levels = 0; /* noted for this state */
        for (run = 0; run < count; run = end) {
            for (end = run + 1; end < count && ev[end] == ev[run]; end++)
                ;
            if (end - run > MAX_RUN) {
                ERR(sink, DOSM_D_LIMIT, d->trans[d->cand[cf + run + MAX_RUN]].at,
                    "more than %u transitions of '%s' apply to state %s "
                    "(the limit)",
                    (unsigned)MAX_RUN, d->events[ev[run]].name,
                    d->states[i].id);
                continue;
            }
            if (end - run < 2)
                continue;
            if (!levels++)
                note_levels(&o, i);
            if (!check_run(&o, i, cf + run, cf + end)) {
                ERR(sink, DOSM_E_NOMEM, ((mark){0, 0}), "out of memory");
                return;
            }
        }
    }
}

/* ---- warnings ---- */

static void mark_guard_uses(const guard_expr *g, unsigned char *attr_used,
                            unsigned char *guard_used)
{
    uint32_t i;
    for (i = 0; g && i < g->count; i++) {
        const gnode *n = &g->nodes[i];
        if (n->op == G_HOST)
            guard_used[n->ref] = 1;
        else if (n->op != G_AND && n->op != G_OR && n->op != G_NOT)
            attr_used[n->ref] = 1;
    }
}

static void warn_unused(const dosm_def *d, diag_sink *sink, arena *scratch)
{
    unsigned char *ev = dosm__arena_alloc(scratch, d->event_count + 1);
    unsigned char *at = dosm__arena_alloc(scratch, d->attr_count + 1);
    unsigned char *gu = dosm__arena_alloc(scratch, d->guard_count + 1);
    unsigned char *ef = dosm__arena_alloc(scratch, d->effect_count + 1);
    uint32_t i, j;
    if (!ev || !at || !gu || !ef) {
        ERR(sink, DOSM_E_NOMEM, ((mark){0, 0}), "out of memory");
        return;
    }
    for (i = 0; i < d->trans_count; i++) {
        const transition_def *t = &d->trans[i];
        ev[t->event] = 1;
        mark_guard_uses(t->guard, at, gu);
        for (j = 0; j < t->effect_count; j++)
            ef[t->effects[j]] = 1;
    }
    for (i = 0; i < d->state_count; i++) {
        const state_def *s = &d->states[i];
        if (s->timeout_event >= 0)
            ev[s->timeout_event] = 1;
        if (!s->is_parent && !dosm_state_external(d, (int)i, "fhir"))
            WARN(sink, DOSM_W_NO_FHIR, s->at,
                 "state %s has no FHIR Task status (external: { fhir: ... })",
                 s->id);
    }
    for (i = 0; i < d->event_count; i++)
        if (!ev[i])
            WARN(sink, DOSM_W_UNUSED, d->events[i].at,
                 "event '%s' is used by no transition", d->events[i].name);
    for (i = 0; i < d->attr_count; i++)
        if (!at[i])
            WARN(sink, DOSM_W_UNUSED, d->attrs[i].at,
                 "attribute '%s' is read by no guard", d->attrs[i].name);
    for (i = 0; i < d->guard_count; i++)
        if (!gu[i])
            WARN(sink, DOSM_W_UNUSED, d->guards[i].at,
                 "guard '%s' is used by no transition", d->guards[i].name);
    for (i = 0; i < d->effect_count; i++)
        if (!ef[i])
            WARN(sink, DOSM_W_UNUSED, d->effects[i].at,
                 "effect '%s' is asked for by no transition",
                 d->effects[i].name);
}

/* Warns of a transition no order can take: in every state it applies
 * to, an unguarded transition of its event comes first (from the state
 * itself or a nearer parent), so it is overridden everywhere; or it
 * applies to final states only (a parent's, whose children are final),
 * which refuse every event. Within one group check_overlaps refuses an
 * override; across groups it is meant, but everywhere it is dead. */
static void warn_never_taken(const dosm_def *d, diag_sink *sink,
                             arena *scratch)
{
    /* per transition: 0 applies nowhere, 1 taken somewhere, else the
     * transition + 2 that overrides it in the first state it applies to */
    uint32_t *fate = dosm__arena_array(scratch, d->trans_count + 1,
                                       sizeof *fate);
    int32_t *where = dosm__arena_array(scratch, d->trans_count + 1,
                                       sizeof *where);
    uint32_t s, k, t;
    if (!fate || !where) {
        ERR(sink, DOSM_E_NOMEM, ((mark){0, 0}), "out of memory");
        return;
    }
    for (s = 0; s < d->state_count; s++) {
        const uint32_t cf = d->hot[s].cand_first, end = cf + d->hot[s].cand_count;
        uint32_t by = 0; /* the unguarded candidate + 2, in this event's run */
        if (!d->may_hold[s + 1]) /* no order is in a parent */
            continue;
        for (k = cf; k < end; k++) {
            if (k > cf && d->cand_event[k] != d->cand_event[k - 1])
                by = 0;
            t = d->cand[k];
            if (!by)
                fate[t] = 1;
            else if (!fate[t]) {
                fate[t] = by;
                where[t] = (int32_t)s;
            }
            if (!by && !d->trans[t].guard)
                by = t + 2;
        }
    }
    for (t = 0; t < d->trans_count && !dosm__diag_full(sink); t++)
        if (fate[t] > 1)
            WARN(sink, DOSM_W_NEVER_TAKEN, d->trans[t].at,
                 "this transition of '%s' is never taken: in each state it "
                 "applies to, an earlier transition takes the event (in %s, "
                 "the one at line %u)",
                 d->events[d->trans[t].event].name, d->states[where[t]].id,
                 (unsigned)d->trans[fate[t] - 2].at.line);
        else if (fate[t] == 0)
            WARN(sink, DOSM_W_NEVER_TAKEN, d->trans[t].at,
                 "this transition of '%s' is never taken: every state it "
                 "applies to is final, and a final state refuses every event",
                 d->events[d->trans[t].event].name);
}

void dosm__checker_run(const dosm_def *d, arena *scratch, diag_sink *sink,
                       unsigned sound, int clean, int lint)
{
    check_state_roles(d, sink);
    check_graph(d, sink, sound & SOUND_EDGES);
    if (sound & SOUND_GUARDS)
        check_overlaps(d, sink, scratch);
    if (clean) {
        warn_unused(d, sink, scratch);
        if (!sink->errors) /* an overlap already says it, as an error */
            warn_never_taken(d, sink, scratch);
        if (lint)
            dosm__ties_check(d, scratch, sink);
    }
}

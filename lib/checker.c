/* Checks what only the whole compiled graph shows: parents used as real
 * states, final states with a way out, states with none, states nobody
 * reaches, transitions that can never be taken, and what is declared but
 * never used. */
#include "internal.h"

#include <string.h>

#define ERR(sink, code, at, ...) dosm__diag_report(sink, DOSM_ERROR, code, at, __VA_ARGS__)
#define WARN(sink, code, at, ...) dosm__diag_report(sink, DOSM_WARNING, code, at, __VA_ARGS__)

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

static void check_graph(const dosm_def *d, diag_sink *sink)
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
    for (i = 0; i < d->state_count; i++) {
        const state_def *s = &d->states[i];
        /* The rollup status is computed for orders, not entered by items. */
        if (s->is_parent || (int32_t)i == d->mixed)
            continue;
        if (s->distance < 0)
            ERR(sink, DOSM_D_UNREACHABLE, s->at,
                "state %s cannot be reached from the initial state %s", s->id,
                d->states[d->initial].id);
        if (!s->final && d->hot[i].cand_count == 0)
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

/* How far up the parent chain `from` reaches state s: 0 for its own
 * transitions, 1 for its parent's, ..., and a large number for `any`.
 * Only transitions of one level compete; a child's own transition_def
 * overrides its parent's on purpose. */
static uint32_t level(const dosm_def *d, const transition_def *t, int32_t s)
{
    uint32_t depth = 0, j;
    if (t->from_any)
        return UINT32_MAX;
    for (; s >= 0; s = d->states[s].parent, depth++)
        for (j = 0; j < t->from_count; j++)
            if (t->from[j] == s)
                return depth;
    return UINT32_MAX - 1; /* unreachable: t is a candidate of s */
}

/* Compares candidate a with the later ones of its run, up to end. */
static void check_pairs(const dosm_def *d, diag_sink *sink,
                        unsigned char *reported, uint32_t state,
                        const uint32_t *cand, uint32_t a, uint32_t end)
{
    const transition_def *ta = &d->trans[cand[a]];
    uint32_t b;
    for (b = a + 1; b < end; b++) {
        const transition_def *tb = &d->trans[cand[b]];
        if (reported[cand[b]] ||
            level(d, ta, (int32_t)state) != level(d, tb, (int32_t)state) ||
            !dosm__guards_can_both_hold(d, ta->guard, tb->guard))
            continue;
        ERR(sink, DOSM_D_OVERLAP, tb->at,
            "in state %s, '%s' could take this transition and the one of "
            "line %u at once; make the guards exclusive (write an otherwise "
            "as not (...))",
            d->states[state].id, d->events[tb->event].name, ta->at.line);
        reported[cand[b]] = 1;
    }
}

/* Candidates of one state are sorted by event, so only each event's run is
 * compared pairwise; a run longer than this is refused rather than
 * compared in quadratic time. */
#define MAX_RUN 64

static void check_overlaps(const dosm_def *d, diag_sink *sink,
                           unsigned char *reported)
{
    uint32_t i, a, b, run;
    for (i = 0; i < d->state_count; i++) {
        const uint32_t *cand = d->cand + d->hot[i].cand_first;
        const int32_t *ev = d->cand_event + d->hot[i].cand_first;
        uint32_t count = d->hot[i].cand_count;
        for (run = 0; run < count; run = b) {
            for (b = run + 1; b < count && ev[b] == ev[run]; b++)
                ;
            if (b - run > MAX_RUN) {
                ERR(sink, DOSM_D_LIMIT, d->trans[cand[run + MAX_RUN]].at,
                    "more than %u transitions of '%s' apply to state %s "
                    "(the limit)",
                    (unsigned)MAX_RUN, d->events[ev[run]].name,
                    d->states[i].id);
                continue;
            }
            for (a = run; a + 1 < b; a++)
                check_pairs(d, sink, reported, i, cand, a, b);
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

void dosm__checker_run(const dosm_def *d, arena *scratch, diag_sink *sink)
{
    unsigned char *reported = dosm__arena_alloc(scratch, d->trans_count + 1);
    if (!reported) {
        ERR(sink, DOSM_E_NOMEM, ((mark){0, 0}), "out of memory");
        return;
    }
    check_state_roles(d, sink);
    check_graph(d, sink);
    check_overlaps(d, sink, reported);
    warn_unused(d, sink, scratch);
}

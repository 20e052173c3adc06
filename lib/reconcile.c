/* Shortest legal paths, and reconciling an instance with a status observed
 * on a remote server whose intermediate statuses may have been missed. The
 * search is breadth-first over the compiled per-state tables, and each
 * step is what firing would choose, guards and priorities included; a
 * transient state's fallback (what dosm_restart does after a restart) is
 * a step too, tried after the state's transitions: event and transition
 * -1, recorded with the event DOSM_EVENT_RESTART.
 *
 * Each state's steps are expanded in transition document order, the
 * fallback last, so of equally short paths the search keeps the one whose
 * transitions come first in the file, step by step: the order of the
 * `events:` list never decides. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

typedef struct hop { /* one step out of a state */
    int32_t trans, to;
} hop;

typedef struct search {
    const dosm_def *d;
    const dosm_host *h;
    const dosm_request *req;
    int32_t *from, *via, *queue, *dist;
    int16_t *previous; /* what `previous` would be on arrival */
    unsigned char *goal; /* per state: 1 for a target */
    unsigned char *tie;  /* per state: another path as short reaches it */
    hop *hops;           /* room for one state's steps */
    dosm_step *steps;
    uint32_t seq;
} search;

static void visit(search *s, int32_t u, int32_t trans, int32_t v,
                  uint32_t *tail)
{
    if (v < 0)
        return;
    if (s->from[v] != -2) { /* seen: by a path as short, or shorter */
        if (s->dist[v] == s->dist[u] + 1)
            s->tie[v] = 1;
        return;
    }
    s->from[v] = u;
    s->via[v] = trans;
    s->dist[v] = s->dist[u] + 1;
    s->tie[v] = s->tie[u];
    s->previous[v] = v == u ? s->previous[u] : (int16_t)u;
    s->queue[(*tail)++] = v;
}

static int by_transition(const void *a, const void *b)
{
    int32_t x = ((const hop *)a)->trans, y = ((const hop *)b)->trans;
    return (x > y) - (x < y);
}

/* Is a target among queue[at..end)? */
static int goal_among(const search *s, uint32_t at, uint32_t end)
{
    for (; at < end; at++)
        if (s->goal[s->queue[at]])
            return 1;
    return 0;
}

/* Breadth-first from `start` to the nearest target of s->goal, the first
 * the search reaches (so ties go by transition order, as between paths;
 * another target as near is a tie too): returns it, or -1. With guards, each event contributes
 * the one transition fire would take, else every transition counts; a
 * transient state's fallback counts in both. */
static int32_t reaches(search *s, const dosm_instance *start, int use_guards)
{
    const dosm_def *d = s->d;
    uint32_t head = 0, tail = 0, level_end = 1, k;
    for (k = 0; k < d->state_count; k++)
        s->from[k] = -2;
    s->from[start->state] = -1;
    s->dist[start->state] = 0;
    s->tie[start->state] = 0;
    s->previous[start->state] = start->previous;
    s->queue[tail++] = start->state;
    while (head < tail) {
        int32_t u = s->queue[head++];
        const hot_state *st = &d->hot[u];
        dosm_instance here;
        size_t n = 0;
        if (head - 1 == level_end) /* u begins the next level */
            level_end = tail;
        if (s->goal[u]) {
            if (goal_among(s, head, level_end))
                s->tie[u] = 1;
            return u;
        }
        here.state = (uint16_t)u;
        here.previous = s->previous[u];
        here.seq = s->seq;
        for (k = st->cand_first; k < st->cand_first + st->cand_count; k++) {
            const transition_def *t = &d->trans[d->cand[k]];
            if (use_guards) {
                eval_ctx ctx;
                choice c;
                if (k > st->cand_first && d->cand_event[k - 1] == t->event)
                    continue; /* one choice per event_def */
                c = dosm__choose(d, s->h, &here, NULL, t->event, s->req,
                                 &ctx);
                if (c.code != DOSM_OK)
                    continue;
                s->hops[n].trans = c.trans;
                s->hops[n++].to = c.target;
            } else {
                s->hops[n].trans = (int32_t)d->cand[k];
                s->hops[n++].to =
                    t->to == TO_PREVIOUS ? (int32_t)here.previous : t->to;
            }
        }
        qsort(s->hops, n, sizeof *s->hops, by_transition);
        for (k = 0; k < n; k++)
            visit(s, u, s->hops[k].trans, s->hops[k].to, &tail);
        visit(s, u, -1, d->states[u].fallback, &tail);
    }
    return -1;
}

/* What a search looks for: one state, or the states of a vocabulary's
 * value (the slice [first, end) of the index), for the sentences. */
typedef struct goal {
    int32_t state;                /* -1: the value's states */
    const char *vocab, *value;
    uint32_t first, end;
} goal;

static void say_no_path(const dosm_def *d, const dosm_instance *inst,
                        const goal *g, int statically, dosm_outcome *out)
{
    const char *why = statically ? "the order's attributes or the guards "
                                   "block every path"
                                 : "no sequence of transitions leads there";
    uint32_t i, leaves = 0;
    int32_t only = g->state;
    for (i = g->first; only < 0 && i < g->end; i++)
        if (!d->states[dosm__vocab_entry(d, i)->state].is_parent)
            leaves++;
    if (only < 0 && leaves == 1)
        for (i = g->first; i < g->end && only < 0; i++)
            if (!d->states[dosm__vocab_entry(d, i)->state].is_parent)
                only = dosm__vocab_entry(d, i)->state;
    out->code = DOSM_R_NO_PATH;
    if (only >= 0)
        dosm__text_format(out->text, sizeof out->text,
                          "%s cannot become %s: %s",
                          d->states[inst->state].id, d->states[only].id, why);
    else
        dosm__text_format(out->text, sizeof out->text,
                          "%s cannot become any of the %u states with %s "
                          "'%s': %s",
                          d->states[inst->state].id, leaves, g->vocab,
                          g->value, why);
}

/* Finds the path into s->steps and its target into *target; returns its
 * length, or -1 with the reason in out. */
static long find(search *s, const dosm_instance *inst, const goal *g,
                 int32_t *target, dosm_outcome *out)
{
    const dosm_def *d = s->d;
    long n = 0, i;
    int32_t v;
    if ((*target = reaches(s, inst, 1)) < 0) {
        say_no_path(d, inst, g, reaches(s, inst, 0) >= 0, out);
        return -1;
    }
    for (v = *target; s->from[v] >= 0; v = s->from[v])
        n++;
    for (i = n - 1, v = *target; i >= 0; i--, v = s->from[v]) {
        s->steps[i].from = s->from[v];
        s->steps[i].to = v;
        s->steps[i].transition = s->via[v];
        s->steps[i].event = s->via[v] >= 0 ? d->trans[s->via[v]].event : -1;
    }
    out->code = DOSM_OK;
    out->text[0] = '\0';
    out->other_paths = s->tie[*target];
    return n;
}

/* What every search checks first, in fire's order: the host and the
 * prepared attributes, then the instance. */
static int search_begin(const dosm_def *d, const dosm_host *h,
                        const dosm_instance *inst, const dosm_request *req,
                        dosm_outcome *out)
{
    if (d && !made_for(d, h, req))
        return dosm__outcome_foreign(d, h, req, out);
    return outcome_begin(d, inst, out);
}

static int no_memory(const dosm_def *d, dosm_outcome *out)
{
    return dosm__outcome_fail(out, DOSM_E_NOMEM,
                              "out of memory for a search over the %u states "
                              "of workflow %s",
                              d->state_count, d->name);
}

/* One allocation holds every array of a search. */
static void *search_open(search *s, const dosm_def *d, const dosm_host *h,
                         const dosm_request *req, const dosm_instance *inst)
{
    size_t n = d->state_count, most = 0, k;
    size_t bytes;
    unsigned char *block;
    for (k = 0; k < n; k++)
        if (d->hot[k].cand_count > most)
            most = d->hot[k].cand_count;
    bytes = n * (4 * sizeof(int32_t) + sizeof(int16_t) + 2 +
                 sizeof(dosm_step)) + (most + 1) * sizeof(hop) + 16;
    block = dosm__mem_alloc(&d->mem.alloc, bytes);
    if (!block)
        return NULL;
    s->d = d;
    s->h = h;
    s->req = req;
    s->seq = inst->seq;
    s->steps = (dosm_step *)(void *)block;
    s->hops = (hop *)(void *)(s->steps + n);
    s->from = (int32_t *)(void *)(s->hops + most + 1);
    s->via = s->from + n;
    s->queue = s->via + n;
    s->dist = s->queue + n;
    s->previous = (int16_t *)(void *)(s->dist + n);
    s->goal = (unsigned char *)(s->previous + n);
    s->tie = s->goal + n;
    memset(s->goal, 0, n);
    return block;
}

int dosm_path(const dosm_def *d, const dosm_host *h, const dosm_instance *inst,
              int target, const dosm_request *req, dosm_step *steps,
              size_t capacity, size_t *length, dosm_outcome *outcome)
{
    dosm_outcome local;
    search s;
    goal g;
    void *block;
    long n;
    int rc;
    if (!outcome)
        outcome = &local;
    if (length)
        *length = 0;
    if ((rc = search_begin(d, h, inst, req, outcome)) != DOSM_OK)
        return rc;
    if (!length || (capacity && !steps))
        return dosm__outcome_fail(outcome, DOSM_E_ARG, "%s",
                                  !length ? "no length was given"
                                          : "no room for the steps was given");
    target = state_arg(d, target);
    if (target < 0 || d->states[target].is_parent)
        return dosm__outcome_fail(outcome, DOSM_E_ARG,
                                  "the target is not a state of workflow %s "
                                  "an order can be in",
                                  d->name);
    *length = 0;
    if (target == inst->state)
        return DOSM_OK;
    block = search_open(&s, d, h, req, inst);
    if (!block)
        return no_memory(d, outcome);
    g.state = target;
    g.vocab = g.value = NULL;
    g.first = g.end = 0;
    s.goal[target] = 1;
    n = find(&s, inst, &g, &target, outcome);
    if (n >= 0) {
        *length = (size_t)n;
        if ((size_t)n > capacity) {
            int tie = outcome->other_paths; /* the path's, kept */
            dosm__outcome_fail(outcome, DOSM_E_BUFFER,
                               "the path has %L step%s, more than the room "
                               "given for %L",
                               (int64_t)n, n == 1 ? "" : "s",
                               (int64_t)capacity);
            outcome->other_paths = tie;
        } else
            memcpy(steps, s.steps, (size_t)n * sizeof *steps);
    }
    dosm__mem_free(&d->mem.alloc, block);
    return outcome->code;
}

/* Moves inst along the shortest legal path to the nearest state of g
 * (s->goal marks them), firing each step with its callbacks. */
static int reconcile(search *s, const dosm_host *h, dosm_instance *inst,
                     const goal *g, const dosm_request *req,
                     dosm_outcome *outcome)
{
    const dosm_def *d = s->d;
    dosm_instance start = *inst;
    int32_t target;
    long n, i;
    int tie;
    inst->state |= BUSY; /* a named guard firing on the order is refused */
    n = find(s, &start, g, &target, outcome);
    tie = outcome->other_paths;
    *inst = start;
    /* in 64 bits: long is 32 bits on Windows */
    if (n > 0 && (uint64_t)n > (uint64_t)(UINT32_MAX - inst->seq)) {
        outcome_clear(outcome);
        dosm__text_format(outcome->text, sizeof outcome->text,
                    "%s to %s takes %L step%s, more than the order's seq "
                    "can count from %u: start a new order",
                    d->states[inst->state].id, d->states[target].id,
                    (int64_t)n, n == 1 ? "" : "s", inst->seq);
        outcome->code = DOSM_R_SEQ_LIMIT;
        n = 0;
    }
    for (i = 0; i < n; i++) {
        /* Fire each step as fire would: a host guard may have changed its
         * mind since the search, and then we stop where we are. */
        const dosm_step *st = &s->steps[i];
        if (dosm__step(d, h, inst,
                       st->transition < 0 ? STEP_FALLBACK : st->transition,
                       dosm__request_or_empty(req), outcome,
                       st->transition < 0
                           ? STEP_APPLY
                           : STEP_APPLY | STEP_EXPECT | STEP_REPORT) !=
            DOSM_OK)
            break;
        if (inst->state != (uint32_t)st->to ||
            inst->seq != start.seq + (uint32_t)i + 1) {
            outcome_clear(outcome); /* a callback decoded into the order */
            dosm__text_format(outcome->text, sizeof outcome->text,
                        "a callback replaced the order while reconciling, "
                        "after %L of %L steps: it stays as the callback "
                        "left it",
                        (int64_t)i + 1, (int64_t)n);
            outcome->code = DOSM_E_REENTRANT;
            break;
        }
    }
    if (outcome->code == DOSM_OK)
        outcome->other_paths = tie; /* the steps' records cleared it */
    return outcome->code;
}

/* Opens a search whose goals are g's states (its state, or the states of
 * its value that are not parents), reconciles, and closes it. */
static int reconcile_goal(const dosm_def *d, const dosm_host *h,
                          dosm_instance *inst, const goal *g,
                          const dosm_request *req, dosm_outcome *outcome)
{
    search s;
    uint32_t i;
    int rc;
    void *block = search_open(&s, d, h, req, inst);
    if (!block)
        return no_memory(d, outcome);
    if (g->state >= 0)
        s.goal[g->state] = 1;
    for (i = g->first; i < g->end; i++) {
        int32_t t = dosm__vocab_entry(d, i)->state;
        s.goal[t] = !d->states[t].is_parent;
    }
    rc = reconcile(&s, h, inst, g, req, outcome);
    dosm__mem_free(&d->mem.alloc, block);
    return rc;
}

int dosm_reconcile(const dosm_def *d, const dosm_host *h, dosm_instance *inst,
                   const char *observed, const dosm_request *req,
                   dosm_outcome *outcome)
{
    dosm_outcome local;
    goal g;
    int32_t target;
    int rc;
    if (!outcome)
        outcome = &local;
    if ((rc = search_begin(d, h, inst, req, outcome)) != DOSM_OK)
        return rc;
    target = dosm_state_find(d, observed);
    if (target < 0)
        return dosm__outcome_fail(outcome, DOSM_E_NAME,
                                  "'%s' is not a state of workflow %s",
                                  observed ? observed : "", d->name);
    if (d->states[target].is_parent)
        return dosm__outcome_fail(outcome, DOSM_E_NAME,
                                  "%s is a parent state of workflow %s: an "
                                  "order is never in it",
                                  d->states[target].id, d->name);
    if (target == inst->state)
        return outcome->code = DOSM_OK;
    g.state = target;
    g.vocab = g.value = NULL;
    g.first = g.end = 0;
    return reconcile_goal(d, h, inst, &g, req, outcome);
}

int dosm_reconcile_external(const dosm_def *d, const dosm_host *h,
                            dosm_instance *inst, const char *vocabulary,
                            const char *observed, const dosm_request *req,
                            dosm_outcome *outcome)
{
    dosm_outcome local;
    goal g;
    uint32_t i;
    int rc;
    if (!outcome)
        outcome = &local;
    if ((rc = search_begin(d, h, inst, req, outcome)) != DOSM_OK)
        return rc;
    if ((rc = dosm__vocab_targets(d, vocabulary, observed, &g.first, &g.end,
                                  outcome)) != DOSM_OK)
        return rc;
    for (i = g.first; i < g.end; i++)
        if (dosm__vocab_entry(d, i)->state == inst->state)
            return outcome->code = DOSM_OK; /* already there: stay */
    g.state = -1;
    g.vocab = d->vocabs[dosm__vocab_entry(d, g.first)->vocab].name;
    g.value = dosm__vocab_entry(d, g.first)->value;
    return reconcile_goal(d, h, inst, &g, req, outcome);
}

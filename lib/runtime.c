/* Firing events, through one path (dosm__step): resolve the event, screen
 * the request (timer, payload), choose the transition (own state, parents,
 * `any`, guards), then apply the step and dispatch callbacks, or describe
 * it. fire, fire_index, try, the reconciles and restart differ by flags.
 * Nothing here allocates; the cost depends on the state's own transitions
 * only. */
#include "model.h"

#include <string.h>

/* The first candidate of `event` in state s; its candidates run from there
 * while cand_event matches, up to the end of s's slice. */
static uint32_t first_candidate(const dosm_def *d, uint32_t state,
                                int32_t event)
{
    const hot_state *s = &d->hot[state];
    uint32_t lo = s->cand_first, hi = s->cand_first + s->cand_count;
    if (d->cell) {
        uint32_t c = d->cell[(size_t)state * d->event_count + (uint32_t)event]
                         .first;
        return c ? c - 1 : hi;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->cand_event[mid] < event)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The transition firing `event` takes from inst: the first candidate whose
 * guard holds. Fire takes a plain cell's step without it (run_event). */
static ALWAYS_INLINE choice choose(const dosm_def *d, const dosm_host *h,
                                   const dosm_instance *inst, int32_t event,
                                   const dosm_request *req, eval_ctx *ctx)
{
    const hot_state *s = &d->hot[inst->state];
    uint32_t k, end = s->cand_first + s->cand_count;
    choice c;
    int ready = 0; /* most transitions have no guard: ctx waits for one */

    c.trans = c.target = -1;
    for (k = first_candidate(d, inst->state, event);
         k < end && d->cand_event[k] == event;
         k++) {
        const transition_def *t = &d->trans[d->cand[k]];
        if (c.trans < 0)
            c.trans = (int32_t)d->cand[k]; /* explain by the first */
        if (t->guard) {
            if (!ready) {
                eval_begin(ctx, d, h, inst, req);
                ready = 1;
            }
            if (!dosm__guard_eval(ctx, (int32_t)d->cand[k]))
                continue;
        }
        c.trans = (int32_t)d->cand[k];
        c.target = t->to == TO_PREVIOUS ? (int32_t)inst->previous : t->to;
        c.code = c.target == (int32_t)DOSM_NO_STATE ? DOSM_R_NO_HISTORY
                                                    : DOSM_OK;
        return c;
    }
    /* a final state has no candidates (compiler.c) */
    if (c.trans >= 0)
        c.code = ctx->missing ? DOSM_R_MISSING_ATTR : DOSM_R_GUARD;
    else
        c.code = s->flags & HOT_FINAL ? DOSM_R_FINAL : DOSM_R_NOT_ALLOWED;
    return c;
}

/* choose, with the host's order marked busy while its guards run, so that
 * a named guard firing on it is refused (DOSM_E_REENTRANT); the order is as
 * it was when choose returns. */
static ALWAYS_INLINE choice choose_busy(const dosm_def *d, const dosm_host *h,
                                        const dosm_instance *inst,
                                        dosm_instance *order, int32_t event,
                                        const dosm_request *req, eval_ctx *ctx)
{
    dosm_instance here = *inst;
    choice c;
    if (order)
        order->state |= BUSY;
    c = choose(d, h, &here, event, req, ctx);
    if (order)
        *order = here;
    return c;
}

choice dosm__choose(const dosm_def *d, const dosm_host *h,
                    const dosm_instance *inst, dosm_instance *order,
                    int32_t event, const dosm_request *req, eval_ctx *ctx)
{
    return choose_busy(d, h, inst, order, event, req, ctx);
}

/* ---- explaining rejections in words a person can act on ---- */

typedef struct sentence {
    char *buf;
    size_t size, len;
} sentence;

static void say(sentence *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (s->len < s->size)
        s->len += dosm__text_vformat(s->buf + s->len, s->size - s->len, fmt, ap);
    va_end(ap);
}

/* "only in A, B or C": where the event can happen at all, each state once,
 * the first six. */
static void say_where(sentence *out, const dosm_def *d, int32_t event)
{
    const event_def *e = &d->events[event];
    int32_t shown[7];
    uint32_t i, j, n = 0, k;
    /* Look at no more than 64 transitions: rejecting stays cheap in a
     * definition of any size. */
    for (i = 0; i < e->trans_count && i < 64 && n < 7; i++) {
        const transition_def *t = &d->trans[d->by_event[e->trans_first + i]];
        if (t->from_any) {
            say(out, "; %s applies in any state that is not final", e->name);
            return;
        }
        for (j = 0; j < t->from_count && n < 7; j++) {
            for (k = 0; k < n && shown[k] != t->from[j]; k++)
                ;
            if (k == n)
                shown[n++] = t->from[j];
        }
    }
    if (n == 0) {
        say(out, "; no transition takes %s", e->name);
        return;
    }
    say(out, ": %s applies only in ", e->name);
    for (k = 0; k < n && k < 6; k++)
        say(out, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
            d->states[shown[k]].id);
    if (n > 6)
        say(out, ", ...");
}

/* Why c is refused, into buf; c.trans is the transition explained. */
static void explain_text(const dosm_def *d, const dosm_instance *inst,
                         int32_t event, const char *event_name, choice c,
                         const eval_ctx *ctx, char *buf, size_t size)
{
    sentence s;
    const char *here = d->states[inst->state].id;
    s.buf = buf;
    s.size = size;
    s.len = 0;
    buf[0] = '\0';
    switch (c.code) {
    case DOSM_R_UNKNOWN_EVENT:
        say(&s, "'%s' is not an event of workflow %s", event_name, d->name);
        break;
    case DOSM_R_FINAL:
        say(&s, "%s is not allowed in %s: %s is final", event_name, here, here);
        break;
    case DOSM_R_NOT_ALLOWED:
        say(&s, "%s is not allowed in %s", event_name, here);
        say_where(&s, d, event);
        break;
    case DOSM_R_MISSING_ATTR:
        say(&s, "%s in %s needs the attribute %s, which the order does not "
                "have",
            event_name, here, ctx->missing);
        break;
    case DOSM_R_GUARD:
        /* the first candidate: had it no guard, it would have been taken */
        say(&s, "%s in %s needs %s", event_name, here,
            d->trans[c.trans].guard->text);
        if (ctx->bad_name)
            say(&s, " (%s is '%s', which does not read as its type)",
                ctx->bad_name, ctx->bad_value);
        break;
    case DOSM_R_NO_HISTORY:
        say(&s, "%s in %s returns to the previous state, but the order has "
                "none",
            event_name, here);
        break;
    case DOSM_R_SHADOWED: /* c.target: the transition taken instead */
        say(&s, "%s in %s takes the transition on line %u first",
            event_name, here, d->trans[c.target].at.line);
        break;
    case DOSM_R_SEQ_LIMIT:
        say(&s, "%s in %s would be step %u of the order, one more than its "
                "seq can count: start a new order",
            event_name, here, inst->seq);
        break;
    default: /* DOSM_OK: nothing to explain */
        break;
    }
}

/* A refusal of the choice c into out; returns its code. */
static int explain(const dosm_def *d, const dosm_instance *inst,
                   int32_t event, const char *event_name, choice c,
                   const eval_ctx *ctx, dosm_outcome *out)
{
    outcome_clear(out);
    out->code = c.code;
    /* refused after the choice: the transition that would be taken */
    if (c.code == DOSM_R_NO_HISTORY || c.code == DOSM_R_SEQ_LIMIT)
        out->transition = c.trans;
    explain_text(d, inst, event, event_name, c, ctx, out->text,
                 sizeof out->text);
    return c.code;
}

/* ---- applying a step ---- */

/* The outcome of the step from before to after by transition trans (-1: a
 * fallback). Every field is written; out aliases nothing the definition
 * holds, so the loads need not wait for the stores. */
static inline void record(const dosm_def *d, dosm_instance before,
                          dosm_instance after, int32_t trans,
                          const dosm_request *req, dosm_outcome *restrict out)
{
    dosm_record *r = &out->record;
    out->code = DOSM_OK;
    out->text[0] = '\0';
    out->transition = trans;
    r->workflow = d->name;
    r->revision = d->revision;
    r->seq = after.seq;
    r->from = d->hot[before.state].id;
    r->to = d->hot[after.state].id;
    r->time = req ? req->now : 0;
    if (trans >= 0) {
        const transition_def *t = &d->trans[trans];
        r->event = t->event_name;
        r->effect_count = t->effect_count;
        r->effects = t->effect_names;
    } else {
        r->event = DOSM_EVENT_RESTART;
        r->effect_count = 0;
        r->effects = NULL;
    }
    /* Every step into a state with a timeout issues a deadline, an internal
     * one too: it moved seq on, which makes the pending timer stale. The
     * deadline is meaningful only when has_deadline says so. */
    out->other_paths = 0;
    out->has_deadline = dosm__deadline(d, &after, r->time, &out->deadline);
}

/* Is a an ancestor of s, or s itself? */
static int contains(const dosm_def *d, int32_t a, int32_t s)
{
    for (; s >= 0; s = d->states[s].parent)
        if (s == a)
            return 1;
    return 0;
}

/* The host's order while the callbacks of a step or rejection run: busy
 * throughout. A callback that decodes into it clears the busy bit; that
 * value is kept for the end (the host's write stands) and the order is
 * busy again for the callbacks after it. */
typedef struct busy_order {
    dosm_instance *order;
    dosm_instance written;
    int was_written;
} busy_order;

static void busy_begin(busy_order *b, dosm_instance *order)
{
    b->order = order;
    b->was_written = 0;
    order->state |= BUSY;
}

static void busy_again(busy_order *b)
{
    if (!(b->order->state & BUSY)) {
        b->written = *b->order;
        b->was_written = 1;
        b->order->state |= BUSY;
    }
}

/* Ends it: the order is `to`, or what a callback wrote. */
static void busy_end(busy_order *b, dosm_instance to)
{
    busy_again(b);
    *b->order = b->was_written ? b->written : to;
}

static void dispatch(const dosm_def *d, const dosm_host *h,
                     const transition_def *t, dosm_callback_info *info,
                     busy_order *b)
{
    int32_t from = info->before->state, to = info->after->state, s;
    int32_t chain[DOSM_MAX_NESTING + 1]; /* a state and its ancestors */
    uint32_t n = 0, k;

    if (from != to) {
        for (s = from; s >= 0 && !contains(d, s, to); s = d->states[s].parent) {
            info->state = d->states[s].id;
            dosm__host_call(h, DOSM_ON_EXIT, info);
            busy_again(b);
        }
    }
    info->state = NULL;
    dosm__host_call(h, DOSM_ON_TRANSITION, info);
    busy_again(b);
    for (k = 0; t && k < t->effect_count; k++) {
        info->effect = t->effect_names[k];
        dosm__host_effect(h, t->effects[k], info);
        busy_again(b);
    }
    info->effect = NULL;
    if (from == to)
        return;
    for (s = to; s >= 0 && !contains(d, s, from); s = d->states[s].parent)
        chain[n++] = s;
    while (n--) {
        info->state = d->states[chain[n]].id;
        dosm__host_call(h, DOSM_ON_ENTER, info);
        busy_again(b);
    }
}

/* Runs the callbacks of the step out records, already applied to *inst.
 * Returns DOSM_OK, so that apply can end in a call to it. */
static NOINLINE int notify(const dosm_def *d, const dosm_host *h,
                           dosm_instance *inst, dosm_instance before,
                           const dosm_request *req, const dosm_outcome *out)
{
    dosm_instance after = *inst;
    dosm_callback_info info;
    busy_order b;
    memset(&info, 0, sizeof info);
    info.def = d;
    info.before = &before;
    info.after = &after;
    info.event = out->record.event;
    info.record = &out->record;
    info.transition = out->transition;
    info.request = dosm__request_or_empty(req);
    info.context = info.request->context;
    busy_begin(&b, inst); /* a callback firing on this instance is refused */
    dispatch(d, h, out->transition >= 0 ? &d->trans[out->transition] : NULL,
             &info, &b);
    busy_end(&b, after);
    return DOSM_OK;
}

static NOINLINE int reject(const dosm_def *d, const dosm_host *h,
                           dosm_instance *inst, const char *event,
                           const dosm_request *req, dosm_outcome *out)
{
    dosm_callback_info info;
    dosm_instance before = *inst;
    busy_order b;
    if (h) {
        memset(&info, 0, sizeof info);
        info.def = d;
        info.before = info.after = &before;
        info.event = event;
        info.outcome = out;
        info.transition = out->transition; /* the one refused after the
                                              choice, else -1 */
        info.request = req;
        info.context = req->context;
        busy_begin(&b, inst);
        dosm__host_call(h, DOSM_ON_REJECT, &info);
        busy_end(&b, before);
    }
    return out->code;
}

/* ---- payloads and timers ---- */

int dosm__outcome_fail(dosm_outcome *out, int code, const char *fmt, ...)
{
    va_list ap;
    outcome_clear(out);
    va_start(ap, fmt);
    dosm__text_vformat(out->text, sizeof out->text, fmt, ap);
    va_end(ap);
    return out->code = code;
}

int dosm__outcome_foreign(const dosm_def *d, const dosm_host *h,
                          const dosm_request *req, dosm_outcome *out)
{
    int host = h && h->def != d;
    const dosm_def *other = host ? h->def : prepared_of(req)->def;
    return dosm__outcome_fail(out, DOSM_E_ARG,
                              "the %s made for workflow %s@%u, not %s",
                              host ? "host was" : "prepared attributes were",
                              other->name, other->revision,
                              d ? d->name : "(none)");
}

void dosm__outcome_refuse(const dosm_def *d, const dosm_instance *inst,
                          int code, dosm_outcome *out)
{
    if (code == DOSM_E_ARG)
        dosm__outcome_fail(out, code, "%s",
                           d ? "no instance was given"
                             : "no definition was given");
    else if (code == DOSM_E_REENTRANT)
        dosm__outcome_fail(
            out, code, "the order is busy: its callbacks or named guards are "
                       "running, and they may not fire on it or move it");
    else /* DOSM_E_STATE: instance_check's only other failure */
        dosm__outcome_fail(
            out, code, "the instance (state %u, previous %d) is not one "
                       "workflow %s can hold: its states must be states "
                       "of the workflow that are not parents",
            (unsigned)inst->state, (int)inst->previous, d->name);
}

static int check_payload(const event_def *e,
                         const dosm_request *req, dosm_outcome *out)
{
    const dosm_values *p = req->payload;
    uint32_t i, j;
    value v;
    for (i = 0; p && p->pairs && i < p->count; i++) {
        if (!p->pairs[i].name)
            continue; /* dosm__values_get skips these too */
        for (j = 0; j < e->payload_count &&
                    strcmp(e->payload[j].name, p->pairs[i].name) != 0;
             j++)
            ;
        if (j == e->payload_count)
            return dosm__outcome_fail(out, DOSM_R_PAYLOAD,
                                      "%s carries no field '%s'", e->name,
                                      p->pairs[i].name);
    }
    for (i = 0; i < e->payload_count; i++) {
        const field *f = &e->payload[i];
        const char *text = dosm__values_get(p, f->name);
        if (!text && f->required)
            return dosm__outcome_fail(out, DOSM_R_PAYLOAD,
                                      "%s needs the payload field %s",
                                      e->name, f->name);
        if (text && !dosm__value_read(f, text, &v))
            return dosm__outcome_fail(out, DOSM_R_PAYLOAD,
                                      "the payload field %s of %s is '%s', "
                                      "which does not read as its type",
                                      f->name, e->name, text);
    }
    return DOSM_OK;
}

static int timer_is_current(const dosm_def *d, const dosm_instance *inst,
                            int32_t event, const dosm_request *req,
                            dosm_outcome *out)
{
    const state_def *st = &d->states[inst->state];
    const char *name = d->events[event].name;
    if (req->timer_seq == inst->seq && st->timeout_event == event)
        return 1;
    if (st->timeout_event < 0)
        dosm__outcome_fail(out, DOSM_R_STALE,
                           "the timer %s is stale: the order is in %s, which "
                           "has no timeout",
                           name, st->id);
    else if (st->timeout_event != event)
        dosm__outcome_fail(out, DOSM_R_STALE,
                           "the timer %s is stale: the order is in %s, whose "
                           "timeout fires %s",
                           name, st->id, d->events[st->timeout_event].name);
    else if (req->timer_seq < inst->seq)
        dosm__outcome_fail(out, DOSM_R_STALE,
                           "the timer %s is stale: it was set at seq %u, and "
                           "the order has moved on to seq %u (in %s)",
                           name, req->timer_seq, inst->seq, st->id);
    else
        dosm__outcome_fail(out, DOSM_R_STALE,
                           "the timer %s is stale: it was set at seq %u, "
                           "ahead of the order's seq %u, so it was set for "
                           "another order",
                           name, req->timer_seq, inst->seq);
    return 0;
}

/* ---- the one path ---- */

/* The name of an event the workflow does not have: the request's, or "?"
 * (dosm_fire_index with an index out of range). */
static const char *unknown_name(const dosm_request *req)
{
    return req->event ? req->event : "?";
}

/* A call without a definition, request or event. */
static int missing_event(const dosm_def *d, const dosm_request *req,
                         dosm_outcome *out)
{
    return dosm__outcome_fail(out, DOSM_E_ARG, "%s",
                              !d     ? "no definition was given"
                              : !req ? "no request was given"
                                     : "the request names no event");
}

/* The state's fallback as a step (restart, and reconcile through a
 * transient state): its target in c, or a refusal in out. */
static int fallback(const dosm_def *d, const dosm_instance *inst, choice *c,
                    dosm_outcome *out)
{
    const state_def *st = &d->states[inst->state];
    c->trans = -1;
    c->target = st->fallback;
    if (st->fallback < 0)
        return c->code = dosm__outcome_fail(
                   out, DOSM_R_NOT_ALLOWED,
                   "%s is not transient: a restart leaves the order where it "
                   "is",
                   st->id);
    if (inst->seq == UINT32_MAX)
        return c->code = dosm__outcome_fail(
                   out, DOSM_R_SEQ_LIMIT,
                   "the restart of %s would be step %u of the order, one "
                   "more than its seq can count",
                   st->id, inst->seq);
    return c->code = DOSM_OK;
}

/* Chooses the transition firing `event` (known) takes from inst, with the
 * host's order busy while named guards run (choose_busy); a refusal is
 * explained in out. Returns c's code. */
static ALWAYS_INLINE int chosen(const dosm_def *d, const dosm_host *h,
                  const dosm_instance *inst, dosm_instance *order,
                  int32_t event, const dosm_request *req, choice *c,
                  dosm_outcome *out)
{
    eval_ctx ctx;
    *c = choose_busy(d, h, inst, order, event, req, &ctx);
    if (c->code != DOSM_OK)
        explain(d, inst, event, d->events[event].name, *c, &ctx, out);
    return c->code;
}

/* Screens the request and chooses the step, for an instance the
 * definition can hold. One order of reasons for every call: an unknown
 * event, a stale timer, a final state, an event not allowed here, a guard
 * that does not hold (or an attribute it lacks, or no previous state), the
 * payload, the seq limit; then, for a reconcile (expect >= 0), a choice
 * other than the one its search found. Returns c's code; unless it is
 * DOSM_OK, out says why. */
static int screen(const dosm_def *d, const dosm_host *h,
                  const dosm_instance *inst, int32_t event, int32_t expect,
                  const dosm_request *req, unsigned flags, choice *c,
                  dosm_outcome *out)
{
    const event_def *e;
    c->trans = c->target = -1;
    if (event == STEP_FALLBACK)
        return fallback(d, inst, c, out);
    if (event < 0 || (uint32_t)event >= d->event_count) {
        c->code = DOSM_R_UNKNOWN_EVENT;
        return explain(d, inst, -1, unknown_name(req), *c, NULL, out);
    }
    e = &d->events[event];
    if ((flags & STEP_SCREEN) && req->timer &&
        !timer_is_current(d, inst, event, req, out))
        return c->code = out->code;
    if (chosen(d, h, inst, NULL, event, req, c, out) != DOSM_OK)
        return c->code;
    /* most events carry no payload: skip the check without a call */
    if ((flags & STEP_SCREEN) && (e->payload_count || req->payload) &&
        check_payload(e, req, out) != DOSM_OK) {
        out->transition = c->trans;
        return c->code = out->code;
    }
    if (inst->seq == UINT32_MAX) {
        c->code = DOSM_R_SEQ_LIMIT;
        return explain(d, inst, event, e->name, *c, NULL, out);
    }
    if (expect >= 0 && c->trans != expect) {
        /* the search found expect's target with this previous state */
        int32_t meant = d->trans[expect].to == TO_PREVIOUS
                            ? (int32_t)inst->previous
                            : d->trans[expect].to;
        return c->code = dosm__outcome_fail(
                   out, DOSM_R_GUARD,
                   "%s in %s now leads to %s, not %s: the host's guards "
                   "changed while reconciling",
                   e->name, d->states[inst->state].id,
                   d->states[c->target].id,
                   meant >= 0 ? d->states[meant].id : "the previous state");
    }
    return DOSM_OK;
}

/* screen, with the host's order (when applying) busy while the host's
 * code runs (payload and attribute lookups, named guards), then as it
 * was. */
static void decide(const dosm_def *d, const dosm_host *h,
                   const dosm_instance *inst, dosm_instance *order,
                   int32_t event, int32_t expect, const dosm_request *req,
                   unsigned flags, choice *c, dosm_outcome *out)
{
    dosm_instance here = *inst;
    if (order)
        order->state |= BUSY;
    screen(d, h, &here, event, expect, req, flags, c, out);
    if (order)
        *order = here;
}

/* Runs the callbacks of a step the host asked no outcome of. */
static NOINLINE int notify_unrecorded(const dosm_def *d, const dosm_host *h,
                                      dosm_instance *order,
                                      dosm_instance before, int32_t trans,
                                      const dosm_request *req)
{
    dosm_outcome out;
    record(d, before, *order, trans, req, &out);
    return notify(d, h, order, before, req, &out);
}

/* Takes the chosen step from inst: moves the order there and runs its
 * callbacks or, without an order, only describes the step. The outcome is
 * filled when there is one. */
static ALWAYS_INLINE int take(const dosm_def *d, const dosm_host *h,
                              const dosm_instance *inst,
                              dosm_instance *order, int32_t trans,
                              int32_t target, const dosm_request *req,
                              dosm_outcome *out)
{
    dosm_instance before = *inst, after = instance_next(&before, target);
    if (out)
        record(d, before, after, trans, req, out);
    if (order)
        *order = after;
    if (!order || !h)
        return DOSM_OK;
    return out ? notify(d, h, order, before, req, out)
               : notify_unrecorded(d, h, order, before, trans, req);
}

/* The end of every step: the chosen step taken (out, when there is one,
 * filled), or its refusal (why, which is out or the caller's scratch, says
 * why) handed to the host's reject callback when the call fires. */
static ALWAYS_INLINE int conclude(const dosm_def *d, const dosm_host *h,
                                  const dosm_instance *inst,
                                  dosm_instance *order, int32_t event,
                                  choice c, const dosm_request *req,
                                  dosm_outcome *out, dosm_outcome *why,
                                  unsigned flags)
{
    if (c.code == DOSM_OK)
        return take(d, h, inst, order, c.trans, c.target, req, out);
    if (order && (flags & STEP_REPORT) && DOSM_IS_REJECTION(c.code))
        return reject(d, h, order,
                      event >= 0 && (uint32_t)event < d->event_count
                          ? d->events[event].name
                          : unknown_name(req),
                      req, why);
    return c.code;
}

/* What a call asks of the path, in one register: `step` is an event's
 * index (-1: unknown, or STEP_MISSING, STEP_FALLBACK) or, with
 * STEP_EXPECT, the transition a reconcile's search found. */
typedef struct step_what {
    int32_t step;
    uint32_t flags;
} step_what;

/* Everything but a plain step: the call's arguments (the definition, the
 * host, the instance, the request), then decide, then the step or the
 * host's reject callback. inst is moved only with STEP_APPLY. */
static NOINLINE int step_checked(const dosm_def *d, const dosm_host *h,
                                 dosm_instance *inst, step_what what,
                                 const dosm_request *req, dosm_outcome *out)
{
    dosm_instance *order = what.flags & STEP_APPLY ? inst : NULL;
    int32_t event = what.step, expect = -1;
    dosm_outcome local, *why = out;
    choice c;
    int code;
    if (!why) /* a refusal's reasons need a place */
        why = &local;
    if (event == STEP_MISSING)
        return missing_event(d, req, why);
    if (!made_for(d, h, req))
        return dosm__outcome_foreign(d, h, req, why);
    /* no clearing: every answer below writes the whole outcome */
    if ((code = instance_check(d, inst)) != DOSM_OK) {
        dosm__outcome_refuse(d, inst, code, why);
        return code;
    }
    if (!req)
        return missing_event(d, req, why);
    if (what.flags & STEP_EXPECT) {
        expect = what.step;
        event = d->trans[expect].event;
    }
    decide(d, h, inst, order, event, expect, req, what.flags, &c, why);
    return conclude(d, h, inst, order, event, c, req, out, why, what.flags);
}

/* A clean cell's step whose guards (or `to: previous`) choose it: the
 * checks step_checked makes first have passed inline. */
static NOINLINE int step_chosen(const dosm_def *d, const dosm_host *h,
                                dosm_instance *inst, step_what what,
                                const dosm_request *req, dosm_outcome *out)
{
    dosm_instance *order = what.flags & STEP_APPLY ? inst : NULL;
    dosm_outcome local, *why = out;
    choice c;
    if (!why)
        why = &local;
    chosen(d, h, inst, order, what.step, req, &c, why);
    return conclude(d, h, inst, order, what.step, c, req, out, why,
                    what.flags);
}

/* The cell of a clean step from inst, or NULL: a dense table, a host
 * made for d, a known event, a request without timer or payload, an
 * instance whose states are in the definition (previous a leaf) and whose
 * seq can count one more step. The cell says the rest (compiler.c): a
 * plain one holds the step; CELL_CHOOSE has guards or `to: previous` to
 * read; CELL_SCREEN (a payload, a parent state) needs step_checked. */
static inline const cell *clean_cell(const dosm_def *d, const dosm_host *h,
                                     const dosm_instance *inst,
                                     int32_t event, const dosm_request *req)
{
    if (!d || !inst || !req || !d->cell || req->timer || req->payload ||
        !made_for(d, h, req) || (uint32_t)event >= d->event_count ||
        inst->state >= d->state_count || !previous_fits(d, inst) ||
        inst->seq == UINT32_MAX)
        return NULL;
    return &d->cell[(size_t)inst->state * d->event_count + (uint32_t)event];
}

/* The path every step takes: a plain cell's step is taken on sight, a
 * clean one's chosen out of line, everything else checked out of line. `step` and flags: see
 * step_what; try, which never moves inst, casts its const away. */
static ALWAYS_INLINE int step(const dosm_def *d, const dosm_host *h,
                              dosm_instance *inst, int32_t step,
                              const dosm_request *req, dosm_outcome *out,
                              unsigned flags)
{
    step_what what;
    const cell *cl;
    if (flags & STEP_BY_NAME)
        step = d && req && req->event ? dosm_event_find(d, req->event)
                                      : STEP_MISSING;
    cl = flags & STEP_EXPECT ? NULL : clean_cell(d, h, inst, step, req);
    if (cl && cl->to >= 0)
        return take(d, h, inst, flags & STEP_APPLY ? inst : NULL,
                    (int32_t)d->cand[cl->first - 1], cl->to, req, out);
    what.step = step;
    what.flags = flags;
    if (cl && cl->to == CELL_CHOOSE)
        return step_chosen(d, h, inst, what, req, out);
    return step_checked(d, h, inst, what, req, out);
}

int dosm__step(const dosm_def *d, const dosm_host *h, dosm_instance *inst,
               int32_t what, const dosm_request *req, dosm_outcome *out,
               unsigned flags)
{
    return step(d, h, inst, what, req, out, flags);
}

int dosm_fire(const dosm_def *d, const dosm_host *h, dosm_instance *inst,
              const dosm_request *req, dosm_outcome *outcome)
{
    return step(d, h, inst, STEP_MISSING, req, outcome,
                STEP_FIRE | STEP_BY_NAME);
}

int dosm_fire_index(const dosm_def *d, const dosm_host *h,
                    dosm_instance *inst, int event, const dosm_request *req,
                    dosm_outcome *outcome)
{
    /* an index below -1 is unknown, not missing */
    return step(d, h, inst, event < 0 ? -1 : event, req, outcome, STEP_FIRE);
}

int dosm_try(const dosm_def *d, const dosm_host *h, const dosm_instance *inst,
             const dosm_request *req, dosm_outcome *outcome)
{
    return step(d, h, (dosm_instance *)inst, STEP_MISSING, req, outcome,
                STEP_SCREEN | STEP_BY_NAME);
}

size_t dosm_choices(const dosm_def *d, const dosm_host *h,
                    const dosm_instance *inst, const dosm_request *req,
                    dosm_choice *out, size_t capacity)
{
    const hot_state *s;
    uint32_t k, stop;
    int32_t taken = -1; /* of the current event: the transition fire takes */
    size_t n = 0;
    if (!instance_valid(d, inst) || !made_for(d, h, req))
        return 0;
    s = &d->hot[inst->state];
    stop = s->cand_first + s->cand_count;
    for (k = s->cand_first; k < stop; k++, n++) {
        const transition_def *t = &d->trans[d->cand[k]];
        eval_ctx ctx;
        choice c;
        if (k == s->cand_first || d->cand_event[k - 1] != t->event)
            taken = -1;
        if (!out || n >= capacity)
            continue;
        eval_begin(&ctx, d, h, inst, req);
        c.trans = (int32_t)d->cand[k];
        c.target = t->to == TO_PREVIOUS ? (int32_t)inst->previous : t->to;
        if (!dosm__guard_eval(&ctx, c.trans))
            c.code = ctx.missing ? DOSM_R_MISSING_ATTR : DOSM_R_GUARD;
        else if (taken >= 0)
            c.code = DOSM_R_SHADOWED;
        else {
            taken = c.trans;
            c.code = c.target == (int32_t)DOSM_NO_STATE ? DOSM_R_NO_HISTORY
                     : inst->seq == UINT32_MAX        ? DOSM_R_SEQ_LIMIT
                                                      : DOSM_OK;
        }
        out[n].event = t->event;
        out[n].transition = c.trans;
        out[n].target = c.target;
        out[n].code = c.code;
        if (c.code == DOSM_R_SHADOWED)
            c.target = taken;
        explain_text(d, inst, t->event, t->event_name, c, &ctx, out[n].text,
                     sizeof out[n].text);
    }
    return n;
}

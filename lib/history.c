/* Replaying a host's log of transition records: every step must be one the
 * workflow allows from where the previous step left the order. */
#include "model.h"

#include <string.h>

/* Are the record's effects these? Records point at the definition's own
 * names, so pointers are compared before text. */
static int same_effects(const dosm_record *r, const char *const *names,
                        uint32_t count)
{
    uint32_t i;
    if (r->effect_count != count || (count && !r->effects))
        return 0;
    for (i = 0; i < count; i++)
        if (r->effects[i] != names[i] &&
            (!r->effects[i] || strcmp(r->effects[i], names[i]) != 0))
            return 0;
    return 1;
}

/* Is `to` where the record's event may lead from inst, ignoring guards?
 * 1 when a transition takes it with the record's effects (compared for
 * records of this revision only: an older one may have had others), -1
 * when only with other effects, 0 when none takes it. */
static int legal_step(const dosm_def *d, const dosm_instance *inst,
                      const dosm_record *r, int32_t to)
{
    const state_def *s = &d->states[inst->state];
    const hot_state *h = &d->hot[inst->state];
    int effects = r->revision == d->revision, found = 0;
    int32_t e;
    uint32_t k;
    if (r->event && strcmp(r->event, DOSM_EVENT_RESTART) == 0)
        return s->fallback != to                     ? 0
               : !effects || same_effects(r, NULL, 0) ? 1
                                                      : -1;
    e = dosm_event_find(d, r->event);
    if (e < 0)
        return 0;
    for (k = h->cand_first; k < h->cand_first + h->cand_count; k++) {
        const transition_def *t = &d->trans[d->cand[k]];
        if (t->event != e ||
            (t->to != to && !(t->to == TO_PREVIOUS && inst->previous == to)))
            continue;
        if (!effects || same_effects(r, t->effect_names, t->effect_count))
            return 1;
        found = -1;
    }
    return found;
}

/* Whether the record names, by the definition's own strings (its
 * state ids and transitions' event names, which fire's records point at),
 * a transition from inst's state, taken with the record's effects (for
 * this revision), and leaving inst there; *to receives its target. A
 * record of copied strings, a restart, or one that is wrong gets 0: the
 * lookups of check_step then decide, and say why. */
static int named_by_pointer(const dosm_def *d, const dosm_instance *inst,
                            const dosm_record *r, int32_t *to)
{
    const hot_state *h = &d->hot[inst->state];
    uint32_t k;
    if (r->from != h->id)
        return 0;
    for (k = h->cand_first; k < h->cand_first + h->cand_count; k++) {
        const transition_def *t = &d->trans[d->cand[k]];
        int32_t target = t->to == TO_PREVIOUS ? inst->previous : t->to;
        if (t->event_name == r->event && target >= 0 &&
            d->hot[target].id == r->to &&
            !(d->hot[target].flags & HOT_PARENT) &&
            (r->revision != d->revision ||
             same_effects(r, t->effect_names, t->effect_count))) {
            *to = target;
            return 1;
        }
    }
    return 0;
}

/* What is wrong with the record's step from inst (NULL: nothing), found
 * by name; *to receives its target. */
static const char *check_step(const dosm_def *d, const dosm_instance *inst,
                              const dosm_record *r, int32_t *to)
{
    int legal;
    if (dosm__state_by_id(d, r->from, r->from ? strlen(r->from) : 0,
                          r->revision < d->revision) != (int32_t)inst->state)
        return "does not start where the previous step left the order";
    if ((*to = dosm__state_by_id(d, r->to, r->to ? strlen(r->to) : 0,
                                 r->revision < d->revision)) < 0)
        return "leads to an unknown state";
    if ((legal = legal_step(d, inst, r, *to)) <= 0)
        return legal == 0 ? "is not a transition of the workflow"
                          : "asks for other effects than its transition does";
    return NULL;
}

static int check_record(const dosm_def *d, const dosm_instance *inst,
                        const dosm_record *r, int32_t *to, dosm_error *error)
{
    const char *what = NULL;
    if (r->workflow != d->name &&
        (!r->workflow || strcmp(r->workflow, d->name) != 0))
        what = "is of another workflow";
    else if (r->revision == 0)
        what = "is of revision 0 (revisions start at 1)";
    else if (r->revision > d->revision)
        what = "is of a newer revision";
    else if (inst->seq == UINT32_MAX || r->seq != inst->seq + 1)
        what = "breaks the sequence";
    else if (!named_by_pointer(d, inst, r, to))
        what = check_step(d, inst, r, to);
    if (!what)
        return 1;
    dosm__error_set(error, DOSM_E_HISTORY, "record seq %u (%s --%s--> %s) %s",
              r->seq, r->from ? r->from : "?", r->event ? r->event : "?",
              r->to ? r->to : "?", what);
    return 0;
}

int dosm_replay(const dosm_def *d, const dosm_instance *start,
                const dosm_record *records, size_t count, dosm_instance *out,
                size_t *bad, dosm_error *error)
{
    dosm_instance inst;
    size_t i;
    if (!d || !out || (count && !records) ||
        (start && !instance_valid(d, start))) {
        dosm__error_set(error, DOSM_E_ARG, "dosm_replay needs a definition, "
                                     "records and a valid start");
        return DOSM_E_ARG;
    }
    inst = start ? *start : dosm_instance_initial(d);
    for (i = 0; i < count; i++) {
        int32_t to = -1;
        if (!check_record(d, &inst, &records[i], &to, error)) {
            if (bad)
                *bad = i;
            return DOSM_E_HISTORY;
        }
        inst = instance_next(&inst, to);
    }
    *out = inst;
    if (error)
        memset(error, 0, sizeof *error);
    return DOSM_OK;
}

/*
 * fuzz_fire: arbitrary sequences of events, attributes, payloads, timers
 * and restarts on the shipped workflows (states/NAME.yaml) and the test
 * suite's good definitions (test/defs/good/).
 *
 * Input: the first byte picks the workflow, the second the named guards'
 * answers; then each byte is an operation (its operands follow): fire an
 * event by index or by name (the workflow's, a known word or raw bytes),
 * try then fire, set an attribute or payload field (names the guards use,
 * a pool of edge values or raw bytes), fire a timer, restart, or change
 * the host (callbacks on or off, named guards that change their mind, the
 * clock). At most 256 operations run.
 *
 * Invariants checked after every call (abort() with a message):
 *  - the instance is valid: its state (and previous) a state index below
 *    dosm_state_count that is not a parent, busy bit clear;
 *  - DOSM_OK raises seq by exactly 1, anything else leaves the instance
 *    byte-identical; the only codes are DOSM_OK and rejections;
 *  - an accepted step's record names the workflow, revision, seq, the
 *    states before and after, the transition's event and effects and the
 *    request's time; `previous` follows the documented rule; the deadline
 *    is the new state's timeout;
 *  - callbacks: exactly one transition callback per accepted step and one
 *    reject callback per rejection (with a host), exits before the
 *    transition before the effects (in declared order) before enters, none
 *    of those for an internal step, the instance busy during callbacks and
 *    firing on it then returns DOSM_E_REENTRANT and changes nothing;
 *  - dosm_try agrees with dosm_fire (when the host's guards are stable);
 *  - dosm_replay of the records collected so far reproduces the instance,
 *    and a record with a broken seq is refused at its index;
 *  - the instance survives dosm_encode/dosm_decode.
 *
 * One documented rule the library deliberately bends is reported once on
 * stderr rather than aborting, unless DOSM_FUZZ_STRICT=1 is set: the
 * header says has_deadline is 1 "when the new state has a timeout", but an
 * internal step (to the same state) gives no deadline.
 */
#include "fuzz_common.h"

#define MAX_OPS 256
#define MAX_PAIRS 8

/* ---- what the callbacks see ---- */

typedef struct watch {
    const dosm_def *def;
    const dosm_host *host;
    dosm_instance *inst;        /* the instance being fired */
    const dosm_request *req;
    unsigned transitions, rejects, enters, exits, effects;
    int phase; /* 0 exits, 1 transition, 2 effects, 3 enters */
    dosm_record record;         /* as the transition callback saw it */
    uint32_t guard_bits;
    int fickle;                 /* named guards change their mind */
    unsigned guard_calls;
} watch;

static watch W;

static void expect_busy(const dosm_callback_info *info, const char *what)
{
    dosm_instance snap = *W.inst;
    dosm_outcome out;
    char buf[DOSM_SNAPSHOT_MAX];
    int rc;
    FUZZ_CHECK(info->def == W.def, "%s: the callback's def is another",
               what);
    FUZZ_CHECK(W.inst->state & FUZZ_BUSY, "%s: the instance is not busy "
               "during a callback", what);
    FUZZ_CHECK((W.inst->state & ~FUZZ_BUSY) == info->after->state &&
                   W.inst->previous == info->after->previous &&
                   W.inst->seq == info->after->seq,
               "%s: during a callback the instance is not `after`", what);
    rc = dosm_fire_index(W.def, W.host, W.inst, 0, W.req, &out);
    FUZZ_CHECK(rc == DOSM_E_REENTRANT, "%s: firing on the busy instance "
               "returned %s", what, dosm_code_name(rc));
    rc = dosm_restart(W.def, W.inst, 0, &out);
    FUZZ_CHECK(rc == DOSM_E_STATE || rc == DOSM_E_REENTRANT,
               "%s: restoring the busy instance returned %s", what,
               dosm_code_name(rc));
    rc = dosm_encode(W.def, W.inst, buf, sizeof buf);
    FUZZ_CHECK(rc == DOSM_E_REENTRANT, "%s: encoding the busy instance "
               "returned %s", what, dosm_code_name(rc));
    FUZZ_CHECK(memcmp(&snap, W.inst, sizeof snap) == 0,
               "%s: a refused call changed the busy instance", what);
}

static void on_exit_cb(const dosm_callback_info *info, void *user)
{
    (void)user;
    FUZZ_CHECK(W.phase == 0, "an exit callback after the transition's");
    FUZZ_CHECK(info->state && dosm_state_find(W.def, info->state) >= 0,
               "an exit callback without a state");
    W.exits++;
    expect_busy(info, "exit");
}

static void on_enter_cb(const dosm_callback_info *info, void *user)
{
    (void)user;
    FUZZ_CHECK(W.phase >= 1, "an enter callback before the transition's");
    W.phase = 3;
    FUZZ_CHECK(info->state && dosm_state_find(W.def, info->state) >= 0,
               "an enter callback without a state");
    W.enters++;
    expect_busy(info, "enter");
}

static void on_transition_cb(const dosm_callback_info *info, void *user)
{
    (void)user;
    FUZZ_CHECK(W.phase == 0, "the transition callback comes late (phase %d)",
               W.phase);
    W.phase = 1;
    W.transitions++;
    FUZZ_CHECK(info->record != NULL, "the transition callback has no record");
    FUZZ_CHECK(info->after->seq == info->before->seq + 1,
               "the transition callback sees seq %u -> %u",
               (unsigned)info->before->seq, (unsigned)info->after->seq);
    W.record = *info->record;
    expect_busy(info, "transition");
}

static void on_effect_cb(const dosm_callback_info *info, void *user)
{
    (void)user;
    FUZZ_CHECK(W.phase == 1 || W.phase == 2, "an effect callback in phase "
               "%d", W.phase);
    W.phase = 2;
    FUZZ_CHECK(info->effect && W.effects < W.record.effect_count &&
                   strcmp(info->effect, W.record.effects[W.effects]) == 0,
               "effect %u is '%s', not the record's", W.effects,
               info->effect ? info->effect : "(null)");
    W.effects++;
    expect_busy(info, "effect");
}

static void on_reject_cb(const dosm_callback_info *info, void *user)
{
    (void)user;
    W.rejects++;
    FUZZ_CHECK(info->record == NULL, "the reject callback has a record");
    FUZZ_CHECK(info->outcome && DOSM_IS_REJECTION(info->outcome->code),
               "the reject callback's outcome is not a rejection");
    FUZZ_CHECK(fuzz_same_instance(info->before, info->after),
               "the reject callback's before and after differ");
    expect_busy(info, "reject");
}

static int guard_cb(const dosm_callback_info *info, void *user)
{
    const dosm_def *def = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    unsigned bit = (unsigned)(uintptr_t)user;
    (void)req;
    FUZZ_CHECK(def == W.def, "a guard called with another definition");
    FUZZ_CHECK(!(inst->state & FUZZ_BUSY) &&
                   (int)inst->state < (int)dosm_state_count(def),
               "a guard sees instance state %u", (unsigned)inst->state);
    if (W.fickle)
        bit += W.guard_calls++;
    return (int)((W.guard_bits >> (bit & 31)) & 1);
}

static int note_internal_deadline;

/* ---- the run ---- */

typedef struct run {
    const fuzz_workflow *w;
    const dosm_def *def;
    dosm_host *host_full;
    const dosm_host *host; /* host_full or NULL */
    dosm_instance inst;
    dosm_record records[MAX_OPS];
    size_t nrec;
    dosm_pair attr[MAX_PAIRS], pay[MAX_PAIRS], looked[MAX_PAIRS];
    char attr_text[MAX_PAIRS][2][70], pay_text[MAX_PAIRS][2][70];
    char looked_text[MAX_PAIRS][2][70];
    size_t nattr, npay, nlooked;
    dosm_values attributes, payload;
    dosm_request req;
    int has_deadline;
    dosm_deadline deadline;
} run;

static const char *lookup_cb(void *user, const char *name)
{
    run *r = user;
    size_t i;
    for (i = 0; i < r->nlooked; i++)
        if (strcmp(r->looked[i].name, name) == 0)
            return r->looked[i].value;
    return NULL;
}

static void check_replay(run *r, fuzz_in *in)
{
    dosm_instance out;
    dosm_error err;
    size_t bad = 12345;
    int rc = dosm_replay(r->def, NULL, r->records, r->nrec, &out, &bad, &err);
    FUZZ_CHECK(rc == DOSM_OK, "%s: replaying %zu records: %s at %zu: %s",
               r->w->file, r->nrec, dosm_code_name(rc), bad, err.text);
    FUZZ_CHECK(fuzz_same_instance(&out, &r->inst), "%s: replaying %zu "
               "records gives {%u, %u, %u}, the instance is {%u, %u, %u}",
               r->w->file, r->nrec, (unsigned)out.state,
               (unsigned)out.previous, (unsigned)out.seq,
               (unsigned)r->inst.state, (unsigned)r->inst.previous,
               (unsigned)r->inst.seq);
    if (r->nrec && (fuzz_byte(in) & 7) == 0) {
        /* Break one record's seq: refused, at that record. */
        size_t k = fuzz_byte(in) % r->nrec;
        dosm_record saved = r->records[k];
        r->records[k].seq += 1 + (uint32_t)(fuzz_byte(in) % 3);
        rc = dosm_replay(r->def, NULL, r->records, r->nrec, &out, &bad, &err);
        FUZZ_CHECK(rc == DOSM_E_HISTORY && bad == k,
                   "%s: record %zu of %zu has a broken seq; replay says %s "
                   "at %zu", r->w->file, k, r->nrec, dosm_code_name(rc), bad);
        r->records[k] = saved;
    }
}

static void add_record(run *r, const dosm_record *rec)
{
    FUZZ_CHECK(r->nrec < MAX_OPS, "too many records");
    r->records[r->nrec++] = *rec;
}

static void check_record(run *r, const dosm_instance *before,
                         const dosm_outcome *out, const char *event)
{
    const dosm_record *rec = &out->record;
    FUZZ_CHECK(rec->workflow && strcmp(rec->workflow,
                                       dosm_def_name(r->def)) == 0 &&
                   rec->revision == dosm_def_revision(r->def),
               "%s: the record names %s@%u", r->w->file,
               rec->workflow ? rec->workflow : "(null)",
               (unsigned)rec->revision);
    FUZZ_CHECK(rec->seq == r->inst.seq, "%s: record seq %u, instance seq %u",
               r->w->file, (unsigned)rec->seq, (unsigned)r->inst.seq);
    FUZZ_CHECK(rec->from && strcmp(rec->from, dosm_state_id(r->def,
                                                            before->state)) ==
                                0,
               "%s: the record leaves %s, the instance was in %s",
               r->w->file, rec->from ? rec->from : "(null)",
               dosm_state_id(r->def, before->state));
    FUZZ_CHECK(rec->to && strcmp(rec->to, dosm_state_id(r->def,
                                                        r->inst.state)) == 0,
               "%s: the record enters %s, the instance is in %s", r->w->file,
               rec->to ? rec->to : "(null)",
               dosm_state_id(r->def, r->inst.state));
    FUZZ_CHECK(rec->event && strcmp(rec->event, event) == 0,
               "%s: the record's event is %s, not %s", r->w->file,
               rec->event ? rec->event : "(null)", event);
    FUZZ_CHECK(rec->time == r->req.now, "%s: the record's time is %lld, "
               "not %lld", r->w->file, (long long)rec->time,
               (long long)r->req.now);
    FUZZ_CHECK(rec->effect_count == 0 || rec->effects != NULL,
               "%s: effects without an array", r->w->file);
    /* previous: where the order was before it entered its state. */
    if (r->inst.state == before->state)
        FUZZ_CHECK(r->inst.previous == before->previous, "%s: an internal "
                   "step changed previous", r->w->file);
    else
        FUZZ_CHECK(r->inst.previous == before->state, "%s: previous is %u "
                   "after leaving %u", r->w->file,
                   (unsigned)r->inst.previous, (unsigned)before->state);
}

static void check_deadline(run *r, const dosm_instance *before,
                           const dosm_outcome *out)
{
    dosm_state_info info;
    FUZZ_CHECK(dosm_state_get(r->def, r->inst.state, &info) == DOSM_OK,
               "dosm_state_get");
    if (out->has_deadline) {
        FUZZ_CHECK(out->has_deadline == 1, "has_deadline is %d",
                   out->has_deadline);
        FUZZ_CHECK(info.timeout > 0, "%s: a deadline in %s, which has no "
                   "timeout", r->w->file, info.id);
        FUZZ_CHECK(out->deadline.seq == r->inst.seq &&
                       out->deadline.event &&
                       strcmp(out->deadline.event,
                              dosm_event_name(r->def, info.timeout_event)) ==
                           0 &&
                       (r->req.now > INT64_MAX - info.timeout ||
                        out->deadline.at == r->req.now + info.timeout),
                   "%s: the deadline in %s is wrong", r->w->file, info.id);
        r->has_deadline = 1;
        r->deadline = out->deadline;
    } else if (info.timeout > 0) {
        if (before->state != r->inst.state)
            FUZZ_FAIL("%s: entering %s (timeout %llds) gives no deadline",
                      r->w->file, info.id, (long long)info.timeout);
        {
            char text[300];
            snprintf(text, sizeof text,
                     "%s: an internal step in %s (which has a timeout) "
                     "gives no deadline, though has_deadline is documented "
                     "as 1 when the new state has a timeout; the timer "
                     "scheduled before is stale after it (seq moved), so "
                     "%s's timeout event can no longer fire",
                     r->w->file, info.id, info.id);
            fuzz_note(&note_internal_deadline, text);
        }
    }
}

/* Checks the outcome of a dosm_fire/dosm_fire_index of `event` (an index,
 * or -1 when the name is unknown). */
static void check_fire(run *r, const dosm_instance *before, int rc,
                       const dosm_outcome *out, int event)
{
    const dosm_def *def = r->def;
    FUZZ_CHECK_INSTANCE(def, &r->inst, "after firing");
    FUZZ_CHECK(out->code == rc, "%s: fire returned %s, outcome says %s",
               r->w->file, dosm_code_name(rc), dosm_code_name(out->code));
    FUZZ_CHECK(W.phase == 0 || r->host, "callbacks without a host");
    if (rc == DOSM_OK) {
        dosm_transition_info ti;
        FUZZ_CHECK(r->inst.seq == before->seq + 1, "%s: seq %u -> %u on "
                   "DOSM_OK", r->w->file, (unsigned)before->seq,
                   (unsigned)r->inst.seq);
        FUZZ_CHECK(event >= 0 && event < (int)dosm_event_count(def),
                   "%s: an unknown event (%d) was accepted", r->w->file,
                   event);
        FUZZ_CHECK(out->transition >= 0 &&
                       dosm_transition_get(def, out->transition, &ti) ==
                           DOSM_OK,
                   "%s: accepted through transition %d", r->w->file,
                   out->transition);
        FUZZ_CHECK(ti.event == event, "%s: %s took transition %d of event "
                   "%s", r->w->file, dosm_event_name(def, event),
                   out->transition, dosm_event_name(def, ti.event));
        FUZZ_CHECK(ti.target == (int)r->inst.state ||
                       (ti.target == -1 &&
                        r->inst.state == before->previous),
                   "%s: transition %d leads to %d, the instance went to %u",
                   r->w->file, out->transition, ti.target,
                   (unsigned)r->inst.state);
        FUZZ_CHECK(out->record.effect_count == ti.effect_count,
                   "%s: the record has %zu effects, the transition %zu",
                   r->w->file, out->record.effect_count, ti.effect_count);
        check_record(r, before, out, dosm_event_name(def, event));
        check_deadline(r, before, out);
        if (r->host) {
            FUZZ_CHECK(W.transitions == 1 && W.rejects == 0,
                       "%s: %u transition and %u reject callbacks for an "
                       "accepted step", r->w->file, W.transitions,
                       W.rejects);
            FUZZ_CHECK(W.effects == ti.effect_count, "%s: %u of %zu effects "
                       "dispatched", r->w->file, W.effects, ti.effect_count);
            FUZZ_CHECK(W.record.seq == out->record.seq && W.record.to &&
                           strcmp(W.record.to, out->record.to) == 0,
                       "%s: the callback's record is not the outcome's",
                       r->w->file);
            if (before->state == r->inst.state)
                FUZZ_CHECK(W.enters == 0 && W.exits == 0, "%s: an internal "
                           "step exits %u and enters %u states", r->w->file,
                           W.exits, W.enters);
            else
                FUZZ_CHECK(W.enters >= 1 && W.exits >= 1, "%s: a step "
                           "exits %u and enters %u states", r->w->file,
                           W.exits, W.enters);
        }
        add_record(r, &out->record);
    } else {
        FUZZ_CHECK(DOSM_IS_REJECTION(rc) && rc != DOSM_R_NO_PATH,
                   "%s: firing returned %s", r->w->file, dosm_code_name(rc));
        FUZZ_CHECK(memcmp(&r->inst, before, sizeof *before) == 0,
                   "%s: a rejection (%s) changed the instance", r->w->file,
                   dosm_code_name(rc));
        FUZZ_CHECK(out->text[0] != '\0', "%s: %s without a sentence",
                   r->w->file, dosm_code_name(rc));
        if (rc == DOSM_R_NO_HISTORY || rc == DOSM_R_PAYLOAD ||
            rc == DOSM_R_SEQ_LIMIT) {
            /* refused after the choice: the transition it would take */
            dosm_transition_info ti;
            FUZZ_CHECK(dosm_transition_get(def, out->transition, &ti) ==
                               DOSM_OK &&
                           ti.event == event,
                       "%s: %s names transition %d, not one of the event's",
                       r->w->file, dosm_code_name(rc), out->transition);
        } else {
            FUZZ_CHECK(out->transition == -1, "%s: a rejection (%s) names "
                       "transition %d", r->w->file, dosm_code_name(rc),
                       out->transition);
        }
        if (event < 0 || event >= (int)dosm_event_count(def))
            FUZZ_CHECK(rc == DOSM_R_UNKNOWN_EVENT, "%s: an unknown event "
                       "gives %s", r->w->file, dosm_code_name(rc));
        if (r->host)
            FUZZ_CHECK(W.rejects == 1 && W.transitions == 0 &&
                           W.enters == 0 && W.exits == 0 && W.effects == 0,
                       "%s: a rejection ran %u reject, %u transition "
                       "callbacks", r->w->file, W.rejects, W.transitions);
    }
}

static void watch_reset(run *r)
{
    W.def = r->def;
    W.host = r->host;
    W.inst = &r->inst;
    W.req = &r->req;
    W.transitions = W.rejects = W.enters = W.exits = W.effects = 0;
    W.phase = 0;
    memset(&W.record, 0, sizeof W.record);
}

/* An event name: the workflow's, another word or raw bytes. */
static const char *pick_event_name(run *r, fuzz_in *in, char *raw,
                                   size_t cap)
{
    unsigned c = fuzz_byte(in);
    int n = (int)dosm_event_count(r->def);
    if (c < 224 && n > 0)
        return dosm_event_name(r->def, (int)(c % (unsigned)n));
    if (c < 232)
        return DOSM_EVENT_RESTART;
    if (c < 240)
        return "";
    fuzz_text(in, raw, cap);
    return raw;
}

static void set_pair(dosm_pair *pairs, char text[][2][70], size_t *count,
                     const char *const *names, size_t nnames, fuzz_in *in)
{
    unsigned slot = fuzz_byte(in) % MAX_PAIRS, c;
    if (slot >= *count) {
        slot = (unsigned)*count;
        if (*count == MAX_PAIRS)
            return;
    }
    c = fuzz_byte(in);
    if (nnames && c < 200)
        snprintf(text[slot][0], 70, "%s", names[c % nnames]);
    else if (c < 240)
        snprintf(text[slot][0], 70, "%s",
                 fuzz_fields[c % FUZZ_COUNT(fuzz_fields)]);
    else
        fuzz_text(in, text[slot][0], 70);
    c = fuzz_byte(in);
    if (c < 232)
        snprintf(text[slot][1], 70, "%s",
                 fuzz_values[c % FUZZ_COUNT(fuzz_values)]);
    else
        fuzz_text(in, text[slot][1], 70);
    pairs[slot].name = text[slot][0];
    pairs[slot].value = text[slot][1];
    if (slot == *count)
        (*count)++;
}

static const int64_t clock_pool[] = {
    0, 1, 1767225600, -1, 86400 * 365, INT64_C(4102444800),
    INT64_MAX - 86400 * 30, INT64_MAX, INT64_MIN,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_workflows();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static run r;
    fuzz_in in = {data, size};
    size_t i, op;

    memset(&r, 0, sizeof r);
    r.w = &fuzz_workflows[fuzz_byte(&in) % fuzz_workflow_count];
    r.def = r.w->def;
    r.host_full = dosm_host_new(r.def, NULL);
    FUZZ_CHECK(r.host_full != NULL, "dosm_host_new failed");
    dosm_host_on(r.host_full, DOSM_ON_ENTER, on_enter_cb, NULL);
    dosm_host_on(r.host_full, DOSM_ON_EXIT, on_exit_cb, NULL);
    dosm_host_on(r.host_full, DOSM_ON_TRANSITION, on_transition_cb, NULL);
    dosm_host_on(r.host_full, DOSM_ON_REJECT, on_reject_cb, NULL);
    for (i = 0; i < r.w->effect_count; i++)
        FUZZ_CHECK(dosm_host_bind_effect(r.host_full, r.w->effects[i],
                                       on_effect_cb, NULL) == DOSM_OK,
                   "cannot bind effect %s", r.w->effects[i]);
    for (i = 0; i < r.w->guard_count; i++)
        FUZZ_CHECK(dosm_host_bind_guard(r.host_full, r.w->guards[i], guard_cb,
                                   (void *)(uintptr_t)i) == DOSM_OK,
                   "cannot bind guard %s", r.w->guards[i]);
    r.host = r.host_full;
    W.guard_bits = fuzz_byte(&in) * 0x01010101u;
    W.fickle = 0;
    W.guard_calls = 0;
    r.inst = dosm_instance_initial(r.def);
    r.attributes.pairs = r.attr;
    r.payload.pairs = r.pay;
    r.req.attributes = &r.attributes;
    r.req.payload = &r.payload;

    for (op = 0; op < MAX_OPS && in.n; op++) {
        dosm_instance before = r.inst;
        dosm_outcome out, tried;
        char raw[70];
        const char *name;
        unsigned c = fuzz_byte(&in);
        int rc, ev;

        r.attributes.count = r.nattr;
        r.payload.count = r.npay;
        watch_reset(&r);
        memset(&out, 0x5A, sizeof out);
        switch (c % 12) {
        case 0: case 1: case 2: /* by index, out of range included */
            ev = (int)(fuzz_byte(&in) %
                       (unsigned)((int)dosm_event_count(r.def) + 2)) - 1;
            r.req.event = NULL;
            rc = dosm_fire_index(r.def, r.host, &r.inst, ev, &r.req, &out);
            check_fire(&r, &before, rc, &out, ev);
            break;
        case 3: case 4: /* by name */
            name = pick_event_name(&r, &in, raw, sizeof raw);
            r.req.event = name;
            ev = dosm_event_find(r.def, name);
            rc = dosm_fire(r.def, r.host, &r.inst, &r.req, &out);
            check_fire(&r, &before, rc, &out, ev);
            break;
        case 5: { /* try, then fire the same */
            int rt;
            unsigned calls;
            name = pick_event_name(&r, &in, raw, sizeof raw);
            r.req.event = name;
            ev = dosm_event_find(r.def, name);
            rt = dosm_try(r.def, r.host, &r.inst, &r.req, &tried);
            FUZZ_CHECK(memcmp(&r.inst, &before, sizeof before) == 0 &&
                           W.transitions + W.rejects + W.enters + W.exits +
                                   W.effects ==
                               0,
                       "%s: dosm_try changed the instance or ran callbacks",
                       r.w->file);
            calls = W.guard_calls;
            rc = dosm_fire(r.def, r.host, &r.inst, &r.req, &out);
            check_fire(&r, &before, rc, &out, ev);
            if (!W.fickle || calls == W.guard_calls) {
                FUZZ_CHECK(rt == rc, "%s: dosm_try says %s, dosm_fire %s",
                           r.w->file, dosm_code_name(rt),
                           dosm_code_name(rc));
                if (rc == DOSM_OK)
                    FUZZ_CHECK(tried.transition == out.transition &&
                                   strcmp(tried.record.to, out.record.to) ==
                                       0 &&
                                   tried.record.seq == out.record.seq,
                               "%s: dosm_try and dosm_fire take different "
                               "transitions", r.w->file);
            }
            break;
        }
        case 6: case 7: /* an attribute, or a value the lookup gives */
            if (fuzz_byte(&in) & 1)
                set_pair(r.attr, r.attr_text, &r.nattr, r.w->attributes,
                         r.w->attribute_count, &in);
            else
                set_pair(r.looked, r.looked_text, &r.nlooked,
                         r.w->attributes, r.w->attribute_count, &in);
            break;
        case 8: /* a payload field, or none */
            if (fuzz_byte(&in) < 40)
                r.npay = 0;
            else
                set_pair(r.pay, r.pay_text, &r.npay, NULL, 0, &in);
            break;
        case 9: { /* a timer: the last deadline's, or a made-up one */
            unsigned how = fuzz_byte(&in);
            r.req.timer = 1;
            if (r.has_deadline && how < 160) {
                r.req.event = r.deadline.event;
                r.req.timer_seq = r.deadline.seq;
            } else {
                r.req.event = pick_event_name(&r, &in, raw, sizeof raw);
                r.req.timer_seq = how & 1 ? r.inst.seq : fuzz_u32(&in);
            }
            ev = dosm_event_find(r.def, r.req.event);
            rc = dosm_fire(r.def, r.host, &r.inst, &r.req, &out);
            check_fire(&r, &before, rc, &out, ev);
            if (rc == DOSM_OK) {
                dosm_state_info from;
                dosm_state_get(r.def, before.state, &from);
                FUZZ_CHECK(r.req.timer_seq == before.seq &&
                               from.timeout_event == ev,
                           "%s: a timer for %s at seq %u was accepted in %s "
                           "at seq %u", r.w->file, r.req.event,
                           (unsigned)r.req.timer_seq, from.id,
                           (unsigned)before.seq);
            } else if (rc != DOSM_R_STALE && rc != DOSM_R_UNKNOWN_EVENT) {
                dosm_state_info from;
                dosm_state_get(r.def, before.state, &from);
                FUZZ_CHECK(r.req.timer_seq == before.seq &&
                               from.timeout_event == ev,
                           "%s: a stale timer was rejected with %s",
                           r.w->file, dosm_code_name(rc));
            }
            r.req.timer = 0;
            r.req.timer_seq = 0;
            break;
        }
        case 10: { /* restart */
            dosm_state_info from;
            dosm_state_get(r.def, before.state, &from);
            rc = dosm_restart(r.def, &r.inst, r.req.now, &out);
            FUZZ_CHECK_INSTANCE(r.def, &r.inst, "after a restart");
            if (from.fallback >= 0) {
                FUZZ_CHECK(rc == DOSM_OK && r.inst.state == from.fallback &&
                               r.inst.seq == before.seq + 1,
                           "%s: restarting in transient %s: %s",
                           r.w->file, from.id, dosm_code_name(rc));
                check_record(&r, &before, &out, DOSM_EVENT_RESTART);
                FUZZ_CHECK(out.transition == -1, "a restart names "
                           "transition %d", out.transition);
                check_deadline(&r, &before, &out);
                add_record(&r, &out.record);
            } else {
                FUZZ_CHECK(rc == DOSM_R_NOT_ALLOWED &&
                               memcmp(&r.inst, &before, sizeof before) == 0,
                           "%s: restarting in %s: %s", r.w->file, from.id,
                           dosm_code_name(rc));
            }
            FUZZ_CHECK(W.transitions + W.rejects == 0, "a restart ran "
                       "callbacks");
            break;
        }
        default: { /* the host and the clock */
            unsigned what = fuzz_byte(&in);
            switch (what % 5) {
            case 0:
                r.host = r.host ? NULL : r.host_full;
                break;
            case 1:
                W.fickle = !W.fickle;
                break;
            case 2:
                W.guard_bits = fuzz_u32(&in);
                break;
            case 3:
                r.req.now = clock_pool[fuzz_byte(&in) %
                                       FUZZ_COUNT(clock_pool)];
                break;
            default: { /* the clock moves on, up to INT64_MAX */
                int64_t step = (int64_t)fuzz_u16(&in);
                r.req.now = r.req.now > INT64_MAX - step ? INT64_MAX
                                                         : r.req.now + step;
                break;
            }
            }
            r.attributes.lookup = what & 8 ? lookup_cb : NULL;
            r.attributes.lookup_user = &r;
            break;
        }
        }
        if (r.nrec && r.records[r.nrec - 1].seq == r.inst.seq &&
            before.seq != r.inst.seq)
            check_replay(&r, &in);
        fuzz_check_snapshot(r.def, &r.inst, "after an operation");
    }
    dosm_host_free(r.host_full);
    return 0;
}

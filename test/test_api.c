/* Issue 17, "an API that never misleads": outcomes filled on every
 * return, one order of reasons, choices with sentences, timers, the busy
 * bit, the NULL policy, introspection, path ties and replayed effects.
 * Each test fails on the library before its change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

static const char api_yaml[] =
    "dosm: 1\nname: api\ntitle: API\nrevision: 2\ninitial: NEW\n"
    "attributes:\n"
    "  units: { type: integer, description: Units in the case }\n"
    "  tier: { type: enum, values: [basic, premium] }\n"
    "guards:\n  approved: The host has an approval on file.\n"
    "effects:\n  notify: Tell the clinic.\n  bill: Send the invoice.\n"
    "states:\n"
    "  NEW: { label: New, timeout: { after: 1h, event: expire } }\n"
    "  WORK: { label: Work }\n"
    "  HOLD: { label: On hold }\n"
    "  ALT: { label: Alt }\n"
    "  DONE: { label: Done, final: true }\n"
    "  GONE: { label: Gone, final: true }\n"
    "events:\n"
    "  zeta: { label: Zeta step }\n" /* listed before alpha */
    "  alpha:\n"
    "  expire:\n"
    "  ship: { label: Mark as shipped, description: The case leaves., "
    "payload: { tracking: { type: string }, weight: { type: integer, "
    "required: false } } }\n"
    "  hold:\n  back:\n  check:\n  sign:\n"
    "transitions:\n"
    "  - { event: alpha, from: NEW, to: WORK, effects: [notify] }\n"  /* 0 */
    "  - { event: zeta, from: NEW, to: WORK, effects: [bill] }\n"     /* 1 */
    "  - { event: expire, from: NEW, to: GONE }\n"                    /* 2 */
    "  - { event: ship, from: WORK, to: DONE, guard: \"units > 2\" }\n" /* 3 */
    "  - { event: hold, from: [NEW, WORK], to: HOLD }\n"              /* 4 */
    "  - { event: back, from: HOLD, to: previous }\n"                 /* 5 */
    "  - { event: check, from: WORK, to: ALT, guard: \"tier == premium\" }\n"
    "  - { event: check, from: WORK, to: HOLD, guard: \"not (units > 5)\" }\n"
    "  - { event: alpha, from: ALT, to: WORK }\n"                     /* 8 */
    "  - { event: sign, from: ALT, to: DONE, guard: approved }\n";    /* 9 */

static dosm_def *def;

static int setup(void **state)
{
    (void)state;
    def = load_text(api_yaml);
    return def ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dosm_def_free(def);
    return 0;
}

static int S(const char *id)
{
    return dosm_state_find(def, id);
}

static dosm_instance at(const char *id, const char *previous, uint32_t seq)
{
    dosm_instance inst;
    inst.state = (uint16_t)S(id);
    inst.previous = previous ? (int16_t)S(previous) : DOSM_NO_STATE;
    inst.seq = seq;
    return inst;
}

static const dosm_pair attrs_units1[] = {{"units", "1"}, {"tier", "premium"}};
static const dosm_pair attrs_units3[] = {{"units", "3"}, {"tier", "basic"}};
static const dosm_values units1 = {attrs_units1, 2, NULL, NULL};
static const dosm_values units3 = {attrs_units3, 2, NULL, NULL};

static dosm_request request(const char *event, const dosm_values *attributes,
                            const dosm_values *payload)
{
    dosm_request r;
    memset(&r, 0, sizeof r);
    r.event = event;
    r.attributes = attributes;
    r.payload = payload;
    r.now = 1000;
    return r;
}

static int code_of(const char *event, dosm_instance inst,
                   const dosm_values *attributes, const dosm_values *payload,
                   dosm_outcome *out)
{
    dosm_request r = request(event, attributes, payload);
    return dosm_try(def, NULL, &inst, &r, out);
}

/* ---- item 1: every outcome filled ---- */

static void test_reconcile_in_place_fills_the_outcome(void **state)
{
    dosm_instance inst = at("NEW", NULL, 0);
    dosm_request r = request("alpha", NULL, NULL);
    dosm_outcome out;
    (void)state;
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_OK);
    assert_string_equal(out.record.to, "WORK"); /* out holds a step */
    assert_int_equal(dosm_reconcile(def, NULL, &inst, "WORK", NULL, &out),
                     DOSM_OK);
    assert_null(out.record.workflow);
    assert_null(out.record.to);
    assert_int_equal(out.record.effect_count, 0);
    assert_int_equal(out.transition, -1);
    assert_int_equal(out.has_deadline, 0);
    assert_null(out.deadline.event);
    assert_int_equal(out.other_paths, 0);
    assert_string_equal(out.text, "");
    memset(&out, 0x55, sizeof out);
    assert_int_equal(dosm_reconcile_external(def, NULL, &inst, "fhir", "x",
                                             NULL, &out),
                     DOSM_E_NAME);
    assert_null(out.record.workflow);
    assert_int_equal(out.has_deadline, 0);
}

/* ---- item 2: a sentence for every code ---- */

static void test_call_errors_have_sentences(void **state)
{
    dosm_instance inst = at("NEW", NULL, 0), busy = inst, bad = inst;
    dosm_request r = request("alpha", NULL, NULL);
    dosm_outcome out;
    dosm_step steps[4];
    size_t n;
    (void)state;
    busy.state |= 0x8000u;
    bad.state = 999;
    assert_int_equal(dosm_fire(def, NULL, &busy, &r, &out), DOSM_E_REENTRANT);
    assert_string_equal(out.text, "the order is busy: its callbacks or named "
                                  "guards are running, and they may not "
                                  "fire on it or move it");
    assert_int_equal(dosm_try(def, NULL, &bad, &r, &out), DOSM_E_STATE);
    assert_string_equal(out.text, "the instance (state 999, previous -1) is "
                                  "not one workflow api can hold: its states "
                                  "must be states of the workflow that are "
                                  "not parents");
    assert_int_equal(dosm_fire(def, NULL, NULL, &r, &out), DOSM_E_ARG);
    assert_string_equal(out.text, "no instance was given");
    assert_int_equal(dosm_fire(NULL, NULL, &inst, &r, &out), DOSM_E_ARG);
    assert_string_equal(out.text, "no definition was given");
    assert_int_equal(dosm_fire_index(def, NULL, &inst, 0, NULL, &out),
                     DOSM_E_ARG);
    assert_string_equal(out.text, "no request was given");
    assert_int_equal(dosm_restart(def, &bad, 0, &out), DOSM_E_STATE);
    assert_true(out.text[0] != '\0');
    r = request(NULL, &units1, NULL);
    assert_int_equal(dosm_path(def, NULL, &inst, S("ALT"), &r, steps, 1, &n,
                               &out),
                     DOSM_E_BUFFER);
    assert_string_equal(out.text, "the path has 2 steps, more than the room "
                                  "given for 1");
    assert_int_equal(dosm_path(def, NULL, &inst, 77, NULL, steps, 4, &n, &out),
                     DOSM_E_ARG);
    assert_string_equal(out.text, "the target is not a state of workflow api "
                                  "an order can be in");
    assert_int_equal(dosm_path(def, NULL, &inst, S("DONE"), NULL, steps, 4,
                               NULL, &out),
                     DOSM_E_ARG);
    assert_string_equal(out.text, "no length was given");
    assert_int_equal(dosm_reconcile(def, NULL, &busy, "WORK", NULL, &out),
                     DOSM_E_REENTRANT);
    assert_true(out.text[0] != '\0');
}

/* ---- item 3: one order of reasons ---- */

static void test_reasons_come_in_one_order(void **state)
{
    static const dosm_pair bad_pairs[] = {{"colour", "red"}};
    static const dosm_pair good_pairs[] = {{"tracking", "1Z"}};
    const dosm_values bad_payload = {bad_pairs, 1, NULL, NULL};
    const dosm_values payload = {good_pairs, 1, NULL, NULL};
    dosm_request r;
    dosm_outcome out;
    dosm_instance inst;
    (void)state;
    /* final before the payload */
    assert_int_equal(code_of("ship", at("DONE", "WORK", 3), NULL, NULL, &out),
                     DOSM_R_FINAL);
    assert_string_equal(out.text, "ship is not allowed in DONE: DONE is final");
    /* not allowed before the payload */
    assert_int_equal(code_of("ship", at("NEW", NULL, 0), NULL, &bad_payload,
                             &out),
                     DOSM_R_NOT_ALLOWED);
    assert_string_equal(out.text,
                        "ship is not allowed in NEW: ship applies only in WORK");
    /* the guard before the payload */
    assert_int_equal(code_of("ship", at("WORK", "NEW", 1), &units1, NULL, &out),
                     DOSM_R_GUARD);
    assert_string_equal(out.text, "ship in WORK needs units > 2");
    /* then the payload */
    assert_int_equal(code_of("ship", at("WORK", "NEW", 1), &units3, NULL, &out),
                     DOSM_R_PAYLOAD);
    assert_string_equal(out.text, "ship needs the payload field tracking");
    /* the seq limit last */
    assert_int_equal(code_of("ship", at("WORK", "NEW", UINT32_MAX), &units3,
                             &bad_payload, &out),
                     DOSM_R_PAYLOAD);
    assert_int_equal(code_of("ship", at("WORK", "NEW", UINT32_MAX), &units3,
                             &payload, &out),
                     DOSM_R_SEQ_LIMIT);
    assert_string_equal(out.text, "ship in WORK would be step 4294967295 of "
                                  "the order, one more than its seq can "
                                  "count: start a new order");
    /* a stale timer is stale wherever the order is, a final state too */
    inst = at("DONE", "WORK", 3);
    r = request("expire", NULL, NULL);
    r.timer = 1;
    r.timer_seq = 0;
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_R_STALE);
    /* fire and try agree */
    inst = at("DONE", "WORK", 3);
    r = request("ship", NULL, NULL);
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_R_FINAL);
}

/* ---- item 4: choices with their sentences ---- */

static void test_choices_explain_themselves(void **state)
{
    dosm_instance inst = at("WORK", "NEW", 1);
    dosm_request r = request(NULL, &units1, NULL);
    dosm_choice c[8];
    size_t n, i;
    (void)state;
    n = dosm_choices(def, NULL, &inst, &r, c, 8);
    /* WORK: ship (guard fails), hold, check x2 (premium taken, the other
     * holds too: shadowed), in event order */
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
        dosm_outcome out;
        dosm_request t = request(dosm_event_name(def, c[i].event), &units1,
                                 NULL);
        int code = dosm_try(def, NULL, &inst, &t, &out);
        if (c[i].code == DOSM_OK || c[i].code == DOSM_R_SHADOWED)
            assert_int_equal(code, DOSM_OK);
        else {
            assert_int_equal(code, c[i].code); /* the same sentence */
            assert_string_equal(out.text, c[i].text);
        }
    }
    assert_string_equal(dosm_event_name(def, c[0].event), "ship");
    assert_int_equal(c[0].code, DOSM_R_GUARD);
    assert_string_equal(c[0].text, "ship in WORK needs units > 2");
    assert_string_equal(dosm_event_name(def, c[1].event), "hold");
    assert_int_equal(c[1].code, DOSM_OK);
    assert_string_equal(c[1].text, "");
    assert_int_equal(c[2].code, DOSM_OK);
    assert_int_equal(c[2].target, S("ALT"));
    assert_int_equal(c[3].code, DOSM_R_SHADOWED);
    assert_string_equal(c[3].text,
                        "check in WORK takes the transition on line 37 first");
    /* a `to: previous` without a previous state */
    inst = at("HOLD", NULL, 1);
    assert_int_equal(dosm_choices(def, NULL, &inst, NULL, c, 8), 1);
    assert_int_equal(c[0].code, DOSM_R_NO_HISTORY);
    assert_int_equal(c[0].target, DOSM_NO_STATE);
    assert_string_equal(c[0].text, "back in HOLD returns to the previous "
                                   "state, but the order has none");
    /* a missing attribute, by its own guard's reads */
    inst = at("WORK", "NEW", 1);
    assert_int_equal(dosm_choices(def, NULL, &inst, NULL, c, 8), 4);
    assert_int_equal(c[0].code, DOSM_R_MISSING_ATTR);
    assert_string_equal(c[0].text, "ship in WORK needs the attribute units, "
                                   "which the order does not have");
    assert_int_equal(c[1].code, DOSM_OK);
    assert_int_equal(c[2].code, DOSM_R_MISSING_ATTR);
    assert_int_equal(c[3].code, DOSM_R_MISSING_ATTR);
}

/* ---- item 5: stale timers say what is wrong ---- */

static void test_stale_timers_say_why(void **state)
{
    dosm_instance inst;
    dosm_request r = request("expire", NULL, NULL);
    dosm_outcome out;
    (void)state;
    r.timer = 1;
    inst = at("HOLD", "NEW", 3);
    r.timer_seq = 3;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_R_STALE);
    assert_string_equal(out.text, "the timer expire is stale: the order is in "
                                  "HOLD, which has no timeout");
    inst = at("NEW", "HOLD", 5);
    r.timer_seq = 3;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_R_STALE);
    assert_string_equal(out.text, "the timer expire is stale: it was set at "
                                  "seq 3, and the order has moved on to seq 5 "
                                  "(in NEW)");
    r.timer_seq = 9;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_R_STALE);
    assert_string_equal(out.text, "the timer expire is stale: it was set at "
                                  "seq 9, ahead of the order's seq 5, so it "
                                  "was set for another order");
    r.timer_seq = 5;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_OK);
}

/* ---- item 6: rollup is order-free ---- */

static void test_rollup_is_order_free(void **state)
{
    /* HOLD and WORK are both one step from NEW; HOLD is written later */
    dosm_instance a[2], b[2];
    (void)state;
    a[0] = at("WORK", "NEW", 1);
    a[1] = at("HOLD", "NEW", 1);
    b[0] = a[1];
    b[1] = a[0];
    assert_int_equal(dosm_rollup(def, a, 2), S("WORK"));
    assert_int_equal(dosm_rollup(def, b, 2), S("WORK"));
}

/* ---- item 7: ties by transition document order ---- */

static int effect_calls;
static const char *effect_seen;

static void on_effect(const dosm_callback_info *info, void *user)
{
    (void)user;
    effect_calls++;
    effect_seen = info->effect;
}

static void test_ties_go_to_the_transition_written_first(void **state)
{
    dosm_instance inst = at("NEW", NULL, 0);
    dosm_step steps[4];
    dosm_outcome out;
    dosm_host *h = dosm_host_new(def, NULL);
    size_t n;
    (void)state;
    assert_non_null(h);
    /* zeta is listed first under events:, alpha's transition first */
    assert_int_equal(dosm_path(def, NULL, &inst, S("WORK"), NULL, steps, 4, &n,
                               &out),
                     DOSM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(steps[0].transition, 0);
    assert_string_equal(dosm_event_name(def, steps[0].event), "alpha");
    assert_int_equal(out.other_paths, 1);
    /* no room: the length and the tie are told all the same */
    assert_int_equal(dosm_path(def, NULL, &inst, S("WORK"), NULL, NULL, 0, &n,
                               &out),
                     DOSM_E_BUFFER);
    assert_int_equal(n, 1);
    assert_int_equal(out.other_paths, 1);
    assert_string_equal(out.text,
                        "the path has 1 step, more than the room given for 0");
    assert_int_equal(dosm_path(def, NULL, &inst, S("HOLD"), NULL, steps, 4, &n,
                               &out),
                     DOSM_OK);
    assert_int_equal(out.other_paths, 0);
    assert_int_equal(dosm_host_bind_effect(h, "notify", on_effect, NULL),
                     DOSM_OK);
    assert_int_equal(dosm_host_bind_effect(h, "bill", on_effect, NULL),
                     DOSM_OK);
    assert_int_equal(dosm_reconcile(def, h, &inst, "WORK", NULL, &out),
                     DOSM_OK);
    assert_int_equal(effect_calls, 1);
    assert_string_equal(effect_seen, "notify");
    assert_int_equal(out.other_paths, 1);
    assert_string_equal(out.record.event, "alpha");
    dosm_host_free(h);
}

/* ---- item 9: deadlines from a stored time ---- */

static void test_deadline_from_the_stored_time(void **state)
{
    dosm_instance inst = dosm_instance_initial(def), back;
    dosm_deadline dl;
    char text[DOSM_SNAPSHOT_MAX];
    (void)state;
    /* the initial state's timeout, from the order's creation */
    assert_int_equal(dosm_deadline_get(def, &inst, 5000, &dl), DOSM_OK);
    assert_int_equal(dl.at, 5000 + 3600);
    assert_string_equal(dl.event, "expire");
    assert_int_equal(dl.seq, 0);
    /* after a round trip through a snapshot */
    inst.seq = 4;
    assert_int_equal(dosm_encode(def, &inst, text, sizeof text), DOSM_OK);
    assert_int_equal(dosm_decode(def, text, &back, NULL), DOSM_OK);
    assert_int_equal(dosm_deadline_get(def, &back, 7000, &dl), DOSM_OK);
    assert_int_equal(dl.at, 7000 + 3600);
    assert_int_equal(dl.seq, 4);
    /* the busy bit is accepted */
    back.state |= 0x8000u;
    assert_int_equal(dosm_deadline_get(def, &back, 7000, &dl), DOSM_OK);
    assert_int_equal(dl.seq, 4);
    /* no timeout: all zero */
    inst = at("WORK", "NEW", 1);
    assert_int_equal(dosm_deadline_get(def, &inst, 7000, &dl), DOSM_OK);
    assert_null(dl.event);
    assert_int_equal(dl.at, 0);
    assert_int_equal(dl.seq, 0);
    inst.state = 999;
    assert_int_equal(dosm_deadline_get(def, &inst, 7000, &dl), DOSM_E_STATE);
    assert_null(dl.event);
    assert_int_equal(dosm_deadline_get(def, &inst, 7000, NULL), DOSM_E_ARG);
}

/* ---- item 10: callbacks read the busy order and the request ---- */

typedef struct seen {
    dosm_instance *order;
    const char *state_of_order, *tracking;
    int request_set;
} seen;

static const char *payload_value(const dosm_request *r, const char *name)
{
    size_t i;
    for (i = 0; r->payload && i < r->payload->count; i++)
        if (strcmp(r->payload->pairs[i].name, name) == 0)
            return r->payload->pairs[i].value;
    return NULL;
}

static void on_transition(const dosm_callback_info *info, void *user)
{
    seen *s = user;
    dosm_state_info si;
    s->state_of_order = dosm_state_id(info->def, s->order->state);
    assert_int_equal(dosm_state_get(info->def, s->order->state, &si), DOSM_OK);
    /* the other readings of the busy order, too */
    assert_int_equal(dosm_sort_key(info->def, s->order),
                     dosm_sort_key(info->def, info->after));
    assert_int_equal(dosm_rollup(info->def, s->order, 1),
                     (int)info->after->state);
    assert_true((info->after->state & 0x8000u) == 0);
    s->request_set = info->request != NULL;
    s->tracking = payload_value(info->request, "tracking");
}

static void test_callbacks_read_the_busy_order(void **state)
{
    static const dosm_pair pairs[] = {{"tracking", "1Z99"}};
    const dosm_values payload = {pairs, 1, NULL, NULL};
    dosm_instance inst = at("WORK", "NEW", 1);
    dosm_request r = request("ship", &units3, &payload);
    dosm_host *h = dosm_host_new(def, NULL);
    seen s;
    (void)state;
    memset(&s, 0, sizeof s);
    s.order = &inst;
    assert_int_equal(dosm_host_on(h, DOSM_ON_TRANSITION, on_transition, &s),
                     DOSM_OK);
    assert_int_equal(dosm_fire(def, h, &inst, &r, NULL), DOSM_OK);
    assert_string_equal(s.state_of_order, "DONE"); /* busy bit accepted */
    assert_int_equal(s.request_set, 1);
    assert_string_equal(s.tracking, "1Z99");
    /* restart and a request-less reconcile still give a request */
    inst = at("NEW", NULL, 0);
    s.request_set = 0;
    assert_int_equal(dosm_reconcile(def, h, &inst, "HOLD", NULL, NULL),
                     DOSM_OK);
    assert_int_equal(s.request_set, 1);
    assert_null(s.tracking);
    dosm_host_free(h);
}

static int approved_calls;
static int approved(const dosm_callback_info *info, void *user)
{
    (void)user;
    approved_calls++;
    assert_string_equal(info->guard, "approved");
    assert_string_equal(info->event, "sign");
    assert_int_equal(info->transition, 9);
    assert_non_null(info->request);
    assert_null(info->record);
    return 1;
}

static void test_guards_learn_what_callbacks_learn(void **state)
{
    dosm_instance inst = at("ALT", "WORK", 2);
    dosm_request r = request("sign", NULL, NULL);
    dosm_host *h = dosm_host_new(def, NULL);
    (void)state;
    assert_int_equal(dosm_host_bind_guard(h, "approved", approved, NULL),
                     DOSM_OK);
    assert_int_equal(dosm_fire(def, h, &inst, &r, NULL), DOSM_OK);
    assert_int_equal(approved_calls, 1);
    assert_int_equal(inst.state, S("DONE"));
    dosm_host_free(h);
}

/* ---- item 11: one NULL policy, every public function ---- */

static void test_every_function_takes_null(void **state)
{
    dosm_instance inst = at("NEW", NULL, 0);
    dosm_request r = request("alpha", NULL, NULL);
    dosm_outcome out;
    dosm_error err;
    dosm_def *d;
    dosm_state_info si;
    dosm_transition_info ti;
    dosm_vocab_info vi;
    dosm_field_info fi;
    dosm_name_info ni;
    dosm_event_info ei;
    dosm_deadline dl;
    dosm_step st[2];
    dosm_record rec;
    size_t n, bad;
    char buf[DOSM_SNAPSHOT_MAX];
    int ix[2];
    const char *names[2];
    dosm_instance none = dosm_instance_initial(NULL);
    (void)state;
    memset(&rec, 0, sizeof rec);
    /* loading */
    assert_int_equal(dosm_load(NULL, 3, "x", NULL, &d, &err), DOSM_E_ARG);
    assert_int_equal(dosm_load("x", 1, NULL, NULL, NULL, NULL), DOSM_E_ARG);
    dosm_load_options_init(NULL);
    dosm_def_free(NULL);
    assert_int_equal(dosm_vocab_check(NULL, "fhir", def, NULL, NULL, &err),
                     DOSM_E_ARG);
    assert_int_equal(dosm_vocab_check(def, NULL, def, NULL, NULL, NULL),
                     DOSM_E_NAME);
    assert_null(dosm_def_name(NULL));
    assert_null(dosm_def_title(NULL));
    assert_null(dosm_def_source(NULL));
    assert_int_equal(dosm_def_revision(NULL), 0);
    assert_int_equal(dosm_def_hash(NULL), 0);
    assert_int_equal(dosm_def_memory(NULL), 0);
    assert_string_equal(dosm_code_name(-5), "DOSM_UNKNOWN");
    /* introspection */
    assert_int_equal(dosm_state_count(NULL), 0);
    assert_int_equal(dosm_state_find(NULL, "NEW"), -1);
    assert_int_equal(dosm_state_find(def, NULL), -1);
    assert_int_equal(dosm_state_get(NULL, 0, &si), DOSM_E_ARG);
    assert_int_equal(dosm_state_get(def, 0, NULL), DOSM_E_ARG);
    assert_null(dosm_state_id(NULL, 0));
    assert_int_equal(dosm_state_has_tag(NULL, 0, "x"), 0);
    assert_int_equal(dosm_state_has_tag(def, 0, NULL), 0);
    assert_null(dosm_state_external(NULL, 0, "fhir"));
    assert_null(dosm_state_external(def, 0, NULL));
    assert_int_equal(dosm_state_externals(NULL, 0, "fhir", names, 2), 0);
    assert_int_equal(dosm_external_states(NULL, "fhir", "x", ix, 2), 0);
    assert_int_equal(dosm_external_states(def, NULL, "x", ix, 2), 0);
    assert_int_equal(dosm_external_states(def, "fhir", NULL, ix, 2), 0);
    assert_int_equal(dosm_vocab_count(NULL), 0);
    assert_int_equal(dosm_vocab_find(NULL, "fhir"), -1);
    assert_int_equal(dosm_vocab_find(def, NULL), -1);
    assert_int_equal(dosm_vocab_get(NULL, 0, &vi), DOSM_E_ARG);
    assert_int_equal(dosm_vocab_get(def, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_states_tagged(NULL, "x", ix, 2), 0);
    assert_int_equal(dosm_states_ranked(NULL, ix, 2), 0);
    assert_int_equal(dosm_event_count(NULL), 0);
    assert_int_equal(dosm_event_find(NULL, "alpha"), -1);
    assert_int_equal(dosm_event_find(def, NULL), -1);
    assert_null(dosm_event_name(NULL, 0));
    assert_int_equal(dosm_event_get(NULL, 0, &ei), DOSM_E_ARG);
    assert_int_equal(dosm_event_get(def, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_event_field(NULL, 0, 0, &fi), DOSM_E_ARG);
    assert_int_equal(dosm_event_field(def, 3, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_count(NULL), 0);
    assert_int_equal(dosm_attribute_find(NULL, "units"), -1);
    assert_int_equal(dosm_attribute_find(def, NULL), -1);
    assert_int_equal(dosm_attribute_get(NULL, 0, &fi), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_get(def, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(NULL, "units", "1"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, NULL, "1"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, "units", NULL), DOSM_E_ARG);
    assert_int_equal(dosm_effect_count(NULL), 0);
    assert_int_equal(dosm_effect_get(NULL, 0, &ni), DOSM_E_ARG);
    assert_int_equal(dosm_effect_get(def, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_guard_count(NULL), 0);
    assert_int_equal(dosm_guard_get(NULL, 0, &ni), DOSM_E_ARG);
    assert_int_equal(dosm_guard_get(def, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_transition_count(NULL), 0);
    assert_int_equal(dosm_transition_get(NULL, 0, &ti), DOSM_E_ARG);
    assert_int_equal(dosm_transition_get(def, 0, NULL), DOSM_E_ARG);
    /* instances */
    assert_int_equal(none.state, 0x7FFF);
    assert_int_equal(dosm_try(def, NULL, &none, &r, &out), DOSM_E_STATE);
    assert_int_equal(dosm_encode(NULL, &inst, buf, sizeof buf), DOSM_E_ARG);
    assert_int_equal(dosm_encode(def, NULL, buf, sizeof buf), DOSM_E_ARG);
    assert_int_equal(dosm_encode(def, &inst, NULL, sizeof buf), DOSM_E_ARG);
    assert_int_equal(dosm_decode(NULL, "api@2.0:NEW#0", &inst, &err),
                     DOSM_E_ARG);
    assert_int_equal(dosm_decode(def, NULL, &inst, &err), DOSM_E_ARG);
    assert_int_equal(dosm_decode(def, "api@2.0:NEW#0", NULL, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_deadline_get(NULL, &inst, 0, &dl), DOSM_E_ARG);
    assert_int_equal(dosm_deadline_get(def, NULL, 0, &dl), DOSM_E_ARG);
    /* prepared attributes */
    {
        dosm_attributes *pa = (dosm_attributes *)&out; /* overwritten */
        assert_int_equal(dosm_attributes_prepare(NULL, NULL, NULL, &pa),
                         DOSM_E_ARG);
        assert_null(pa);
        assert_int_equal(dosm_attributes_prepare(def, NULL, NULL, NULL),
                         DOSM_E_ARG);
        dosm_attributes_free(NULL);
        assert_null(dosm_attributes_values(NULL));
    }
    /* hosts */
    assert_null(dosm_host_new(NULL, NULL));
    dosm_host_free(NULL);
    assert_int_equal(dosm_host_on(NULL, DOSM_ON_ENTER, NULL, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_effect(NULL, "notify", on_effect, NULL),
                     DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_guard(NULL, "approved", approved, NULL),
                     DOSM_E_ARG);
    assert_int_equal(dosm_host_check(NULL, &err), DOSM_E_ARG);
    /* firing */
    assert_int_equal(dosm_fire(def, NULL, &inst, NULL, &out), DOSM_E_ARG);
    assert_int_equal(dosm_fire_index(NULL, NULL, &inst, 0, &r, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_fire_index(def, NULL, NULL, 0, &r, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_try(def, NULL, NULL, &r, &out), DOSM_E_ARG);
    assert_int_equal(dosm_choices(NULL, NULL, &inst, NULL, NULL, 0), 0);
    assert_int_equal(dosm_choices(def, NULL, NULL, NULL, NULL, 0), 0);
    assert_int_equal(dosm_choices(def, NULL, &inst, NULL, NULL, 0), 4);
    /* history */
    assert_int_equal(dosm_restart(NULL, &inst, 0, &out), DOSM_E_ARG);
    assert_int_equal(dosm_restart(def, NULL, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_path(NULL, NULL, &inst, 0, NULL, st, 2, &n, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_path(def, NULL, NULL, 0, NULL, st, 2, &n, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_path(def, NULL, &inst, 1, NULL, NULL, 2, &n, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_reconcile(NULL, NULL, &inst, "WORK", NULL, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_reconcile(def, NULL, NULL, "WORK", NULL, NULL),
                     DOSM_E_ARG);
    assert_int_equal(dosm_reconcile(def, NULL, &inst, NULL, NULL, &out),
                     DOSM_E_NAME);
    assert_int_equal(dosm_reconcile_external(NULL, NULL, &inst, "fhir", "x",
                                             NULL, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_reconcile_external(def, NULL, &inst, NULL, "x", NULL,
                                             &out),
                     DOSM_E_NAME);
    assert_int_equal(dosm_reconcile_external(def, NULL, &inst, "fhir", NULL,
                                             NULL, &out),
                     DOSM_E_NAME);
    assert_int_equal(dosm_rollup(NULL, &inst, 1), -1);
    assert_int_equal(dosm_rollup(def, NULL, 1), -1);
    assert_int_equal(dosm_sort_key(NULL, &inst), UINT32_MAX);
    assert_int_equal(dosm_sort_key(def, NULL), UINT32_MAX);
    assert_int_equal(dosm_replay(NULL, NULL, &rec, 1, &inst, &bad, &err),
                     DOSM_E_ARG);
    assert_int_equal(dosm_replay(def, NULL, NULL, 1, &inst, &bad, &err),
                     DOSM_E_ARG);
    assert_int_equal(dosm_replay(def, NULL, &rec, 1, NULL, &bad, NULL),
                     DOSM_E_ARG);
    assert_int_equal(dosm_replay(def, NULL, &rec, 1, &inst, NULL, NULL),
                     DOSM_E_HISTORY);
}

/* ---- item 12: what a UI needs, from the header ---- */

static void test_introspection_builds_a_form(void **state)
{
    dosm_event_info ei;
    dosm_field_info fi;
    dosm_name_info ni;
    int ship = dosm_event_find(def, "ship");
    (void)state;
    assert_int_equal(dosm_event_get(def, ship, &ei), DOSM_OK);
    assert_string_equal(ei.name, "ship");
    assert_string_equal(ei.label, "Mark as shipped");
    assert_string_equal(ei.description, "The case leaves.");
    assert_int_equal(ei.field_count, 2);
    assert_int_equal(dosm_event_field(def, ship, 0, &fi), DOSM_OK);
    assert_string_equal(fi.name, "tracking");
    assert_int_equal(fi.type, DOSM_TYPE_STRING);
    assert_int_equal(fi.required, 1);
    assert_int_equal(dosm_event_field(def, ship, 1, &fi), DOSM_OK);
    assert_string_equal(fi.name, "weight");
    assert_string_equal(dosm_type_name(fi.type), "integer");
    assert_int_equal(fi.required, 0);
    assert_int_equal(dosm_event_field(def, ship, 2, &fi), DOSM_E_ARG);
    assert_int_equal(dosm_event_get(def, dosm_event_find(def, "alpha"), &ei),
                     DOSM_OK);
    assert_string_equal(ei.label, "alpha"); /* no label: the name */
    assert_string_equal(ei.description, "");
    assert_int_equal(ei.field_count, 0);
    assert_int_equal(dosm_event_get(def, 99, &ei), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_count(def), 2);
    assert_int_equal(dosm_attribute_find(def, "tier"), 1);
    assert_int_equal(dosm_attribute_get(def, 1, &fi), DOSM_OK);
    assert_string_equal(fi.name, "tier");
    assert_int_equal(fi.type, DOSM_TYPE_ENUM);
    assert_int_equal(fi.value_count, 2);
    assert_string_equal(fi.values[1], "premium");
    assert_int_equal(fi.required, 0);
    assert_int_equal(dosm_attribute_get(def, 0, &fi), DOSM_OK);
    assert_string_equal(fi.description, "Units in the case");
    assert_int_equal(fi.value_count, 0);
    assert_int_equal(dosm_attribute_get(def, 2, &fi), DOSM_E_ARG);
    assert_int_equal(dosm_effect_count(def), 2);
    assert_int_equal(dosm_effect_get(def, 1, &ni), DOSM_OK);
    assert_string_equal(ni.name, "bill");
    assert_string_equal(ni.description, "Send the invoice.");
    assert_int_equal(dosm_effect_get(def, -1, &ni), DOSM_E_ARG);
    assert_int_equal(dosm_guard_count(def), 1);
    assert_int_equal(dosm_guard_get(def, 0, &ni), DOSM_OK);
    assert_string_equal(ni.name, "approved");
    assert_string_equal(ni.description, "The host has an approval on file.");
    assert_int_equal(dosm_guard_get(def, 1, &ni), DOSM_E_ARG);
    assert_string_equal(dosm_type_name(DOSM_TYPE_VERSION), "version");
    assert_string_equal(dosm_type_name(5), "");
}

static void test_no_state_is_one_sentinel(void **state)
{
    dosm_state_info si;
    dosm_transition_info ti;
    dosm_instance inst = dosm_instance_initial(def);
    (void)state;
    assert_int_equal(inst.previous, DOSM_NO_STATE);
    assert_int_equal(dosm_state_get(def, S("WORK"), &si), DOSM_OK);
    assert_int_equal(si.parent, DOSM_NO_STATE);
    assert_int_equal(si.fallback, DOSM_NO_STATE);
    assert_int_equal(dosm_transition_get(def, 5, &ti), DOSM_OK);
    assert_int_equal(ti.target, DOSM_NO_STATE);
    assert_int_equal(ti.to_previous, 1);
    assert_int_equal(dosm_transition_get(def, 4, &ti), DOSM_OK);
    assert_int_equal(ti.target, S("HOLD"));
    assert_int_equal(ti.to_previous, 0);
    assert_int_equal(dosm_state_find(def, "NOPE"), DOSM_NO_STATE);
}

/* ---- item 19: replay compares effects ---- */

static void test_replay_checks_effects(void **state)
{
    static const char *const wrong[] = {"bill"};
    static const char *const right[] = {"notify"};
    dosm_record rec;
    dosm_instance out;
    dosm_error err;
    size_t bad = 99;
    (void)state;
    memset(&rec, 0, sizeof rec);
    rec.workflow = "api";
    rec.revision = 2;
    rec.seq = 1;
    rec.from = "NEW";
    rec.event = "alpha";
    rec.to = "WORK";
    rec.effect_count = 1;
    rec.effects = wrong;
    assert_int_equal(dosm_replay(def, NULL, &rec, 1, &out, &bad, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(bad, 0);
    assert_string_equal(err.text, "record seq 1 (NEW --alpha--> WORK) asks for "
                                  "other effects than its transition does");
    rec.effects = right;
    assert_int_equal(dosm_replay(def, NULL, &rec, 1, &out, &bad, &err),
                     DOSM_OK);
    rec.effect_count = 0; /* none where notify is due */
    assert_int_equal(dosm_replay(def, NULL, &rec, 1, &out, &bad, &err),
                     DOSM_E_HISTORY);
    /* an older revision's effects are not compared */
    rec.revision = 1;
    rec.effects = wrong;
    rec.effect_count = 1;
    assert_int_equal(dosm_replay(def, NULL, &rec, 1, &out, &bad, &err),
                     DOSM_OK);
    assert_int_equal(out.state, S("WORK"));
}

/* ---- found by an attack on the above ---- */

/* ---- found by an attack on the one path and prepared attributes ---- */

/* The search took `back` to the previous state; the guard then changes
 * its mind and `back` leads elsewhere: the reconcile stops, naming what it
 * meant (the previous state, not a transition's fixed target). */
static int flips_calls;
static int flips(const dosm_callback_info *info, void *user)
{
    (void)info;
    (void)user;
    return flips_calls++ == 0; /* holds for the search only */
}

typedef struct rejected {
    int calls, code, state;
    const char *event;
} rejected;

static void on_rejected(const dosm_callback_info *info, void *user)
{
    rejected *r = user;
    r->calls++;
    r->code = info->outcome->code;
    r->event = info->event;
    r->state = info->before->state;
}

static void test_reconcile_to_previous_whose_guard_changes(void **state)
{
    dosm_def *d = load_text(
        "dosm: 1\nname: rp\ntitle: t\nrevision: 1\ninitial: A\n"
        "guards: { g: flips }\n"
        "states:\n"
        "  A: { label: a, external: { fhir: draft } }\n"
        "  B: { label: b, external: { fhir: draft } }\n"
        "  X: { label: x, final: true, external: { fhir: completed } }\n"
        "events: { go: , back: }\n"
        "transitions:\n"
        "  - { event: go, from: A, to: B }\n"
        "  - { event: back, from: B, to: previous, guard: g }\n"
        "  - { event: back, from: any, to: X }\n");
    dosm_host *h = dosm_host_new(d, NULL);
    dosm_instance o = dosm_instance_initial(d);
    dosm_request r = request("go", NULL, NULL);
    dosm_outcome out;
    rejected refused;
    (void)state;
    memset(&refused, 0, sizeof refused);
    assert_int_equal(dosm_host_bind_guard(h, "g", flips, NULL), DOSM_OK);
    assert_int_equal(dosm_host_on(h, DOSM_ON_REJECT, on_rejected, &refused),
                     DOSM_OK);
    assert_int_equal(dosm_fire(d, h, &o, &r, NULL), DOSM_OK);
    flips_calls = 0;
    assert_int_equal(dosm_reconcile(d, h, &o, "A", NULL, &out), DOSM_R_GUARD);
    assert_string_equal(out.text, "back in B now leads to X, not A: the "
                                  "host's guards changed while reconciling");
    assert_int_equal(o.state, dosm_state_find(d, "B"));
    assert_int_equal(o.seq, 1);
    /* the step refused while applying is a rejected event, as in fire */
    assert_int_equal(refused.calls, 1);
    assert_string_equal(refused.event, "back");
    assert_int_equal(refused.code, DOSM_R_GUARD);
    assert_int_equal(refused.state, dosm_state_find(d, "B"));
    dosm_host_free(h);
    dosm_def_free(d);
}

/* A lookup that answers in one buffer it rewrites on every call: each
 * prepared value is copied before the next lookup, so the set holds what
 * each answer was (it overran its block, or kept the last answer for
 * every attribute). */
static char lookup_buf[64];
static const char *rewriting_lookup(void *user, const char *name)
{
    (void)user;
    if (strcmp(name, "units") == 0)
        snprintf(lookup_buf, sizeof lookup_buf, "%s", "7");
    else if (strcmp(name, "tier") == 0)
        snprintf(lookup_buf, sizeof lookup_buf, "%s", "premium");
    else
        return NULL;
    return lookup_buf;
}

static void test_prepared_values_survive_a_rewritten_buffer(void **state)
{
    dosm_values v = {NULL, 0, rewriting_lookup, NULL};
    dosm_attributes *set;
    const dosm_values *pv;
    dosm_instance inst = at("WORK", NULL, 3);
    dosm_request r = request("check", &v, NULL);
    dosm_outcome by_text, by_set;
    (void)state;
    assert_int_equal(dosm_attributes_prepare(def, &v, NULL, &set), DOSM_OK);
    pv = dosm_attributes_values(set);
    assert_string_equal(pv->lookup(pv->lookup_user, "units"), "7");
    assert_string_equal(pv->lookup(pv->lookup_user, "tier"), "premium");
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &by_text), DOSM_OK);
    r.attributes = pv;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &by_set), DOSM_OK);
    assert_int_equal(by_set.transition, by_text.transition);
    dosm_attributes_free(set);
}

/* Values that put their own pairs before a prepared set's lookup are
 * values like any other: pairs first, then the set's text. Only the set's
 * own values are read as prepared. Its lookup answers NULL for no set. */
static void test_prepared_lookup_under_other_pairs(void **state)
{
    static const dosm_pair one[] = {{"units", "1"}}, nine[] = {{"units", "9"}};
    static const dosm_pair tracking[] = {{"tracking", "1Z99"}};
    const dosm_values payload = {tracking, 1, NULL, NULL};
    dosm_values few = {one, 1, NULL, NULL};
    dosm_attributes *set;
    const dosm_values *pv;
    dosm_values wrapped;
    dosm_instance inst = at("WORK", NULL, 3);
    dosm_request r = request("ship", NULL, &payload);
    dosm_outcome out;
    (void)state;
    assert_int_equal(dosm_attributes_prepare(def, &few, NULL, &set), DOSM_OK);
    pv = dosm_attributes_values(set);
    r.attributes = pv;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_R_GUARD);
    wrapped.pairs = nine;
    wrapped.count = 1;
    wrapped.lookup = pv->lookup;
    wrapped.lookup_user = pv->lookup_user;
    r.attributes = &wrapped;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_OK);
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_OK);
    assert_string_equal(out.record.to, "DONE");
    assert_null(pv->lookup(NULL, "units"));
    dosm_attributes_free(set);
}

/* A callback that decodes into the order during the last step of a
 * reconcile: the reconcile says so, and the order stays as it was left. */
typedef struct decode_on_enter {
    const dosm_def *d;
    dosm_instance *order;
    const char *snapshot, *when;
} decode_on_enter;

static void decode_entering(const dosm_callback_info *info, void *user)
{
    decode_on_enter *c = user;
    if (info->state && strcmp(info->state, c->when) == 0)
        assert_int_equal(dosm_decode(c->d, c->snapshot, c->order, NULL),
                         DOSM_OK);
}

static void test_reconcile_sees_a_decode_in_its_last_step(void **state)
{
    static const char *const cases[][3] = {
        /* observed, decode on entering, steps done */
        {"WORK", "WORK", "1"}, {"ALT", "WORK", "1"}, {"ALT", "ALT", "2"}};
    size_t k;
    (void)state;
    for (k = 0; k < 3; k++) {
        dosm_host *h = dosm_host_new(def, NULL);
        dosm_instance o = at("NEW", NULL, 0);
        char snap[DOSM_SNAPSHOT_MAX], text[DOSM_TEXT_MAX];
        decode_on_enter c;
        dosm_pair premium[] = {{"tier", "premium"}};
        dosm_values v = {premium, 1, NULL, NULL};
        dosm_request r = request(NULL, &v, NULL);
        dosm_outcome out;
        assert_int_equal(dosm_encode(def, &o, snap, sizeof snap), DOSM_OK);
        c.d = def;
        c.order = &o;
        c.snapshot = snap;
        c.when = cases[k][1];
        assert_int_equal(dosm_host_on(h, DOSM_ON_ENTER, decode_entering, &c),
                         DOSM_OK);
        assert_int_equal(dosm_reconcile(def, h, &o, cases[k][0], &r, &out),
                         DOSM_E_REENTRANT);
        snprintf(text, sizeof text,
                 "a callback replaced the order while reconciling, after %s "
                 "of %s steps: it stays as the callback left it",
                 cases[k][2], k ? "2" : "1");
        assert_string_equal(out.text, text);
        assert_int_equal(o.state, S("NEW")); /* as decoded */
        assert_int_equal(o.seq, 0);
        dosm_host_free(h);
    }
}

static void test_a_host_of_another_definition_is_refused(void **state)
{
    dosm_def *other = load_text(api_yaml);
    dosm_host *h = dosm_host_new(other, NULL);
    dosm_instance inst = at("ALT", "WORK", 2);
    dosm_request r = request("sign", NULL, NULL);
    dosm_outcome out;
    dosm_choice c[4];
    dosm_step st[4];
    size_t n = 7;
    (void)state;
    assert_int_equal(dosm_fire(def, h, &inst, &r, &out), DOSM_E_ARG);
    assert_string_equal(out.text, "the host was made for workflow api@2, not "
                                  "api");
    assert_int_equal(inst.state, S("ALT"));
    assert_int_equal(dosm_fire_index(def, h, &inst, 0, &r, &out), DOSM_E_ARG);
    assert_int_equal(dosm_try(def, h, &inst, &r, &out), DOSM_E_ARG);
    assert_int_equal(dosm_choices(def, h, &inst, NULL, c, 4), 0);
    assert_int_equal(dosm_path(def, h, &inst, S("WORK"), NULL, st, 4, &n,
                               &out),
                     DOSM_E_ARG);
    assert_int_equal(n, 0);
    assert_int_equal(dosm_reconcile(def, h, &inst, "WORK", NULL, &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_reconcile_external(def, h, &inst, "fhir", "x", NULL,
                                             &out),
                     DOSM_E_ARG);
    dosm_host_free(h);
    dosm_def_free(other);
}

/* Prepared attributes are read once, when prepared: a lookup callback is
 * asked then and never again, later changes to the pairs are not seen,
 * and a set made for another definition is refused like such a host. */
static int lookups_made;

static const char *units_lookup(void *user, const char *name)
{
    (void)user;
    lookups_made++;
    return strcmp(name, "units") == 0 ? "7" : NULL;
}

static void test_prepared_attributes_are_read_once(void **state)
{
    dosm_pair pairs[] = {{"tier", "premium"}};
    dosm_values values = {pairs, 1, units_lookup, NULL};
    dosm_attributes *pa, *foreign;
    dosm_def *other = load_text(api_yaml);
    dosm_instance inst = at("WORK", NULL, 3);
    dosm_request r = request("ship", NULL, NULL);
    dosm_pair tracking[] = {{"tracking", "1Z"}};
    dosm_values payload = {tracking, 1, NULL, NULL};
    dosm_outcome out;
    dosm_choice c[4];
    size_t n = 7;
    dosm_step st[4];
    (void)state;
    assert_int_equal(dosm_attributes_prepare(def, &values, NULL, &pa), DOSM_OK);
    assert_int_equal(lookups_made, 1); /* units; tier was a pair */
    pairs[0].value = "basic";          /* not seen: the set has a copy */
    {
        /* what callbacks see: values whose lookup answers the text */
        const dosm_values *v = dosm_attributes_values(pa);
        assert_int_equal(v->count, 0);
        assert_string_equal(v->lookup(v->lookup_user, "units"), "7");
        assert_string_equal(v->lookup(v->lookup_user, "tier"), "premium");
        assert_null(v->lookup(v->lookup_user, "nope"));
    }
    r.attributes = dosm_attributes_values(pa);
    r.payload = &payload;
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_OK);
    r.event = "check"; /* tier == premium, from the set; check has no
                        * payload */
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_R_PAYLOAD);
    r.payload = NULL;
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_OK);
    assert_int_equal(inst.state, S("ALT"));
    assert_int_equal(lookups_made, 1);
    /* another definition's set */
    assert_int_equal(dosm_attributes_prepare(other, &values, NULL, &foreign),
                     DOSM_OK);
    inst = at("WORK", NULL, 3);
    r.attributes = dosm_attributes_values(foreign);
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_E_ARG);
    assert_string_equal(out.text, "the prepared attributes were made for "
                                  "workflow api@2, not api");
    assert_int_equal(inst.state, S("WORK"));
    r.event = "hold"; /* a plain step refuses it too */
    assert_int_equal(dosm_fire(def, NULL, &inst, &r, &out), DOSM_E_ARG);
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out), DOSM_E_ARG);
    assert_int_equal(dosm_choices(def, NULL, &inst, &r, c, 4), 0);
    assert_int_equal(dosm_path(def, NULL, &inst, S("HOLD"), &r, st, 4, &n,
                               &out),
                     DOSM_E_ARG);
    assert_int_equal(dosm_reconcile(def, NULL, &inst, "HOLD", &r, &out),
                     DOSM_E_ARG);
    assert_int_equal(inst.state, S("WORK"));
    dosm_attributes_free(foreign);
    dosm_attributes_free(pa);
    dosm_def_free(other);
}

static void test_external_ties_follow_transition_order(void **state)
{
    /* Y is written before X; the transition to X comes first */
    dosm_def *d = load_text(
        "dosm: 1\nname: ext\ntitle: Ext\nrevision: 1\ninitial: N\n"
        "vocabularies: { v: {} }\n"
        "states:\n  N: { label: N }\n"
        "  Y: { label: Y, final: true, external: { v: same } }\n"
        "  X: { label: X, final: true, external: { v: same } }\n"
        "events: { a: ~, b: ~ }\n"
        "transitions:\n  - { event: b, from: N, to: X }\n"
        "  - { event: a, from: N, to: Y }\n");
    dosm_instance inst = dosm_instance_initial(d);
    dosm_outcome out;
    (void)state;
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "v", "same", NULL,
                                             &out),
                     DOSM_OK);
    assert_string_equal(dosm_state_id(d, inst.state), "X");
    assert_int_equal(out.other_paths, 1); /* Y was as near */
    dosm_def_free(d);
}

static void test_odd_inputs_keep_the_contract(void **state)
{
    static const dosm_pair good[] = {{"tracking", "1Z"}};
    const dosm_values no_pairs = {NULL, 2, NULL, NULL}; /* count, no pairs */
    const dosm_values payload = {good, 1, NULL, NULL};
    dosm_outcome out;
    dosm_request r;
    dosm_instance inst;
    char name[300];
    dosm_def *d;
    dosm_event_info ei;
    (void)state;
    /* pairs NULL with a count: no pairs, never a crash */
    assert_int_equal(code_of("ship", at("WORK", "NEW", 1), &no_pairs, NULL,
                             &out),
                     DOSM_R_MISSING_ATTR);
    assert_int_equal(code_of("ship", at("WORK", "NEW", 1), &units3, &no_pairs,
                             &out),
                     DOSM_R_PAYLOAD);
    /* refused after the choice: the transition that would be taken */
    assert_int_equal(out.transition, 3);
    assert_int_equal(code_of("ship", at("WORK", "NEW", UINT32_MAX), &units3,
                             &payload, &out),
                     DOSM_R_SEQ_LIMIT);
    assert_int_equal(out.transition, 3);
    assert_int_equal(code_of("back", at("HOLD", NULL, 1), NULL, NULL, &out),
                     DOSM_R_NO_HISTORY);
    assert_int_equal(out.transition, 5);
    assert_int_equal(code_of("ship", at("WORK", "NEW", 1), &units1, NULL,
                             &out),
                     DOSM_R_GUARD);
    assert_int_equal(out.transition, -1);
    /* a sentence cut to fit never ends inside a UTF-8 character */
    memset(name, 0, sizeof name);
    {
        size_t i;
        name[0] = 'a';
        for (i = 1; i + 2 < sizeof name - 1; i += 2)
            memcpy(name + i, "\xc3\x84", 2);
    }
    inst = at("NEW", NULL, 0);
    r = request(name, NULL, NULL);
    assert_int_equal(dosm_try(def, NULL, &inst, &r, &out),
                     DOSM_R_UNKNOWN_EVENT);
    assert_int_equal(strlen(out.text) % 2, 0); /* 'a' and "'": 2 */
    assert_true(((unsigned char)out.text[strlen(out.text) - 1] & 0xC0u) ==
                0x80u);
    /* tags: NULL is no tag, not every state */
    assert_int_equal(dosm_states_tagged(def, NULL, NULL, 0), 0);
    assert_int_equal(dosm_states_ranked(def, NULL, 0), 6);
    /* an empty label is the name */
    d = load_text("dosm: 1\nname: l\ntitle: L\nrevision: 1\ninitial: A\n"
                  "states: { A: { label: A }, B: { label: B, final: true } }\n"
                  "events: { go: { label: \"\" } }\n"
                  "transitions: [ { event: go, from: A, to: B } ]\n");
    assert_int_equal(dosm_event_get(d, 0, &ei), DOSM_OK);
    assert_string_equal(ei.label, "go");
    dosm_def_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reconcile_in_place_fills_the_outcome),
        cmocka_unit_test(test_call_errors_have_sentences),
        cmocka_unit_test(test_reasons_come_in_one_order),
        cmocka_unit_test(test_choices_explain_themselves),
        cmocka_unit_test(test_stale_timers_say_why),
        cmocka_unit_test(test_rollup_is_order_free),
        cmocka_unit_test(test_ties_go_to_the_transition_written_first),
        cmocka_unit_test(test_deadline_from_the_stored_time),
        cmocka_unit_test(test_callbacks_read_the_busy_order),
        cmocka_unit_test(test_guards_learn_what_callbacks_learn),
        cmocka_unit_test(test_every_function_takes_null),
        cmocka_unit_test(test_introspection_builds_a_form),
        cmocka_unit_test(test_no_state_is_one_sentinel),
        cmocka_unit_test(test_replay_checks_effects),
        cmocka_unit_test(test_a_host_of_another_definition_is_refused),
        cmocka_unit_test(test_prepared_attributes_are_read_once),
        cmocka_unit_test(test_reconcile_to_previous_whose_guard_changes),
        cmocka_unit_test(test_prepared_values_survive_a_rewritten_buffer),
        cmocka_unit_test(test_prepared_lookup_under_other_pairs),
        cmocka_unit_test(test_reconcile_sees_a_decode_in_its_last_step),
        cmocka_unit_test(test_external_ties_follow_transition_order),
        cmocka_unit_test(test_odd_inputs_keep_the_contract),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

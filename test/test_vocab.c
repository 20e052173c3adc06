/* External vocabularies (issue 16): declarations, lists of values, the
 * reverse index, reconciling by a vocabulary's value, the projection
 * check of a bound vocabulary, and a transient state's fallback as a
 * legal step of dosm_path and dosm_reconcile. */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* A lab's view of a design: three of its states share one DWOS value,
 * one state has two. */
static const char *const LAB =
    "dosm: 1\nname: lab\ntitle: Lab\nrevision: 1\ninitial: NEW\n"
    "vocabularies:\n"
    "  fhir: { description: \"HL7 FHIR R4 Task.status\", workflow: fhir-task }\n"
    "  dwos-connect: { description: \"DWOS Connect order status\", workflow: remote }\n"
    "  itero-lab: { description: \"iTero lab-side status strings\" }\n"
    "states:\n"
    "  NEW: { label: New, external: { fhir: requested, dwos-connect: SENT, itero-lab: \"Ready for Download\" } }\n"
    "  QUEUED: { label: Queued, external: { fhir: accepted, dwos-connect: [WAITING_FOR_DESIGN, DESIGN_IN_PROGRESS] } }\n"
    "  DESIGN: { label: Design, external: { fhir: in-progress, dwos-connect: DESIGN_IN_PROGRESS } }\n"
    "  REVIEW: { label: Review, external: { fhir: in-progress, dwos-connect: DESIGN_IN_PROGRESS } }\n"
    "  DONE: { label: Done, final: true, external: { fhir: completed, dwos-connect: DESIGNED } }\n"
    "events: { queue: ~, skip: ~, start: ~, review: ~, finish: }\n"
    "transitions:\n"
    "  - { event: queue, from: NEW, to: QUEUED }\n"
    "  - { event: start, from: QUEUED, to: DESIGN }\n"
    "  - { event: skip, from: QUEUED, to: REVIEW }\n"
    "  - { event: review, from: DESIGN, to: REVIEW }\n"
    "  - { event: finish, from: REVIEW, to: DONE }\n";

/* The remote workflow the dwos-connect values name. */
static const char *const REMOTE =
    "dosm: 1\nname: remote\ntitle: Remote\nrevision: 1\ninitial: SENT\n"
    "states:\n"
    "  SENT: { label: Sent, external: { fhir: requested } }\n"
    "  WAITING_FOR_DESIGN: { label: Waiting for design, external: { fhir: accepted } }\n"
    "  DESIGN_IN_PROGRESS: { label: Design in progress, external: { fhir: in-progress } }\n"
    "  DESIGNED: { label: Designed, final: true, external: { fhir: completed } }\n"
    "events: { wait: ~, design: ~, done: }\n"
    "transitions:\n"
    "  - { event: wait, from: SENT, to: WAITING_FOR_DESIGN }\n"
    "  - { event: design, from: WAITING_FOR_DESIGN, to: DESIGN_IN_PROGRESS }\n"
    "  - { event: done, from: DESIGN_IN_PROGRESS, to: DESIGNED }\n";

static int state(const dosm_def *d, const char *id)
{
    int s = dosm_state_find(d, id);
    assert_true(s >= 0);
    return s;
}

static void vocabularies_declared(void **unused)
{
    dosm_def *d = load_text(LAB);
    dosm_vocab_info info;
    (void)unused;
    assert_int_equal(dosm_vocab_count(d), 3);
    assert_int_equal(dosm_vocab_find(d, "fhir"), 0);
    assert_int_equal(dosm_vocab_find(d, "dwos-connect"), 1);
    assert_int_equal(dosm_vocab_find(d, "itero-lab"), 2);
    assert_int_equal(dosm_vocab_find(d, "iTero-lab"), -1);
    assert_int_equal(dosm_vocab_find(d, NULL), -1);
    assert_int_equal(dosm_vocab_find(NULL, "fhir"), -1);
    assert_int_equal(dosm_vocab_get(d, 1, &info), DOSM_OK);
    assert_string_equal(info.name, "dwos-connect");
    assert_string_equal(info.description, "DWOS Connect order status");
    assert_string_equal(info.workflow, "remote");
    assert_int_equal(info.implicit, 0);
    assert_int_equal(info.line, 8);
    assert_int_equal(info.column, 3);
    assert_int_equal(dosm_vocab_get(d, 2, &info), DOSM_OK);
    assert_null(info.workflow);
    assert_int_equal(dosm_vocab_get(d, 3, &info), DOSM_E_ARG);
    assert_int_equal(dosm_vocab_get(d, -1, &info), DOSM_E_ARG);
    assert_int_equal(dosm_vocab_get(d, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_vocab_count(NULL), 0);
    dosm_def_free(d);
}

/* A format 1 file that only uses fhir gets it declared by the library. */
static void fhir_implicit(void **unused)
{
    dosm_def *d = load_text(REMOTE);
    dosm_vocab_info info;
    (void)unused;
    assert_int_equal(dosm_vocab_count(d), 1);
    assert_int_equal(dosm_vocab_get(d, 0, &info), DOSM_OK);
    assert_string_equal(info.name, "fhir");
    assert_string_equal(info.description, "HL7 FHIR R4 Task.status");
    assert_null(info.workflow);
    assert_int_equal(info.implicit, 1);
    assert_int_equal(info.line, 0);
    assert_int_equal(info.column, 0);
    dosm_def_free(d);
}

static void values_of_a_state(void **unused)
{
    dosm_def *d = load_text(LAB);
    const char *v[4] = {NULL, NULL, NULL, NULL};
    int q = state(d, "QUEUED");
    (void)unused;
    assert_string_equal(dosm_state_external(d, q, "dwos-connect"),
                        "WAITING_FOR_DESIGN"); /* the first of the list */
    assert_int_equal(dosm_state_externals(d, q, "dwos-connect", v, 4), 2);
    assert_string_equal(v[0], "WAITING_FOR_DESIGN");
    assert_string_equal(v[1], "DESIGN_IN_PROGRESS");
    assert_null(v[2]);
    assert_int_equal(dosm_state_externals(d, q, "dwos-connect", v, 1), 2);
    assert_int_equal(dosm_state_externals(d, q, "dwos-connect", NULL, 0), 2);
    assert_int_equal(dosm_state_externals(d, q, "itero-lab", v, 4), 0);
    assert_int_equal(dosm_state_externals(d, q, "nope", v, 4), 0);
    assert_int_equal(dosm_state_externals(d, 99, "fhir", v, 4), 0);
    assert_int_equal(dosm_state_externals(NULL, 0, "fhir", v, 4), 0);
    assert_string_equal(dosm_state_external(d, state(d, "NEW"), "itero-lab"),
                        "Ready for Download");
    assert_null(dosm_state_external(d, q, "itero-lab"));
    dosm_def_free(d);
}

static void reverse_lookup(void **unused)
{
    dosm_def *d = load_text(LAB);
    int out[8];
    (void)unused;
    assert_int_equal(dosm_external_states(d, "dwos-connect",
                                          "DESIGN_IN_PROGRESS", out, 8), 3);
    assert_int_equal(out[0], state(d, "QUEUED")); /* document order */
    assert_int_equal(out[1], state(d, "DESIGN"));
    assert_int_equal(out[2], state(d, "REVIEW"));
    assert_int_equal(dosm_external_states(d, "dwos-connect",
                                          "DESIGN_IN_PROGRESS", out, 1), 3);
    assert_int_equal(dosm_external_states(d, "dwos-connect",
                                          "DESIGN_IN_PROGRESS", NULL, 0), 3);
    assert_int_equal(dosm_external_states(d, "fhir", "in-progress", out, 8), 2);
    assert_int_equal(dosm_external_states(d, "itero-lab",
                                          "Ready for Download", out, 8), 1);
    assert_int_equal(out[0], state(d, "NEW"));
    /* byte for byte: case counts */
    assert_int_equal(dosm_external_states(d, "itero-lab",
                                          "ready for download", out, 8), 0);
    assert_int_equal(dosm_external_states(d, "dwos-connect", "GONE", out, 8), 0);
    assert_int_equal(dosm_external_states(d, "nope", "SENT", out, 8), 0);
    assert_int_equal(dosm_external_states(d, "dwos-connect", NULL, out, 8), 0);
    assert_int_equal(dosm_external_states(NULL, "fhir", "requested", out, 8), 0);
    dosm_def_free(d);
}

/* Queries run on a loaded definition allocate nothing. */
static void reverse_lookup_allocates_nothing(void **unused)
{
    test_alloc t = {0};
    dosm_allocator a = test_allocator(&t);
    dosm_load_options opt;
    dosm_def *d = NULL;
    dosm_error err;
    const char *v[2];
    int out[4];
    long before;
    (void)unused;
    dosm_load_options_init(&opt);
    opt.allocator = &a;
    assert_int_equal(dosm_load(LAB, strlen(LAB), "lab", &opt, &d, &err), DOSM_OK);
    before = t.count;
    assert_int_equal(dosm_external_states(d, "dwos-connect", "SENT", out, 4), 1);
    assert_int_equal(dosm_state_externals(d, 1, "dwos-connect", v, 2), 2);
    assert_int_equal(dosm_vocab_find(d, "itero-lab"), 2);
    assert_int_equal(t.count, before);
    dosm_def_free(d);
    assert_int_equal(t.live, 0);
}

/* Reconcile by value: stay when already in a state that carries it, else
 * the nearest one, ties by document order. */
static void reconcile_by_value(void **unused)
{
    dosm_def *d = load_text(LAB);
    dosm_instance inst = dosm_instance_initial(d);
    dosm_outcome out;
    (void)unused;
    /* NEW -> QUEUED is one step; DESIGN and REVIEW are two */
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             "DESIGN_IN_PROGRESS", NULL, &out),
                     DOSM_OK);
    assert_int_equal(inst.state, state(d, "QUEUED"));
    assert_int_equal(inst.seq, 1);
    /* already in one of them: stay */
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             "DESIGN_IN_PROGRESS", NULL, &out),
                     DOSM_OK);
    assert_int_equal(inst.state, state(d, "QUEUED"));
    assert_int_equal(inst.seq, 1);
    assert_int_equal(out.transition, -1);
    /* fhir in-progress: DESIGN and REVIEW are both one step from QUEUED;
     * DESIGN comes first in the document */
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "fhir",
                                             "in-progress", NULL, &out),
                     DOSM_OK);
    assert_int_equal(inst.state, state(d, "DESIGN"));
    assert_string_equal(out.record.event, "start");
    /* no way back */
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "fhir",
                                             "requested", NULL, &out),
                     DOSM_R_NO_PATH);
    assert_string_equal(out.text, "DESIGN cannot become NEW: no sequence of "
                                  "transitions leads there");
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             "DESIGNED", NULL, &out),
                     DOSM_OK);
    assert_int_equal(inst.state, state(d, "DONE"));
    assert_int_equal(inst.seq, 4);
    dosm_def_free(d);
}

static void reconcile_by_value_refusals(void **unused)
{
    dosm_def *d = load_text(LAB);
    dosm_instance inst = dosm_instance_initial(d), before;
    dosm_outcome out;
    (void)unused;
    inst.state = (uint16_t)state(d, "REVIEW");
    inst.previous = (int16_t)state(d, "DESIGN");
    before = inst;
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             "WAITING_FOR_DESIGN", NULL, &out),
                     DOSM_R_NO_PATH);
    assert_string_equal(out.text, "REVIEW cannot become QUEUED: no sequence "
                                  "of transitions leads there");
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             "SENT", NULL, &out),
                     DOSM_R_NO_PATH);
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             "GONE", NULL, &out),
                     DOSM_E_NAME);
    assert_string_equal(out.text, "no state of workflow lab has dwos-connect "
                                  "'GONE'");
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos",
                                             "SENT", NULL, &out),
                     DOSM_E_NAME);
    assert_string_equal(out.text, "workflow lab has no vocabulary 'dwos'");
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "dwos-connect",
                                             NULL, NULL, &out),
                     DOSM_E_NAME);
    assert_int_equal(dosm_reconcile_external(d, NULL, NULL, "fhir",
                                             "requested", NULL, &out),
                     DOSM_E_ARG);
    assert_memory_equal(&inst, &before, sizeof inst);
    dosm_def_free(d);
}

/* Several targets, none reachable: one sentence for them all. */
static void reconcile_by_value_several_unreachable(void **unused)
{
    dosm_def *d = load_text(LAB);
    dosm_instance inst = dosm_instance_initial(d);
    dosm_outcome out;
    (void)unused;
    inst.state = (uint16_t)state(d, "DONE");
    assert_int_equal(dosm_reconcile_external(d, NULL, &inst, "fhir",
                                             "in-progress", NULL, &out),
                     DOSM_R_NO_PATH);
    assert_string_equal(out.text,
                        "DONE cannot become any of the 2 states with fhir "
                        "'in-progress': no sequence of transitions leads "
                        "there");
    dosm_def_free(d);
}

/* Vivo's UPLOADING falls back to IN_UPLOAD_QUEUE after a restart: a host
 * that observes IN_UPLOAD_QUEUE after UPLOADING takes that step. */
static const char *const UPLOAD =
    "dosm: 1\nname: up\ntitle: Up\nrevision: 1\ninitial: READY\n"
    "states:\n"
    "  READY: { label: Ready, external: { fhir: ready } }\n"
    "  IN_UPLOAD_QUEUE: { label: In upload queue, external: { fhir: ready } }\n"
    "  UPLOADING: { label: Uploading, transient: IN_UPLOAD_QUEUE, external: { fhir: in-progress } }\n"
    "  UPLOADED: { label: Uploaded, final: true, external: { fhir: completed } }\n"
    "events: { export: ~, upload: ~, uploaded: }\n"
    "transitions:\n"
    "  - { event: export, from: READY, to: IN_UPLOAD_QUEUE }\n"
    "  - { event: upload, from: IN_UPLOAD_QUEUE, to: UPLOADING }\n"
    "  - { event: uploaded, from: UPLOADING, to: UPLOADED }\n";

static int entered;
static void count_enter(const dosm_callback_info *info, void *user)
{
    (void)user;
    assert_string_equal(info->state, "IN_UPLOAD_QUEUE");
    assert_string_equal(info->event, DOSM_EVENT_RESTART);
    assert_int_equal(info->transition, -1);
    entered++;
}

static void fallback_is_a_step(void **unused)
{
    dosm_def *d = load_text(UPLOAD);
    dosm_instance inst = dosm_instance_initial(d), rebuilt;
    dosm_outcome out;
    dosm_step steps[4];
    dosm_record log;
    dosm_host *h = dosm_host_new(d, NULL);
    size_t len = 9, bad = 0;
    (void)unused;
    inst.state = (uint16_t)state(d, "UPLOADING");
    inst.previous = (int16_t)state(d, "IN_UPLOAD_QUEUE");
    inst.seq = 2;
    assert_int_equal(dosm_path(d, NULL, &inst, state(d, "IN_UPLOAD_QUEUE"),
                               NULL, steps, 4, &len, &out),
                     DOSM_OK);
    assert_int_equal(len, 1);
    assert_int_equal(steps[0].from, state(d, "UPLOADING"));
    assert_int_equal(steps[0].to, state(d, "IN_UPLOAD_QUEUE"));
    assert_int_equal(steps[0].event, -1);
    assert_int_equal(steps[0].transition, -1);
    assert_int_equal(dosm_host_on(h, DOSM_ON_ENTER, count_enter, NULL), DOSM_OK);
    entered = 0;
    assert_int_equal(dosm_reconcile(d, h, &inst, "In upload queue", NULL, &out),
                     DOSM_OK);
    assert_int_equal(entered, 1);
    assert_int_equal(inst.state, state(d, "IN_UPLOAD_QUEUE"));
    assert_int_equal(inst.previous, state(d, "UPLOADING"));
    assert_int_equal(inst.seq, 3);
    assert_int_equal(out.transition, -1);
    assert_string_equal(out.record.event, DOSM_EVENT_RESTART);
    assert_string_equal(out.record.from, "UPLOADING");
    assert_int_equal(out.record.effect_count, 0);
    /* dosm_replay accepts the record, as it accepts dosm_restart's */
    log = out.record;
    rebuilt.state = (uint16_t)state(d, "UPLOADING");
    rebuilt.previous = (int16_t)state(d, "IN_UPLOAD_QUEUE");
    rebuilt.seq = 2;
    assert_int_equal(dosm_replay(d, &rebuilt, &log, 1, &rebuilt, &bad, NULL),
                     DOSM_OK);
    assert_memory_equal(&rebuilt, &inst, sizeof inst);
    /* by vocabulary too: fhir ready is READY or IN_UPLOAD_QUEUE */
    inst.state = (uint16_t)state(d, "UPLOADING");
    inst.previous = (int16_t)state(d, "IN_UPLOAD_QUEUE");
    entered = 0;
    assert_int_equal(dosm_reconcile_external(d, h, &inst, "fhir", "ready",
                                             NULL, &out),
                     DOSM_OK);
    assert_int_equal(entered, 1);
    assert_int_equal(inst.state, state(d, "IN_UPLOAD_QUEUE"));
    dosm_host_free(h);
    dosm_def_free(d);
}

/* A transition is preferred to the fallback at the same distance. */
static void fallback_after_transitions(void **unused)
{
    const char *yaml =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "states:\n"
        "  A: { label: A, external: { fhir: ready } }\n"
        "  B: { label: B, transient: A, external: { fhir: in-progress } }\n"
        "  C: { label: C, final: true, external: { fhir: completed } }\n"
        "events: { go: ~, back: ~, done: }\n"
        "transitions:\n"
        "  - { event: go, from: A, to: B }\n"
        "  - { event: back, from: B, to: A }\n"
        "  - { event: done, from: B, to: C }\n";
    dosm_def *d = load_text(yaml);
    dosm_instance inst = dosm_instance_initial(d);
    dosm_outcome out;
    dosm_step steps[2];
    size_t len = 0;
    (void)unused;
    inst.state = 1;
    inst.previous = 0;
    assert_int_equal(dosm_path(d, NULL, &inst, 0, NULL, steps, 2, &len, &out),
                     DOSM_OK);
    assert_int_equal(len, 1);
    assert_int_equal(steps[0].event, dosm_event_find(d, "back"));
    assert_int_equal(dosm_reconcile(d, NULL, &inst, "A", NULL, &out), DOSM_OK);
    assert_string_equal(out.record.event, "back");
    dosm_def_free(d);
}

/* ---- the projection check ---- */

typedef struct seen {
    int n;
    int code[8];
    unsigned line[8], column[8];
    char text[8][DOSM_TEXT_MAX];
    char source[8][32];
} seen;

static void collect(void *user, const dosm_diagnostic *dg)
{
    seen *s = user;
    if (s->n < 8) {
        s->code[s->n] = dg->code;
        s->line[s->n] = dg->line;
        s->column[s->n] = dg->column;
        snprintf(s->text[s->n], sizeof s->text[0], "%s", dg->text);
        snprintf(s->source[s->n], sizeof s->source[0], "%s", dg->source);
        s->n++;
    }
    assert_int_equal(dg->severity, DOSM_ERROR);
}

static int check(const dosm_def *w, const char *vocab, const dosm_def *b,
                 seen *s, dosm_error *err)
{
    dosm_load_options opt;
    memset(s, 0, sizeof *s);
    dosm_load_options_init(&opt);
    opt.on_diagnostic = collect;
    opt.diagnostic_user = s;
    return dosm_vocab_check(w, vocab, b, "lab.yaml", &opt, err);
}

static void projection_holds(void **unused)
{
    dosm_def *w = load_text(LAB), *b = load_text(REMOTE);
    dosm_error err;
    seen s;
    (void)unused;
    /* QUEUED -> DESIGN keeps DESIGN_IN_PROGRESS; NEW -> QUEUED: SENT
     * reaches WAITING_FOR_DESIGN; DESIGN -> REVIEW keeps its value */
    assert_int_equal(check(w, "dwos-connect", b, &s, &err), DOSM_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(err.code, DOSM_OK);
    dosm_def_free(w);
    dosm_def_free(b);
}

static void projection_violations(void **unused)
{
    const char *bad =
        "dosm: 1\nname: lab\ntitle: Lab\nrevision: 1\ninitial: NEW\n"
        "vocabularies:\n"
        "  dwos-connect: { workflow: remote }\n"
        "states:\n"
        "  NEW: { label: New, external: { fhir: requested, dwos-connect: Designed } }\n"
        "  BACK: { label: Back, external: { fhir: requested, dwos-connect: [SENT, NOWHERE] } }\n"
        "  HOLD: { label: Hold, external: { fhir: on-hold } }\n"
        "  DONE: { label: Done, final: true, external: { fhir: completed, dwos-connect: DESIGNED } }\n"
        "events: { back: ~, hold: ~, resume: ~, finish: }\n"
        "transitions:\n"
        "  - { event: back, from: NEW, to: BACK }\n"
        "  - { event: hold, from: BACK, to: HOLD }\n"
        "  - { event: resume, from: HOLD, to: previous }\n"
        "  - { event: finish, from: any, to: DONE }\n";
    dosm_def *w = load_text(bad), *b = load_text(REMOTE);
    dosm_error err;
    seen s;
    (void)unused;
    assert_int_equal(check(w, "dwos-connect", b, &s, &err), DOSM_D_VOCAB_VALUE);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.code[0], DOSM_D_VOCAB_VALUE);
    assert_int_equal(s.line[0], 10);
    assert_int_equal(s.column[0], 74);
    assert_string_equal(s.text[0], "dwos-connect 'NOWHERE' of state BACK is "
                                   "not a state of workflow remote");
    assert_string_equal(s.source[0], "lab.yaml");
    /* NEW (Designed, by label) -> BACK (SENT): back in remote */
    assert_int_equal(s.code[1], DOSM_D_PROJECTION);
    assert_int_equal(s.line[1], 15);
    assert_int_equal(s.column[1], 5);
    assert_string_equal(s.text[1], "NEW -> BACK maps Designed -> [SENT, "
                                   "NOWHERE], which remote does not allow");
    /* from: any makes BACK -> DONE (SENT reaches DESIGNED), HOLD -> DONE
     * (HOLD has no value: skipped) and NEW -> DONE (Designed, a label, is
     * DESIGNED: it keeps its value); resume leaves HOLD: skipped */
    assert_int_equal(err.code, DOSM_D_VOCAB_VALUE);
    assert_int_equal(err.line, 10);
    assert_string_equal(err.source, "lab.yaml");
    dosm_def_free(w);
    dosm_def_free(b);
}

static void projection_refusals(void **unused)
{
    dosm_def *w = load_text(LAB), *b = load_text(REMOTE);
    dosm_error err;
    seen s;
    (void)unused;
    /* fhir is bound to fhir-task, not to remote */
    assert_int_equal(check(w, "fhir", b, &s, &err), DOSM_E_WORKFLOW);
    assert_string_equal(err.text, "vocabulary 'fhir' of lab is bound to "
                                  "workflow fhir-task, not remote");
    assert_int_equal(check(w, "nope", b, &s, &err), DOSM_E_NAME);
    assert_int_equal(check(w, "dwos-connect", NULL, &s, &err), DOSM_E_ARG);
    assert_int_equal(check(NULL, "dwos-connect", b, &s, &err), DOSM_E_ARG);
    assert_int_equal(dosm_vocab_check(w, "dwos-connect", b, NULL, NULL, NULL),
                     DOSM_OK);
    /* an unbound vocabulary may be checked against any workflow */
    assert_int_equal(check(w, "itero-lab", b, &s, &err), DOSM_D_VOCAB_VALUE);
    assert_int_equal(s.n, 1);
    dosm_def_free(w);
    dosm_def_free(b);
}

/* to: previous in the bound workflow: FHIR's on-hold returns to where it
 * came from, so in-progress -> on-hold -> in-progress is allowed. */
static void projection_through_previous(void **unused)
{
    const char *fhir =
        "dosm: 1\nname: task\ntitle: Task\nrevision: 1\ninitial: REQUESTED\n"
        "states:\n"
        "  REQUESTED: { label: requested, external: { fhir: requested } }\n"
        "  IN_PROGRESS: { label: in-progress, external: { fhir: in-progress } }\n"
        "  ON_HOLD: { label: on-hold, external: { fhir: on-hold } }\n"
        "  COMPLETED: { label: completed, final: true, external: { fhir: completed } }\n"
        "events: { start: ~, hold: ~, resume: ~, finish: }\n"
        "transitions:\n"
        "  - { event: start, from: REQUESTED, to: IN_PROGRESS }\n"
        "  - { event: hold, from: IN_PROGRESS, to: ON_HOLD }\n"
        "  - { event: resume, from: ON_HOLD, to: previous }\n"
        "  - { event: finish, from: IN_PROGRESS, to: COMPLETED }\n";
    const char *lab =
        "dosm: 1\nname: lab\ntitle: Lab\nrevision: 1\ninitial: A\n"
        "vocabularies:\n"
        "  fhir: { workflow: task }\n"
        "states:\n"
        "  A: { label: A, external: { fhir: requested } }\n"
        "  B: { label: B, external: { fhir: in-progress } }\n"
        "  P: { label: P, external: { fhir: on-hold } }\n"
        "  C: { label: C, final: true, external: { fhir: completed } }\n"
        "events: { go: ~, pause: ~, resume: ~, done: ~, reopen: }\n"
        "transitions:\n"
        "  - { event: go, from: A, to: B }\n"
        "  - { event: pause, from: B, to: P }\n"
        "  - { event: resume, from: P, to: B }\n"
        "  - { event: reopen, from: P, to: A }\n"
        "  - { event: done, from: B, to: C }\n";
    dosm_def *w = load_text(lab), *b = load_text(fhir);
    dosm_error err;
    seen s;
    (void)unused;
    assert_int_equal(check(w, "fhir", b, &s, &err), DOSM_D_PROJECTION);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.line[0], 18);
    assert_string_equal(s.text[0], "P -> A maps on-hold -> requested, which "
                                   "task does not allow");
    dosm_def_free(w);
    dosm_def_free(b);
}

/* The hash does not cover vocabularies nor external values. */
static void hash_ignores_vocabularies(void **unused)
{
    const char *plain =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "states:\n"
        "  A: { label: A, external: { fhir: requested } }\n"
        "  B: { label: B, final: true, external: { fhir: completed } }\n"
        "events: { go: }\ntransitions: [ { event: go, from: A, to: B } ]\n";
    const char *rich =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "vocabularies: { fhir: { workflow: fhir-task }, x: { description: X } }\n"
        "states:\n"
        "  A: { label: A, external: { fhir: [requested, received], x: [a, b] } }\n"
        "  B: { label: B, final: true, external: { fhir: completed, x: c } }\n"
        "events: { go: }\ntransitions: [ { event: go, from: A, to: B } ]\n";
    dosm_def *a = load_text(plain), *b = load_text(rich);
    (void)unused;
    assert_int_equal(dosm_def_hash(a), dosm_def_hash(b));
    dosm_def_free(a);
    dosm_def_free(b);
}

/* Every allocation of a load with vocabularies may fail, cleanly. */
static void load_sweep(void **unused)
{
    int problems = 0;
    (void)unused;
    assert_true(sweep_allocations(LAB, strlen(LAB), &problems) > 0);
    assert_int_equal(problems, 0);
}

static void check_sweep(void **unused)
{
    dosm_def *w, *b = load_text(REMOTE);
    long n;
    (void)unused;
    for (n = 1;; n++) {
        test_alloc t = {0};
        dosm_allocator a = test_allocator(&t);
        dosm_load_options opt;
        dosm_error err;
        int rc;
        dosm_load_options_init(&opt);
        opt.allocator = &a;
        assert_int_equal(dosm_load(LAB, strlen(LAB), "lab", &opt, &w, &err),
                         DOSM_OK);
        t.fail_at = t.count + n;
        rc = dosm_vocab_check(w, "dwos-connect", b, "lab", NULL, &err);
        dosm_def_free(w);
        assert_int_equal(t.live, 0);
        if (rc == DOSM_OK)
            break;
        assert_int_equal(rc, DOSM_E_NOMEM);
        assert_string_equal(err.text, "out of memory");
    }
    assert_true(n > 1);
    dosm_def_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vocabularies_declared),
        cmocka_unit_test(fhir_implicit),
        cmocka_unit_test(values_of_a_state),
        cmocka_unit_test(reverse_lookup),
        cmocka_unit_test(reverse_lookup_allocates_nothing),
        cmocka_unit_test(reconcile_by_value),
        cmocka_unit_test(reconcile_by_value_refusals),
        cmocka_unit_test(reconcile_by_value_several_unreachable),
        cmocka_unit_test(fallback_is_a_step),
        cmocka_unit_test(fallback_after_transitions),
        cmocka_unit_test(projection_holds),
        cmocka_unit_test(projection_violations),
        cmocka_unit_test(projection_refusals),
        cmocka_unit_test(projection_through_previous),
        cmocka_unit_test(hash_ignores_vocabularies),
        cmocka_unit_test(load_sweep),
        cmocka_unit_test(check_sweep),
    };
    return cmocka_run_group_tests_name("vocab", tests, NULL, NULL);
}

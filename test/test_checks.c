/* The checks of issue 17: guards that can never hold, renamed_from claims,
 * findings of every stage at once, and shortest paths that fire different
 * effects. Each finding is checked whole: code, position and sentence. */
#include "support.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define MAX_FOUND 16

typedef struct found {
    int code;
    unsigned line, col;
    char text[DOSM_TEXT_MAX];
} found;

typedef struct findings {
    found f[MAX_FOUND];
    int n;
} findings;

/* Errors and path-tie warnings; the other warnings are not these tests'. */
static void collect(void *user, const dosm_diagnostic *d)
{
    findings *got = user;
    if (d->code == DOSM_W_NO_FHIR || d->code == DOSM_W_UNUSED)
        return;
    print_message("    %u:%u: %s [%s]\n", d->line, d->column, d->text,
                  dosm_code_name(d->code));
    if (got->n < MAX_FOUND) {
        found *f = &got->f[got->n++];
        f->code = d->code;
        f->line = d->line;
        f->col = d->column;
        snprintf(f->text, sizeof f->text, "%s", d->text);
    }
}

typedef struct want {
    int code;
    unsigned line, col;
    const char *text;
} want;

/* Loads yaml and checks that it reports exactly the findings of w, in
 * order, and that the load's code is the first error's. */
static void expect_findings(const char *yaml, const want *w, int n)
{
    findings got;
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_error err;
    int rc, i, first = -1;
    memset(&got, 0, sizeof got);
    dosm_load_options_init(&opt);
    opt.on_diagnostic = collect;
    opt.diagnostic_user = &got;
    opt.flags = DOSM_LOAD_LINT; /* every finding, as dosm lint asks */
    rc = dosm_load(yaml, strlen(yaml), "t.yaml", &opt, &def, &err);
    for (i = 0; i < n && i < got.n; i++) {
        assert_string_equal(dosm_code_name(got.f[i].code),
                            dosm_code_name(w[i].code));
        assert_int_equal(got.f[i].line, w[i].line);
        assert_int_equal(got.f[i].col, w[i].col);
        assert_string_equal(got.f[i].text, w[i].text);
        if (first < 0 && w[i].code < 300 /* not a DOSM_W_* */)
            first = i;
    }
    assert_int_equal(got.n, n);
    if (first < 0) {
        assert_int_equal(rc, DOSM_OK);
        assert_non_null(def);
    } else {
        assert_null(def);
        assert_int_equal(rc, w[first].code);
        assert_int_equal(err.line, w[first].line);
        assert_int_equal(err.column, w[first].col);
    }
    dosm_def_free(def);
}

#define HEAD "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"

/* ---- guards that can never hold ---- */

/* A workflow whose one guard (line 21, column 12) is `guard`: it reports
 * text there, or nothing when text is NULL. */
static void expect_guard(const char *guard, const char *text)
{
    char yaml[2048];
    want w;
    snprintf(yaml, sizeof yaml,
             HEAD "attributes:\n"
                  "  units: { type: integer }\n"
                  "  v: { type: version }\n"
                  "  tier: { type: enum, values: [a, b, c] }\n"
                  "  rush: { type: boolean }\n"
                  "  s: { type: string }\n"
                  "states:\n"
                  "  A: { label: a }\n"
                  "  B: { label: b, final: true }\n"
                  "events:\n"
                  "  go:\n"
                  "transitions:\n"
                  "  - event: go\n"
                  "    from: A\n"
                  "    to: B\n"
                  "    guard: %s\n",
             guard);
    w.code = DOSM_D_GUARD_NEVER;
    w.line = 21;
    w.col = 12;
    w.text = text;
    expect_findings(yaml, &w, text ? 1 : 0);
}

static void test_never_integers(void **state)
{
    (void)state;
    expect_guard("units > 5 and units < 3",
                 "guard can never hold: units > 5 and units < 3 leave no "
                 "value");
    expect_guard("units in 5..3",
                 "guard can never hold: units in 5..3 leaves no value");
    expect_guard("units > 3 and rush and units <= 3",
                 "guard can never hold: units > 3 and units <= 3 leave no "
                 "value");
    expect_guard("units > 3 and units < 5", NULL);
}

static void test_never_versions(void **state)
{
    (void)state;
    expect_guard("v in 2.3..2.1",
                 "guard can never hold: v in 2.3..2.1 leaves no value");
    expect_guard("v >= 2.3 and v < 2.3",
                 "guard can never hold: v >= 2.3 and v < 2.3 leave no value");
    expect_guard("v in 2.1..2.1", NULL);
}

static void test_never_enums_booleans_texts(void **state)
{
    (void)state;
    expect_guard("tier in [a] and tier == b",
                 "guard can never hold: tier in [a] and tier == b leave no "
                 "value");
    expect_guard("tier in [a, b] and tier in [c]",
                 "guard can never hold: tier in [a, b] and tier in [c] leave "
                 "no value");
    expect_guard("rush and rush == false",
                 "guard can never hold: rush and rush == false leave no "
                 "value");
    expect_guard("s == 'x' and s == 'y'",
                 "guard can never hold: s == 'x' and s == 'y' leave no value");
    expect_guard("tier in [a, b] and tier == b", NULL);
    /* `or`, `not` and != are not analysed: such guards are not judged */
    expect_guard("(units > 5 and units < 3) or rush", NULL);
    expect_guard("units > 5 and units < 3 and tier != a", NULL);
}

/* A sentence longer than a diagnostic is cut, not overrun. */
static void test_never_long_sentence(void **state)
{
    char guard[1024], text[DOSM_TEXT_MAX];
    size_t len = 0;
    int i;
    (void)state;
    len += (size_t)snprintf(guard + len, sizeof guard - len, "tier in [a");
    for (i = 0; i < 60; i++)
        len += (size_t)snprintf(guard + len, sizeof guard - len, ", a");
    snprintf(guard + len, sizeof guard - len, "] and tier == b");
    memcpy(text, "guard can never hold: ", 22);
    memcpy(text + 22, guard, sizeof text - 23);
    text[sizeof text - 1] = '\0';
    expect_guard(guard, text);
}

/* ---- renamed_from ---- */

static void test_renamed_claimed_twice(void **state)
{
    static const char yaml[] =
        HEAD "states:\n"
             "  A: { label: a, renamed_from: [OLD, X, [Q]] }\n"
             "  B: { label: LEGACY, renamed_from: [Y, OLD, A] }\n"
             "  C: { label: c, final: true, renamed_from: [c9, Z, Z, OLD, LEGACY] }\n"

             "events:\n"
             "  go:\n"
             "transitions:\n"
             "  - { event: go, from: A, to: B }\n"
             "  - { event: go, from: B, to: C }\n";
    /* LEGACY is B's label, not an id: C may claim it */
    static const want w[] = {
        {DOSM_D_TYPE, 7, 41, "renamed_from id must be text, not a list"},
        {DOSM_D_IDENT, 9, 46,
         "renamed_from id 'c9' must be UPPER_SNAKE_CASE (A-Z, 0-9, _), start "
         "with a letter and have at most 64 characters"},
        {DOSM_D_VALUE, 9, 53, "renamed_from id 'Z' is listed twice"},
        {DOSM_D_CLASH, 8, 41, "state B claims old id OLD, which state A claims "
                              "at 7:33"},
        {DOSM_D_CLASH, 8, 46, "state B claims old id A, which is the id of "
                              "state A (7:3)"},
        {DOSM_D_CLASH, 9, 56, "state C claims old id OLD, which state A claims "
                              "at 7:33"},
    };
    (void)state;
    expect_findings(yaml, w, 6);
}

/* A, B and D of revision 1 are C, C and D of revision 2. */
static const char folded[] =
    "dosm: 1\nname: t\ntitle: T\nrevision: 2\ninitial: C\n"
    "states:\n"
    "  C: { label: c, renamed_from: [A, B] }\n"
    "  D: { label: d }\n"
    "  E: { label: e, final: true }\n"
    "events:\n"
    "  go:\n"
    "  back:\n"
    "  done:\n"
    "transitions:\n"
    "  - { event: go, from: C, to: D }\n"
    "  - { event: back, from: [C, D], to: previous }\n"
    "  - { event: done, from: [C, D], to: E }\n";

static void test_renamed_folded_previous(void **state)
{
    dosm_def *d = load_text(folded);
    dosm_instance inst;
    dosm_outcome out;
    dosm_instance again;
    dosm_request back;
    dosm_error err;
    char text[DOSM_SNAPSHOT_MAX];
    (void)state;
    memset(&back, 0, sizeof back);
    back.event = "back";
    /* A<B: both are C now, so C has no previous and cannot step back */
    assert_int_equal(dosm_decode(d, "t@1.00000000:A<B#3", &inst, &err),
                     DOSM_OK);
    assert_int_equal(inst.state, dosm_state_find(d, "C"));
    assert_int_equal(inst.previous, DOSM_NO_STATE);
    assert_int_equal(inst.seq, 3);
    assert_int_equal(dosm_fire(d, NULL, &inst, &back, &out),
                     DOSM_R_NO_HISTORY);
    /* A<D: the previous state is another, and kept */
    assert_int_equal(dosm_decode(d, "t@1.00000000:A<D#3", &inst, &err),
                     DOSM_OK);
    assert_int_equal(inst.state, dosm_state_find(d, "C"));
    assert_int_equal(inst.previous, dosm_state_find(d, "D"));
    assert_int_equal(dosm_fire(d, NULL, &inst, &back, &out), DOSM_OK);
    assert_int_equal(inst.state, dosm_state_find(d, "D"));
    /* an instance a host made with previous = state is not folded: it
     * decodes as it was encoded */
    inst.state = (uint16_t)dosm_state_find(d, "C");
    inst.previous = (int16_t)inst.state;
    assert_int_equal(dosm_encode(d, &inst, text, sizeof text), DOSM_OK);
    assert_int_equal(dosm_decode(d, text, &again, &err), DOSM_OK);
    assert_int_equal(again.state, inst.state);
    assert_int_equal(again.previous, inst.state);
    dosm_def_free(d);
}

/* ---- findings of every stage at once ---- */

static void test_stages_unknown_key_and_graph(void **state)
{
    static const char yaml[] =
        HEAD "colour: blue\n"
             "states:\n"
             "  A: { label: a, note: x }\n"
             "  B: { label: b }\n"
             "  C: { label: c, final: true }\n"
             "events:\n"
             "  go:\n"
             "transitions:\n"
             "  - { event: go, from: A, to: B }\n";
    static const want w[] = {
        {DOSM_D_UNKNOWN_KEY, 6, 1, "unknown key 'colour' in the definition"},
        {DOSM_D_UNKNOWN_KEY, 8, 18, "unknown key 'note' in a state"},
        {DOSM_D_DEAD_END, 9, 3,
         "state B is not final but no transition leaves it"},
        {DOSM_D_UNREACHABLE, 10, 3,
         "state C cannot be reached from the initial state A"},
    };
    (void)state;
    expect_findings(yaml, w, 4);
}

static void test_stages_every_missing_key(void **state)
{
    static const char top[] = HEAD "states:\n  A: { label: a }\n";
    static const want w_top[] = {
        {DOSM_D_MISSING, 1, 1, "the definition needs 'events'"},
        {DOSM_D_MISSING, 1, 1, "the definition needs 'transitions'"},
    };
    static const char timeout[] =
        HEAD "states:\n"
             "  A: { label: a, timeout: { } }\n"
             "  B: { label: b, final: true }\n"
             "events:\n"
             "  go:\n"
             "transitions:\n"
             "  - { event: go, from: A, to: B }\n";
    static const want w_timeout[] = {
        {DOSM_D_MISSING, 7, 27, "a timeout needs 'after'"},
        {DOSM_D_MISSING, 7, 27, "a timeout needs 'event'"},
    };
    (void)state;
    expect_findings(top, w_top, 2);
    expect_findings(timeout, w_timeout, 2);
}

/* A broken transition is left out, and what its absence would make look
 * wrong (A a dead end, B unreachable) is not reported. */
static void test_stages_no_consequences(void **state)
{
    static const char no_to[] =
        HEAD "states:\n"
             "  A: { label: a }\n"
             "  B: { label: b, final: true }\n"
             "events:\n"
             "  go:\n"
             "transitions:\n"
             "  - { event: go, from: A }\n"
             "  - 3\n";
    static const want w_no_to[] = {
        {DOSM_D_MISSING, 12, 5, "a transition needs 'to'"},
        {DOSM_D_TYPE, 13, 5, "a transition must be a mapping, not text"},
    };
    static const char misspelt[] =
        HEAD "states:\n"
             "  A: { label: a }\n"
             "  B: { label: b, fnal: true }\n"
             "  C: 3\n"
             "  D: { label: d, final: yes }\n"
             "events:\n"
             "  go:\n"
             "transitions:\n"
             "  - { event: go, from: A, to: B }\n"
             "  - { event: go, from: A, to: E }\n";
    static const want w_misspelt[] = {
        {DOSM_D_UNKNOWN_KEY, 8, 18,
         "unknown key 'fnal' in a state; did you mean 'final'?"},
        {DOSM_D_TYPE, 9, 6, "C must be a mapping, not text"},
        {DOSM_D_TYPE, 10, 25, "'final' must be true or false"},
        {DOSM_D_REF, 15, 31, "unknown state 'E'"},
    };
    (void)state;
    expect_findings(no_to, w_no_to, 2);
    expect_findings(misspelt, w_misspelt, 4);
}

/* An error in what the graph hangs on (the format, initial, a parent, the
 * rollup) leaves out the checks of the whole graph; one in the guards or
 * attributes the checks of guards; the rest is still checked. */
static void test_stages_partial_checks(void **state)
{
    static const char format[] =
        "dosm: 2\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "states:\n  A: { label: a }\n  B: { label: b, final: true }\n"
        "events:\n  go:\n"
        "transitions:\n  - { event: go, from: B, to: A }\n";
    static const want w_format[] = {
        {DOSM_D_FORMAT, 1, 7,
         "format version '2' is not supported; this library reads 1"},
        {DOSM_D_FINAL_OUT, 12, 5,
         "state B is final; no transition may leave it"},
    };
    static const char initial[] =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: X\n"
        "states:\n  A: { label: a }\n  B: { label: b, parent: P }\n"
        "  C: { label: c, final: true }\n"
        "events:\n  go:\n"
        "rollup: { mixed: Q }\n"
        "transitions:\n  - { event: go, from: C, to: A }\n";
    static const want w_initial[] = {
        {DOSM_D_REF, 8, 26, "unknown state 'P'"},
        {DOSM_D_INITIAL, 5, 10,
         "the initial state 'X' is not a state of this workflow"},
        {DOSM_D_REF, 12, 18, "unknown state 'Q'"},
        {DOSM_D_FINAL_OUT, 14, 5,
         "state C is final; no transition may leave it"},
    };
    static const char guards[] =
        HEAD "attributes:\n  units: { type: integr }\n"
             "states:\n  A: { label: a }\n  B: { label: b }\n"
             "events:\n  go:\n"
             "transitions:\n"
             "  - { event: go, from: A, to: B }\n"
             "  - { event: go, from: A, to: B, gaurd: \"units > 5\" }\n";
    static const want w_guards[] = {
        {DOSM_D_VALUE, 7, 18,
         "type 'integr' is not one of string, enum, integer, ..."},
        {DOSM_D_UNKNOWN_KEY, 15, 34,
         "unknown key 'gaurd' in a transition; did you mean 'guard'?"},
        {DOSM_D_DEAD_END, 10, 3,
         "state B is not final but no transition leaves it"},
    };
    (void)state;
    expect_findings(format, w_format, 2);
    expect_findings(initial, w_initial, 4);
    expect_findings(guards, w_guards, 3);
}

/* ---- shortest paths that fire different effects ---- */

static void test_tie_diamond(void **state)
{
    static const char yaml[] =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: S\n"
        "effects:\n  notify:\n  bill:\n"
        "states:\n"
        "  S: { label: s }\n"                                     /* 10 */
        "  A: { label: a }\n"
        "  B: { label: b }\n"
        "  C: { label: c }\n"
        "  D: { label: d, final: true }\n"
        "events:\n  go:\n  x:\n  y:\n  back:\n  stay:\n"
        "transitions:\n"                                          /* 21 */
        "  - { event: go, from: S, to: A }\n"
        "  - { event: x, from: A, to: B, effects: [notify] }\n"
        "  - { event: back, from: [B, C], to: previous }\n"
        "  - { event: stay, from: A, to: A, effects: [bill] }\n"  /* 25 */
        "  - { event: y, from: A, to: C }\n"
        "  - { event: go, from: B, to: D, effects: [bill] }\n"
        "  - { event: go, from: C, to: D, effects: [bill] }\n";
    /* once, though the paths from S and from A both part there */
    static const want w[] = {
        {DOSM_W_PATH_TIE, 26, 5,
         "two shortest paths from S to D fire different effects: the one "
         "through line 23 (notify, bill) is taken, not the one through line "
         "26 (bill)"},
    };
    findings got;
    dosm_load_options opt;
    dosm_def *def = NULL;
    (void)state;
    expect_findings(yaml, w, 1);
    /* a host's load (no DOSM_LOAD_LINT) does not pay for the check */
    memset(&got, 0, sizeof got);
    dosm_load_options_init(&opt);
    opt.on_diagnostic = collect;
    opt.diagnostic_user = &got;
    assert_int_equal(dosm_load(yaml, strlen(yaml), "t.yaml", &opt, &def, NULL),
                     DOSM_OK);
    assert_int_equal(got.n, 0);
    dosm_def_free(def);
}

/* The same effects, or one event's transitions (chosen by guards): no
 * tie. */
static void test_tie_none(void **state)
{
    static const char yaml[] =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "attributes:\n  rush: { type: boolean }\n"
        "effects:\n  notify:\n"
        "states:\n  A: { label: a }\n  B: { label: b }\n  C: { label: c }\n"
        "  D: { label: d }\n  E: { label: e, final: true }\n"
        "events:\n  go:\n  x:\n  y:\n"
        "transitions:\n"
        "  - { event: go, from: A, to: B, guard: rush, effects: [notify] }\n"
        "  - { event: go, from: A, to: C, guard: not rush }\n"
        "  - { event: x, from: [B, C], to: D }\n"
        "  - { event: x, from: D, to: E, effects: [notify] }\n"
        "  - { event: y, from: D, to: E, effects: [notify] }\n";
    (void)state;
    expect_findings(yaml, NULL, 0);
}

/* A transient state's fallback is a step, tried after its transitions. */
static void test_tie_fallback(void **state)
{
    static const char yaml[] =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "effects:\n  notify:\n"
        "states:\n"
        "  A: { label: a, transient: B }\n"
        "  B: { label: b, final: true }\n"                        /* 10 */
        "events:\n  go:\n"
        "transitions:\n"
        "  - { event: go, from: A, to: B, effects: [notify] }\n";
    static const want w[] = {
        {DOSM_W_PATH_TIE, 9, 3,
         "two shortest paths from A to B fire different effects: the one "
         "through line 14 (notify) is taken, not the one through the "
         "fallback of A (no effect)"},
    };
    (void)state;
    expect_findings(yaml, w, 1);
}

/* A parent's transition that each child overrides is never taken; one
 * that a guard lets through, or that a state does not override, is. */
static void test_never_taken_overridden_everywhere(void **state)
{
    static const char yaml[] =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: B\n"
        "attributes:\n  rush: { type: boolean }\n"
        "states:\n"
        "  P: { label: p }\n"
        "  B: { label: b, parent: P }\n"                         /* 10 */
        "  C: { label: c, parent: P }\n"
        "  D: { label: d, final: true }\n"
        "events:\n  go:\n  hold:\n"
        "transitions:\n"
        "  - { event: go, from: B, to: C }\n"
        "  - { event: go, from: C, to: D }\n"
        "  - { event: hold, from: P, to: D }\n"
        "  - { event: hold, from: B, to: C, guard: rush }\n"    /* 20 */
        "  - { event: go, from: any, to: B }\n";
    static const want w[] = {
        {DOSM_W_NEVER_TAKEN, 21, 5,
         "this transition of 'go' is never taken: in each state it applies "
         "to, an earlier transition takes the event (in B, the one at line "
         "17)"},
    };
    (void)state;
    expect_findings(yaml, w, 1);
}

/* A parent's transition whose children are all final applies to no
 * state an order can leave. */
static void test_never_taken_final_children(void **state)
{
    static const char yaml[] =
        "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
        "states:\n"
        "  A: { label: a }\n"
        "  P: { label: p }\n"
        "  F: { label: f, parent: P, final: true }\n"
        "events:\n  go:\n  stop:\n"                            /* 10 */
        "transitions:\n"
        "  - { event: go, from: A, to: F }\n"
        "  - { event: stop, from: P, to: A }\n";
    static const want w[] = {
        {DOSM_W_NEVER_TAKEN, 15, 5,
         "this transition of 'stop' is never taken: every state it applies "
         "to is final, and a final state refuses every event"},
    };
    (void)state;
    expect_findings(yaml, w, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_never_integers),
        cmocka_unit_test(test_never_versions),
        cmocka_unit_test(test_never_enums_booleans_texts),
        cmocka_unit_test(test_never_long_sentence),
        cmocka_unit_test(test_renamed_claimed_twice),
        cmocka_unit_test(test_renamed_folded_previous),
        cmocka_unit_test(test_stages_unknown_key_and_graph),
        cmocka_unit_test(test_stages_every_missing_key),
        cmocka_unit_test(test_stages_no_consequences),
        cmocka_unit_test(test_stages_partial_checks),
        cmocka_unit_test(test_tie_diamond),
        cmocka_unit_test(test_tie_none),
        cmocka_unit_test(test_tie_fallback),
        cmocka_unit_test(test_never_taken_overridden_everywhere),
        cmocka_unit_test(test_never_taken_final_children),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

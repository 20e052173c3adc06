/*
 * fuzz_decode: dosm_decode of arbitrary strings.
 *
 * The input is one string (up to its first NUL). It is decoded against
 * every workflow: the shipped ones (states/NAME.yaml), the test suite's good
 * definitions (test/defs/good/) and two definitions below that rename
 * states (`renamed_from`), so strings of older revisions decode too. When
 * the string contains "%H" or "%R" it is decoded a second time with those
 * replaced by each workflow's current hash and revision, so seeds such as
 * "vivo@%R.%H:NEW#0" stay valid whatever the hash becomes.
 *
 * Invariants checked (abort() with a message when one fails):
 *  - the result is DOSM_OK or one of the documented failures; the error
 *    says the same code; a failure leaves the instance untouched;
 *  - a string that decodes gives a valid instance (a state that is not a
 *    parent, a previous state that is none or not a parent, busy bit
 *    clear) of that workflow only (a string decodes only against the
 *    workflow it names);
 *  - it re-encodes, and the re-encoded string decodes to the same
 *    instance and re-encodes to itself;
 *  - a string of the current revision in canonical form (numbers without
 *    leading zeros) re-encodes to exactly itself;
 *  - dosm_encode into a buffer one byte too small fails with
 *    DOSM_E_BUFFER and leaves "".
 */
#include "fuzz_common.h"

/* Revision 3 of a workflow whose states were renamed over time. */
static const char renamed_yaml[] =
    "dosm: 1\n"
    "name: renamed\n"
    "title: States renamed across revisions\n"
    "revision: 3\n"
    "initial: NEW\n"
    "states:\n"
    "  NEW: { label: New, renamed_from: [CREATED, OPEN], "
    "external: { fhir: requested } }\n"
    "  WORK: { label: Work }\n"
    "  DESIGN: { label: Design, parent: WORK, renamed_from: [CAD], "
    "external: { fhir: in-progress } }\n"
    "  MILL: { label: Mill, parent: WORK, renamed_from: [MILLING, CAM], "
    "external: { fhir: in-progress } }\n"
    "  HOLD: { label: On hold, renamed_from: [PAUSED], "
    "external: { fhir: on-hold } }\n"
    "  DONE: { label: Done, final: true, renamed_from: [SHIPPED, SENT], "
    "external: { fhir: completed } }\n"
    "events: { design: , mill: , ship: , hold: , resume: }\n"
    "transitions:\n"
    "  - { event: design, from: NEW, to: DESIGN }\n"
    "  - { event: mill, from: DESIGN, to: MILL }\n"
    "  - { event: ship, from: MILL, to: DONE }\n"
    "  - { event: hold, from: [NEW, WORK], to: HOLD }\n"
    "  - { event: resume, from: HOLD, to: previous }\n";

/* A group that was a state in earlier revisions: PRODUCTION became the
 * parent of DESIGN and MILL, and keeps its old id under renamed_from.
 * Such a snapshot once decoded to a parent state (regressions/
 * decode-renamed-parent); the loader now refuses the definition
 * (DOSM_D_PARENT), and the target says so at start. */
static const char renamed_parent_yaml[] =
    "dosm: 1\n"
    "name: renamed-parent\n"
    "title: A state that became a group\n"
    "revision: 2\n"
    "initial: NEW\n"
    "states:\n"
    "  NEW: { label: New, external: { fhir: requested } }\n"
    "  WORK: { label: Work, renamed_from: [PRODUCTION] }\n"
    "  DESIGN: { label: Design, parent: WORK, "
    "external: { fhir: in-progress } }\n"
    "  MILL: { label: Mill, parent: WORK, external: { fhir: in-progress } }\n"
    "  DONE: { label: Done, final: true, external: { fhir: completed } }\n"
    "events: { design: , mill: , ship: }\n"
    "transitions:\n"
    "  - { event: design, from: NEW, to: DESIGN }\n"
    "  - { event: mill, from: DESIGN, to: MILL }\n"
    "  - { event: ship, from: MILL, to: DONE }\n";

static void load_embedded(const char *yaml, const char *source)
{
    fuzz_workflow *w = &fuzz_workflows[fuzz_workflow_count];
    dosm_error err;
    int rc;
    FUZZ_CHECK(fuzz_workflow_count < FUZZ_MAX_WORKFLOWS, "too many");
    rc = dosm_load(yaml, strlen(yaml), source, NULL, &w->def, &err);
    if (rc != DOSM_OK) {
        /* The loader may rightly refuse a definition (renamed_from on a
         * parent, say); then there is nothing to decode against. */
        fprintf(stderr, "fuzz_decode: %s not loaded: %s %u:%u %s\n", source,
                dosm_code_name(rc), err.line, err.column, err.text);
        return;
    }
    snprintf(w->file, sizeof w->file, "%s", source);
    fuzz_workflow_count++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_workflows();
    load_embedded(renamed_yaml, "renamed.yaml");
    load_embedded(renamed_parent_yaml, "renamed-parent.yaml");
    return 0;
}

/* Does the decodable string s write its revision and seq canonically (no
 * leading zeros)? s has the form NAME@REV.HASH:STATE[<PREV]#SEQ. */
static int canonical_numbers(const char *s, uint32_t *rev)
{
    const char *at = strchr(s, '@'), *hash = strrchr(s, '#');
    if (!at || !hash)
        return 0;
    *rev = (uint32_t)strtoul(at + 1, NULL, 10);
    if (at[1] == '0' && at[2] != '.')
        return 0;
    if (hash[1] == '0' && hash[2] != '\0')
        return 0;
    return 1;
}

static void check_one(const fuzz_workflow *w, const char *text)
{
    const dosm_def *def = w->def;
    const char *name = dosm_def_name(def);
    size_t name_len = strlen(name);
    dosm_instance inst, back, sentinel;
    dosm_error err;
    char again[DOSM_SNAPSHOT_MAX], third[DOSM_SNAPSHOT_MAX];
    char small[DOSM_SNAPSHOT_MAX];
    uint32_t rev;
    size_t len;
    int rc, rc2;

    memset(&sentinel, 0xA5, sizeof sentinel);
    inst = sentinel;
    memset(&err, 0x5A, sizeof err);
    rc = dosm_decode(def, text, &inst, &err);
    FUZZ_CHECK(rc == DOSM_OK || rc == DOSM_E_SNAPSHOT ||
                   rc == DOSM_E_WORKFLOW || rc == DOSM_E_REVISION ||
                   rc == DOSM_E_NAME,
               "%s: decoding '%s' returned %s", w->file, text,
               dosm_code_name(rc));
    FUZZ_CHECK(err.code == rc, "%s: decoding '%s' returned %s, the error "
               "says %s", w->file, text, dosm_code_name(rc),
               dosm_code_name(err.code));
    FUZZ_CHECK(memchr(err.text, '\0', sizeof err.text) != NULL,
               "the error text is not terminated");
    rc2 = dosm_decode(def, text, &back, NULL);
    FUZZ_CHECK(rc2 == rc, "%s: '%s' decodes with %s, then with %s without "
               "an error struct", w->file, text, dosm_code_name(rc),
               dosm_code_name(rc2));
    if (rc != DOSM_OK) {
        FUZZ_CHECK(fuzz_same_instance(&inst, &sentinel),
                   "%s: a failed decode (%s) of '%s' changed the instance",
                   w->file, dosm_code_name(rc), text);
        FUZZ_CHECK(err.text[0] != '\0', "%s: %s without text", w->file,
                   dosm_code_name(rc));
        return;
    }

    FUZZ_CHECK(strncmp(text, name, name_len) == 0 && text[name_len] == '@',
               "%s: '%s' decodes though it names another workflow", w->file,
               text);
    FUZZ_CHECK(fuzz_same_instance(&back, &inst), "%s: '%s' decodes twice "
               "to different instances", w->file, text);
    FUZZ_CHECK_INSTANCE(def, &inst, text);

    rc = dosm_encode(def, &inst, again, sizeof again);
    FUZZ_CHECK(rc == DOSM_OK, "%s: '%s' decodes to {state %u, previous %u, "
               "seq %u}, which does not encode: %s", w->file, text,
               (unsigned)inst.state, (unsigned)inst.previous,
               (unsigned)inst.seq, dosm_code_name(rc));
    memset(&back, 0xA5, sizeof back);
    rc = dosm_decode(def, again, &back, &err);
    FUZZ_CHECK(rc == DOSM_OK, "%s: '%s' re-encodes to '%s', which does not "
               "decode: %s %s", w->file, text, again, dosm_code_name(rc),
               err.text);
    FUZZ_CHECK(fuzz_same_instance(&back, &inst), "%s: '%s' and its "
               "re-encoding '%s' decode differently", w->file, text, again);
    rc = dosm_encode(def, &back, third, sizeof third);
    FUZZ_CHECK(rc == DOSM_OK && strcmp(third, again) == 0,
               "%s: '%s' re-encodes to '%s', then to '%s'", w->file, text,
               again, third);

    if (canonical_numbers(text, &rev)) {
        if (rev == dosm_def_revision(def))
            FUZZ_CHECK(strcmp(again, text) == 0, "%s: '%s', of the current "
                       "revision, re-encodes to '%s'", w->file, text, again);
    } else {
        static int once;
        char note[400];
        snprintf(note, sizeof note, "%s: '%s' decodes though dosm_encode "
                 "never writes leading zeros; it names the same instance "
                 "as '%s', so two different strings stand for one "
                 "snapshot", w->file, text, again);
        fuzz_note(&once, note);
    }

    len = strlen(again);
    rc = dosm_encode(def, &inst, small, len);
    FUZZ_CHECK(rc == DOSM_E_BUFFER && small[0] == '\0',
               "%s: encoding '%s' into %zu bytes: %s, '%s'", w->file, again,
               len, dosm_code_name(rc), small);
    rc = dosm_encode(def, &inst, small, len + 1);
    FUZZ_CHECK(rc == DOSM_OK && strcmp(small, again) == 0,
               "%s: encoding '%s' into %zu bytes: %s", w->file, again,
               len + 1, dosm_code_name(rc));
}

/* text with %H and %R replaced by w's hash and revision. */
static int substitute(const fuzz_workflow *w, const char *text, char *out,
                      size_t cap)
{
    size_t o = 0;
    const char *p;
    char hash[16], rev[16];
    snprintf(hash, sizeof hash, "%08x", (unsigned)dosm_def_hash(w->def));
    snprintf(rev, sizeof rev, "%u", (unsigned)dosm_def_revision(w->def));
    for (p = text; *p; p++) {
        const char *put = NULL;
        if (p[0] == '%' && p[1] == 'H')
            put = hash;
        else if (p[0] == '%' && p[1] == 'R')
            put = rev;
        if (put) {
            size_t n = strlen(put);
            if (o + n + 1 > cap)
                return 0;
            memcpy(out + o, put, n);
            o += n;
            p++;
        } else {
            if (o + 2 > cap)
                return 0;
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[1024], subst[2048];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1, i;
    int has_marks;
    if (size >= sizeof text)
        return 0; /* snapshots are short: DOSM_SNAPSHOT_MAX */
    memcpy(text, data, n);
    text[n] = '\0';
    has_marks = strstr(text, "%H") || strstr(text, "%R");
    for (i = 0; i < fuzz_workflow_count; i++) {
        check_one(&fuzz_workflows[i], text);
        if (has_marks && substitute(&fuzz_workflows[i], text, subst,
                                    sizeof subst))
            check_one(&fuzz_workflows[i], subst);
    }
    return 0;
}

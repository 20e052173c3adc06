/*
 * Shared helpers of the libFuzzer targets in test/fuzz/: invariant checks
 * that abort with a message, a cursor over the fuzzer's bytes, and the
 * workflows every runtime target works on (loaded once, at start).
 *
 * Each target includes this file once; everything here is static.
 */
#ifndef DOSM_FUZZ_COMMON_H
#define DOSM_FUZZ_COMMON_H

#include "dosm.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DOSM_SOURCE_DIR
#error "DOSM_SOURCE_DIR must name the source tree (test/fuzz/CMakeLists.txt)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- invariants ---- */

/* An invariant failed: say which and where, then abort so libFuzzer saves
 * the input as a crash. */
#define FUZZ_FAIL(...)                                                        \
    do {                                                                      \
        fprintf(stderr, "\n*** dosm fuzz invariant failed at %s:%d: ",        \
                __FILE__, __LINE__);                                          \
        fprintf(stderr, __VA_ARGS__);                                         \
        fputc('\n', stderr);                                                  \
        abort();                                                              \
    } while (0)

#define FUZZ_CHECK(cond, ...)                                                 \
    do {                                                                      \
        if (!(cond))                                                          \
            FUZZ_FAIL(__VA_ARGS__);                                           \
    } while (0)

#define FUZZ_BUSY 0x8000u

/* A valid instance of def: a non-parent state, a non-parent previous or
 * none, and not marked busy. Returns NULL when valid, else why not. */
static inline const char *fuzz_instance_problem(const dosm_def *def,
                                         const dosm_instance *inst)
{
    dosm_state_info info;
    int count = (int)dosm_state_count(def);
    if (inst->state & FUZZ_BUSY)
        return "the busy bit is set outside a callback";
    if ((int)inst->state >= count)
        return "state index out of range";
    if (dosm_state_get(def, inst->state, &info) != DOSM_OK || info.is_parent)
        return "state is a parent state";
    if (inst->previous != DOSM_NO_STATE) {
        if ((int)inst->previous >= count)
            return "previous index out of range";
        if (dosm_state_get(def, inst->previous, &info) != DOSM_OK ||
            info.is_parent)
            return "previous is a parent state";
    }
    return NULL;
}

#define FUZZ_CHECK_INSTANCE(def, inst, what)                                  \
    do {                                                                      \
        const char *why_ = fuzz_instance_problem((def), (inst));              \
        FUZZ_CHECK(!why_, "%s: %s: instance {state %u, previous %u, seq %u} " \
                   "invalid: %s", dosm_def_name(def), (what),                 \
                   (unsigned)(inst)->state, (unsigned)(inst)->previous,       \
                   (unsigned)(inst)->seq, why_);                              \
    } while (0)

static inline int fuzz_same_instance(const dosm_instance *a,
                                     const dosm_instance *b)
{
    return a->state == b->state && a->previous == b->previous &&
           a->seq == b->seq;
}

/* encode -> decode gives the instance back. */
static inline void fuzz_check_snapshot(const dosm_def *def,
                                       const dosm_instance *inst,
                                       const char *what)
{
    char buf[DOSM_SNAPSHOT_MAX];
    dosm_instance back;
    dosm_error err;
    int rc = dosm_encode(def, inst, buf, sizeof buf);
    FUZZ_CHECK(rc == DOSM_OK, "%s: %s: dosm_encode of a valid instance "
               "returned %s", dosm_def_name(def), what, dosm_code_name(rc));
    memset(&back, 0xA5, sizeof back);
    rc = dosm_decode(def, buf, &back, &err);
    FUZZ_CHECK(rc == DOSM_OK, "%s: %s: '%s' does not decode: %s %s",
               dosm_def_name(def), what, buf, dosm_code_name(rc), err.text);
    FUZZ_CHECK(fuzz_same_instance(&back, inst), "%s: %s: '%s' decodes to "
               "{%u, %u, %u}", dosm_def_name(def), what, buf,
               (unsigned)back.state, (unsigned)back.previous,
               (unsigned)back.seq);
}

/* ---- the fuzzer's bytes ---- */

typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

static inline unsigned fuzz_byte(fuzz_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static inline unsigned fuzz_u16(fuzz_in *in)
{
    unsigned v = fuzz_byte(in);
    return v | fuzz_byte(in) << 8;
}

static inline uint32_t fuzz_u32(fuzz_in *in)
{
    uint32_t v = fuzz_u16(in);
    return v | (uint32_t)fuzz_u16(in) << 16;
}

/* A length byte, then that many bytes (stopping at a NUL), into buf. */
static inline void fuzz_text(fuzz_in *in, char *buf, size_t cap)
{
    size_t len = fuzz_byte(in), i;
    for (i = 0; i < len && i + 1 < cap && in->n; i++) {
        char c = (char)fuzz_byte(in);
        if (c == '\0')
            break;
        buf[i] = c;
    }
    buf[i] = '\0';
}

/* ---- the workflows the runtime targets use ---- */

#define FUZZ_MAX_WORKFLOWS 32 /* the shipped workflows and test/defs/good */
#define FUZZ_MAX_NAMES 16

typedef struct fuzz_workflow {
    dosm_def *def;
    char file[64];
    /* Attribute and named-guard names, found in the guards' text (the API
     * does not list them); effect names from the transitions. */
    const char *attributes[FUZZ_MAX_NAMES];
    size_t attribute_count;
    const char *guards[FUZZ_MAX_NAMES];
    size_t guard_count;
    const char *effects[FUZZ_MAX_NAMES];
    size_t effect_count;
} fuzz_workflow;

static fuzz_workflow fuzz_workflows[FUZZ_MAX_WORKFLOWS];
static size_t fuzz_workflow_count;

static inline char *fuzz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
            *len = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

static inline int fuzz_name_known(const char *const *list, size_t n,
                                  const char *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static inline int fuzz_dummy_guard(const dosm_callback_info *info, void *user)
{
    (void)info;
    (void)user;
    return 0;
}

/* Names the guards of a workflow mention: attributes and named guards.
 * The strings are kept for the life of the process. */
static inline void fuzz_find_names(fuzz_workflow *w)
{
    dosm_host *probe = dosm_host_new(w->def, NULL);
    int t, n = (int)dosm_transition_count(w->def);
    size_t k;
    FUZZ_CHECK(probe != NULL, "dosm_host_new failed");
    for (t = 0; t < n; t++) {
        dosm_transition_info ti;
        const char *p;
        FUZZ_CHECK(dosm_transition_get(w->def, t, &ti) == DOSM_OK,
                   "dosm_transition_get(%d) failed", t);
        for (k = 0; k < ti.effect_count; k++)
            if (w->effect_count < FUZZ_MAX_NAMES &&
                !fuzz_name_known(w->effects, w->effect_count, ti.effects[k]))
                w->effects[w->effect_count++] = ti.effects[k];
        for (p = ti.guard; p && *p;) {
            char word[65];
            size_t len = 0;
            if (!(*p >= 'a' && *p <= 'z')) {
                p++;
                continue;
            }
            while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                   *p == '_') {
                if (len < 64)
                    word[len++] = *p;
                p++;
            }
            word[len] = '\0';
            if (dosm_attribute_check(w->def, word, "") != DOSM_E_NAME) {
                if (w->attribute_count < FUZZ_MAX_NAMES &&
                    !fuzz_name_known(w->attributes, w->attribute_count, word))
                    w->attributes[w->attribute_count++] = strdup(word);
            } else if (dosm_host_bind_guard(probe, word, fuzz_dummy_guard, NULL) ==
                       DOSM_OK) {
                if (w->guard_count < FUZZ_MAX_NAMES &&
                    !fuzz_name_known(w->guards, w->guard_count, word))
                    w->guards[w->guard_count++] = strdup(word);
            }
        }
    }
    dosm_host_free(probe);
}

static inline int fuzz_cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Loads every *.yaml of DOSM_SOURCE_DIR/dir, sorted by name, so a byte
 * picks the same workflow on every machine. */
static inline void fuzz_load_dir(const char *dir)
{
    char path[512];
    char *names[64];
    size_t n = 0, i;
    struct dirent *e;
    DIR *d;
    snprintf(path, sizeof path, "%s/%s", DOSM_SOURCE_DIR, dir);
    d = opendir(path);
    FUZZ_CHECK(d != NULL, "cannot open %s", path);
    while ((e = readdir(d)) != NULL && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], fuzz_cmp_names);
    for (i = 0; i < n; i++) {
        fuzz_workflow *w;
        dosm_error err;
        size_t len = 0;
        char *yaml;
        int rc;
        FUZZ_CHECK(fuzz_workflow_count < FUZZ_MAX_WORKFLOWS,
                   "too many workflows");
        w = &fuzz_workflows[fuzz_workflow_count];
        snprintf(path, sizeof path, "%s/%s/%s", DOSM_SOURCE_DIR, dir,
                 names[i]);
        yaml = fuzz_read_file(path, &len);
        FUZZ_CHECK(yaml != NULL, "cannot read %s", path);
        rc = dosm_load(yaml, len, names[i], NULL, &w->def, &err);
        FUZZ_CHECK(rc == DOSM_OK, "%s:%u:%u: %s: %s", path, err.line,
                   err.column, dosm_code_name(rc), err.text);
        snprintf(w->file, sizeof w->file, "%s/%s", dir, names[i]);
        fuzz_find_names(w);
        fuzz_workflow_count++;
        free(yaml);
        free(names[i]);
    }
}

/* The shipped workflows (states/), then the test suite's good
 * definitions (test/defs/good/: parents, `previous`, transient states,
 * every attribute type, a named guard), in a fixed order. */
static inline void fuzz_load_workflows(void)
{
    if (fuzz_workflow_count)
        return;
    fuzz_load_dir("states");
    fuzz_load_dir("test/defs/good");
    FUZZ_CHECK(fuzz_workflow_count > 0, "no workflows found");
}

/* ---- values a host may give ---- */

/* Payload field names of the workflows, and some that are none. */
static const char *const fuzz_fields[] = {
    "tracking_number", "parcels", "status_reason", "session_time",
    "carrier", "reason", "x", "",
};

/* Attribute and payload values: every type's edges, valid or not. */
static const char *const fuzz_values[] = {
    "true", "false", "TRUE", "yes", "1", "0", "-1", "2", "4", "5", "42",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "+1", " 1", "1 ", "01", "1e3", "0x10",
    "2.1", "2.1.0", "2.3.1", "2.3.2", "2.0.9", "3.0", "3", "0.0.0.0",
    "65535.65535.65535.65535", "65536", "1.2.3.4.5", "2..1", "2.", ".2",
    "quick", "full_arch", "other", "QUICK", "remote", "local", "",
    "'remote'", "1Z999AA10123456784", "2026-01-01T09:00:00Z",
};

#define FUZZ_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A documented rule the library bends, or a questionable choice: said
 * once on stderr, or abort() when DOSM_FUZZ_STRICT=1 is set. */
static inline void fuzz_note(int *once, const char *text)
{
    const char *strict = getenv("DOSM_FUZZ_STRICT");
    if (strict && strcmp(strict, "1") == 0)
        FUZZ_FAIL("(strict) %s", text);
    if (!*once) {
        *once = 1;
        fprintf(stderr, "dosm fuzz note: %s\n", text);
    }
}

#endif /* DOSM_FUZZ_COMMON_H */

/* Data-driven diagnostics: every file in test/defs/bad is a definition
 * with its expected findings in its header, one per line, in the order
 * they are reported:
 *     # expect: DOSM_D_REF 12:5
 *     # expect-warning: DOSM_W_UNUSED 9:3
 *     # option: max_depth=4
 * The load must report exactly these, with exact positions. Every file in
 * test/defs/good must load with no finding at all. Files that cannot carry
 * a header (the shipped workflows) have theirs in test/defs/findings.txt. */
#include "support.h"

#include <dirent.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define MAX_FINDINGS 32

typedef struct finding {
    int warning;
    char code[48];
    unsigned line, col;
} finding;

typedef struct findings {
    finding f[MAX_FINDINGS];
    int n;
} findings;

static void collect(void *user, const dosm_diagnostic *d)
{
    findings *got = user;
    if (got->n < MAX_FINDINGS) {
        finding *f = &got->f[got->n++];
        f->warning = d->severity == DOSM_WARNING;
        snprintf(f->code, sizeof f->code, "%s", dosm_code_name(d->code));
        f->line = d->line;
        f->col = d->column;
    }
    print_message("    %s:%u:%u: %s: %s [%s]\n", d->source, d->line, d->column,
                  d->severity == DOSM_WARNING ? "warning" : "error", d->text,
                  dosm_code_name(d->code));
}

static void parse_header(const char *text, findings *want, dosm_load_options *opt)
{
    const char *line = text;
    while (line && *line == '#') {
        finding f;
        char kind[16];
        unsigned long value;
        char name[32];
        memset(&f, 0, sizeof f);
        if (sscanf(line, "# expect%15[-a-z]: %47s %u:%u", kind, f.code,
                   &f.line, &f.col) == 4 ||
            sscanf(line, "# expect: %47s %u:%u", f.code, &f.line, &f.col) == 3) {
            f.warning = strncmp(line, "# expect-warning", 16) == 0;
            assert_true(want->n < MAX_FINDINGS);
            want->f[want->n++] = f;
        } else if (sscanf(line, "# option: %31[a-z_]=%lu", name, &value) == 2) {
            if (strcmp(name, "max_depth") == 0) opt->max_depth = (unsigned)value;
            else if (strcmp(name, "max_nodes") == 0) opt->max_nodes = value;
            else if (strcmp(name, "max_input") == 0) opt->max_input = value;
            else if (strcmp(name, "max_states") == 0) opt->max_states = (unsigned)value;
            else if (strcmp(name, "max_transitions") == 0) opt->max_transitions = (unsigned)value;
            else if (strcmp(name, "max_errors") == 0) opt->max_errors = (unsigned)value;
            else fail_msg("unknown option %s", name);
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
}

/* The expectations of findings.txt for the file at path. */
static void parse_listed(const char *path, findings *want, dosm_load_options *opt)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t len, n = strlen(base);
    char *list = read_file(DOSM_SOURCE_DIR "/test/defs/findings.txt", &len);
    const char *line = list;
    assert_non_null(list);
    while (line) {
        if (strncmp(line, base, n) == 0 && line[n] == ' ')
            parse_header(line + n + 1, want, opt);
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    free(list);
}

static void check_case(void **state)
{
    const char *path = *state;
    findings want = {0}, got = {0};
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_error err;
    size_t len;
    int rc, i;
    char *text = read_file(path, &len);

    assert_non_null(text);
    dosm_load_options_init(&opt);
    parse_header(text, &want, &opt);
    parse_listed(path, &want, &opt);
    opt.on_diagnostic = collect;
    opt.diagnostic_user = &got;
    opt.flags = DOSM_LOAD_LINT; /* every finding, as dosm lint asks */
    rc = dosm_load(text, len, path, &opt, &def, &err);
    for (i = 0; i < want.n && i < got.n; i++) {
        assert_string_equal(got.f[i].code, want.f[i].code);
        assert_int_equal(got.f[i].warning, want.f[i].warning);
        assert_int_equal(got.f[i].line, want.f[i].line);
        assert_int_equal(got.f[i].col, want.f[i].col);
    }
    assert_int_equal(got.n, want.n);
    /* The load fails exactly when an error was expected, and the error
     * struct holds the first one. */
    for (i = 0; i < want.n && want.f[i].warning; i++)
        ;
    if (i < want.n) {
        assert_null(def);
        assert_string_equal(dosm_code_name(rc), want.f[i].code);
        assert_string_equal(dosm_code_name(err.code), want.f[i].code);
        assert_int_equal(err.line, want.f[i].line);
        assert_int_equal(err.column, want.f[i].col);
        assert_string_equal(err.source, path);
    } else {
        assert_int_equal(rc, DOSM_OK);
        assert_non_null(def);
    }
    dosm_def_free(def);
    free(text);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct CMUnitTest *)a)->name,
                  ((const struct CMUnitTest *)b)->name);
}

/* One cmocka test per case file, named after it. */
static int add_cases(const char *dir, struct CMUnitTest *tests, int n,
                     int cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return n;
    while ((e = readdir(d)) != NULL && n < cap) {
        size_t len = strlen(e->d_name);
        char *path;
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        path = malloc(strlen(dir) + len + 2);
        sprintf(path, "%s/%s", dir, e->d_name);
        memset(&tests[n], 0, sizeof tests[n]);
        tests[n].name = path;
        tests[n].test_func = check_case;
        tests[n].initial_state = path;
        n++;
    }
    closedir(d);
    return n;
}

int main(void)
{
    static struct CMUnitTest tests[512];
    int n = 0, rc, i;
    n = add_cases(DOSM_SOURCE_DIR "/test/defs/bad", tests, n, 512);
    n = add_cases(DOSM_SOURCE_DIR "/test/defs/good", tests, n, 512);
    n = add_cases(DOSM_SOURCE_DIR "/states", tests, n, 512);
    qsort(tests, (size_t)n, sizeof tests[0], by_name);
    if (n < 30) {
        fprintf(stderr, "only %d diagnostic cases found\n", n);
        return 1;
    }
    rc = _cmocka_run_group_tests("diagnostics", tests, (size_t)n, NULL, NULL);
    for (i = 0; i < n; i++)
        free((void *)tests[i].initial_state);
    return rc;
}

/* Loading hostile and unusual input: alias bombs, deep nesting, huge
 * scalars and files, many keys, bad arguments, and every input of the
 * public YAML test suite. Each is refused with a positioned diagnostic and
 * none crashes, hangs or leaks (the suite also runs under ASan). */
#include "support.h"

#include <dirent.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static int load_code(const char *yaml, size_t len, const dosm_load_options *opt,
                     dosm_error *err)
{
    dosm_def *def = (dosm_def *)(uintptr_t)1;
    int rc = dosm_load(yaml, len, "input", opt, &def, err);
    if (rc != DOSM_OK)
        assert_null(def);
    dosm_def_free(def);
    return rc;
}

static void test_alias_bomb(void **state)
{
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    dosm_error err;
    (void)state;
    assert_int_equal(load_code(bomb, strlen(bomb), NULL, &err), DOSM_D_ALIAS);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
}

/* "[[[...]]]", depth levels deep (free it). */
static char *nested(size_t depth)
{
    char *yaml = malloc(depth * 2 + 1);
    size_t i;
    assert_non_null(yaml);
    for (i = 0; i < depth; i++) {
        yaml[i] = '[';
        yaml[depth + i] = ']';
    }
    yaml[2 * depth] = '\0';
    return yaml;
}

static void test_deep_nesting(void **state)
{
    size_t depth = 100000;
    char *yaml = nested(depth);
    dosm_error err;
    (void)state;
    assert_int_equal(load_code(yaml, 2 * depth, NULL, &err), DOSM_D_LIMIT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 33); /* the 33rd level is one too many */
    assert_string_equal(err.text, "nesting deeper than 32 levels (the limit)");
    free(yaml);
}

/* "No limit" written as the largest depth is clamped, not wrapped. */
static void test_depth_limit_is_clamped(void **state)
{
    size_t depth = 2000;
    char *yaml = nested(depth);
    dosm_load_options opt;
    dosm_error err;
    (void)state;
    dosm_load_options_init(&opt);
    opt.max_depth = (unsigned)-1;
    assert_int_equal(load_code(yaml, 2 * depth, &opt, &err), DOSM_D_LIMIT);
    assert_string_equal(err.text, "nesting deeper than 1024 levels (the limit)");
    assert_int_equal(err.column, 1025);
    free(yaml);
}

static void test_huge_input(void **state)
{
    size_t n = (size_t)10 << 20;
    char *yaml = malloc(n + 16);
    dosm_load_options opt;
    dosm_error err;
    (void)state;
    memcpy(yaml, "title: ", 7);
    memset(yaml + 7, 'x', n - 8);
    yaml[n - 1] = '\n';
    assert_int_equal(load_code(yaml, n, NULL, &err), DOSM_D_LIMIT);
    assert_string_equal(err.text, "the definition is 10485760 bytes; the "
                                  "limit is 4194304");
    /* Allowed in: a 10 MB scalar is read, then the definition is refused
     * for what it lacks, not for its size. */
    dosm_load_options_init(&opt);
    opt.max_input = n;
    assert_int_equal(load_code(yaml, n, &opt, &err), DOSM_D_MISSING);
    free(yaml);
}

static void test_many_duplicate_keys(void **state)
{
    size_t keys = 100000, i, len = 0;
    char *yaml = malloc(keys * 16);
    dosm_load_options opt;
    dosm_error err;
    (void)state;
    for (i = 0; i < keys; i++)
        len += (size_t)sprintf(yaml + len, "k%zu: 1\n", i % 50000);
    dosm_load_options_init(&opt);
    opt.max_nodes = keys * 2 + 1;
    assert_int_equal(load_code(yaml, len, &opt, &err), DOSM_D_DUPLICATE_KEY);
    assert_int_equal(err.line, 50001);
    assert_int_equal(err.column, 1);
    free(yaml);
}

static void test_bad_arguments(void **state)
{
    dosm_def *def = NULL;
    dosm_error err;
    (void)state;
    assert_int_equal(dosm_load("x", 1, "s", NULL, NULL, &err), DOSM_E_ARG);
    assert_int_equal(err.code, DOSM_E_ARG);
    assert_int_equal(dosm_load(NULL, 5, "s", NULL, &def, &err), DOSM_E_ARG);
    assert_null(def);
    /* An empty buffer is a definition that says nothing. */
    assert_int_equal(dosm_load(NULL, 0, NULL, NULL, &def, &err), DOSM_D_TYPE);
    assert_string_equal(err.source, "");
    assert_int_equal(err.line, 1);
    /* No error struct: the code alone. */
    assert_int_equal(dosm_load("[", 1, "s", NULL, &def, NULL), DOSM_D_YAML);
    dosm_def_free(NULL);
}

static void test_error_struct_fields(void **state)
{
    const char *yaml = "dosm: 1\nname: Bad Name\n";
    char source[200];
    dosm_error err;
    (void)state;
    memset(source, 's', sizeof source - 1);
    source[sizeof source - 1] = '\0';
    assert_int_equal(load_code(yaml, strlen(yaml), NULL, &err), DOSM_D_IDENT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 7);
    assert_non_null(strstr(err.text, "'Bad Name'"));
    /* A long source name is cut to fit, NUL-terminated. */
    assert_int_equal(dosm_load(yaml, strlen(yaml), source, NULL,
                               &(dosm_def *){NULL}, &err),
                     DOSM_D_IDENT);
    assert_int_equal(strlen(err.source), DOSM_SOURCE_MAX - 1);
}

static void test_version(void **state)
{
    char want[32];
    (void)state;
    assert_int_equal(dosm_version_number(), DOSM_VERSION_NUMBER);
    snprintf(want, sizeof want, "%d.%d.%d", DOSM_VERSION_MAJOR,
             DOSM_VERSION_MINOR, DOSM_VERSION_PATCH);
    assert_string_equal(dosm_version(), want);
}

/* Invalid YAML that libyaml 0.2.5 parses without complaint (its known
 * non-conformance; we do not second-guess the parser). These are still
 * refused, as definitions, with a positioned diagnostic. */
static const char *const libyaml_accepts[] = {
    "9C9N", "9HCY", "9JBA", "CVW2", "DK95-01", "EB22", "G5U8", "MUS6-00",
    "MUS6-01", "QB6E", "RHX7", "S98Z", "SU5Z", "X4QW", "Y79Y-003", "YJV2",
    NULL};

static int libyaml_accepts_it(const char *file)
{
    int i;
    for (i = 0; libyaml_accepts[i]; i++)
        if (strncmp(file, libyaml_accepts[i], strlen(libyaml_accepts[i])) == 0 &&
            strcmp(file + strlen(libyaml_accepts[i]), ".yaml") == 0)
            return 1;
    return 0;
}

/* Every input of the public YAML test suite: refused with a positioned
 * diagnostic, and a YAML syntax error where the suite marks it invalid. */
static void test_yaml_test_suite(void **state)
{
    const char *dir = DOSM_SOURCE_DIR "/test/data/yaml-test-suite";
    DIR *d = opendir(dir);
    struct dirent *e;
    int files = 0, invalid = 0;
    (void)state;
    if (!d)
        fail_msg("the YAML test suite inputs are missing: %s", dir);
    while ((e = readdir(d)) != NULL) {
        char path[512], marker[512];
        size_t len, n = strlen(e->d_name);
        char *yaml;
        dosm_error err;
        int rc;
        FILE *f;
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(marker, sizeof marker, "%.*s.error", (int)strlen(path) - 5, path);
        yaml = read_file(path, &len);
        assert_non_null(yaml);
        rc = load_code(yaml, len, NULL, &err);
        files++;
        if (rc == DOSM_OK) { /* a valid workflow by accident: fine */
            free(yaml);
            continue;
        }
        if (err.line == 0 || err.column == 0)
            fail_msg("%s: %s without a position", path, dosm_code_name(rc));
        if ((f = fopen(marker, "r")) != NULL) {
            fclose(f);
            invalid++;
            if (rc != DOSM_D_YAML && !libyaml_accepts_it(e->d_name))
                fail_msg("%s is invalid YAML but got %s: %s", path,
                         dosm_code_name(rc), err.text);
        }
        free(yaml);
    }
    closedir(d);
    print_message("%d inputs, %d invalid YAML\n", files, invalid);
    assert_true(files > 300);
    assert_true(invalid > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_depth_limit_is_clamped),
        cmocka_unit_test(test_huge_input),
        cmocka_unit_test(test_many_duplicate_keys),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_error_struct_fields),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_yaml_test_suite),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}

#include "support.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

dosm_def *load_text(const char *yaml)
{
    dosm_def *def = NULL;
    dosm_error err;
    int rc = dosm_load(yaml, strlen(yaml), "test", NULL, &def, &err);
    if (rc != DOSM_OK)
        fail_msg("load failed: %s %u:%u %s", dosm_code_name(rc), err.line,
                 err.column, err.text);
    return def;
}

dosm_def *load_lab(void)
{
    char *yaml = read_file(LAB_PATH, NULL);
    dosm_def *def;
    if (!yaml)
        fail_msg("cannot read %s", LAB_PATH);
    def = load_text(yaml);
    free(yaml);
    return def;
}

long sweep_allocations(const char *yaml, size_t len, int *problems)
{
    long n;
    *problems = 0;
    for (n = 1; n < 100000; n++) {
        test_alloc t;
        dosm_allocator a = test_allocator(&t);
        dosm_load_options opt;
        dosm_def *def = NULL;
        dosm_error err;
        int rc;
        dosm_load_options_init(&opt);
        opt.allocator = &a;
        memset(&t, 0, sizeof t);
        t.fail_at = n;
        rc = dosm_load(yaml, len, "sweep", &opt, &def, &err);
        if (rc == DOSM_OK)
            dosm_def_free(def);
        if (t.live != 0)
            *problems |= SWEEP_LEAK;
        if (rc == DOSM_OK && t.count < n) /* no allocation was failed */
            return n - 1;
        if (rc == DOSM_OK)
            *problems |= SWEEP_SUCCEEDED_ANYWAY;
        else if (rc != DOSM_E_NOMEM || err.code != DOSM_E_NOMEM ||
                 strcmp(err.text, "out of memory") != 0 || def != NULL)
            *problems |= SWEEP_WRONG_CODE;
    }
    *problems |= SWEEP_WRONG_CODE; /* never succeeded */
    return n;
}

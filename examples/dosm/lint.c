/* dosm lint: check workflow files, report as compilers do or as JSON.
 * After loading them all, each vocabulary bound to a workflow that is
 * among the files (by its name) gets the projection check. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The loaded file whose workflow is called name, or -1. */
static int file_of(dosm_def *const *defs, int count, const char *name)
{
    int i;
    for (i = 0; i < count; i++)
        if (defs[i] && strcmp(dosm_def_name(defs[i]), name) == 0)
            return i;
    return -1;
}

/* The projection check of every bound vocabulary of defs[i]. */
static void check_projections(dosm_def *const *defs, char *const *paths,
                              int count, int i, report *r)
{
    dosm_load_options opt;
    dosm_error err;
    int v, n = (int)dosm_vocab_count(defs[i]);
    dosm_load_options_init(&opt);
    opt.on_diagnostic = report_on_diagnostic;
    opt.diagnostic_user = r;
    for (v = 0; v < n; v++) {
        dosm_vocab_info info;
        int b;
        if (dosm_vocab_get(defs[i], v, &info) != DOSM_OK || !info.workflow ||
            (b = file_of(defs, count, info.workflow)) < 0)
            continue;
        if (dosm_vocab_check(defs[i], info.name, defs[b], paths[i], &opt,
                             &err) == DOSM_E_NOMEM)
            report_diagnostic(r, paths[i], 0, 0, 0, "DOSM_E_NOMEM", err.text);
    }
}

int cmd_lint(args *a)
{
    report r = {0, 1, 0, 0};
    int i, files = a->noperands;
    dosm_def **defs;
    r.json = a->format && strcmp(a->format, "json") == 0;
    defs = calloc((size_t)files, sizeof *defs);
    if (!defs) {
        fputs("dosm: out of memory\n", stderr);
        return EXIT_FAILED;
    }
    if (r.json)
        putchar('[');
    for (i = 0; i < files; i++)
        defs[i] = load_workflow(a->operands[i], &r);
    for (i = 0; i < files; i++)
        if (defs[i])
            check_projections(defs, a->operands, files, i, &r);
    for (i = 0; i < files; i++)
        dosm_def_free(defs[i]);
    free(defs);
    if (r.json)
        printf("%s]\n", r.first ? "" : "\n");
    return r.errors || (a->werror && r.warnings) ? EXIT_FAILED : 0;
}

/* dosm lint: check workflow files, report as compilers do or as JSON. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_lint(int argc, char **argv)
{
    report r = {0, 1, 0, 0};
    int i, files = 0, werror = 0;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--werror") == 0)
            werror = 1;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
                 (strcmp(argv[i + 1], "json") == 0 ||
                  strcmp(argv[i + 1], "text") == 0))
            r.json = strcmp(argv[++i], "json") == 0;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage("lint: unknown option '%s'", argv[i]);
        else
            files++;
    }
    if (!files)
        return usage("lint needs at least one FILE");
    if (r.json)
        putchar('[');
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--werror") == 0)
            continue;
        if (strcmp(argv[i], "--format") == 0) {
            i++;
            continue;
        }
        dosm_def_free(load_workflow(argv[i], &r));
    }
    if (r.json)
        printf("%s]\n", r.first ? "" : "\n");
    return r.errors || (werror && r.warnings) ? EXIT_FAILED : 0;
}

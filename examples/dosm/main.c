/* dosm: check, read, try, draw and test workflow definitions.
 * Exit status: 0 success, 1 the files, events or scenarios failed, 2 usage. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis, *help;
} command;

static const command commands[] = {
    {"lint", cmd_lint, "lint [--format text|json] [--werror] FILE...",
     "Load and check each workflow file. Diagnostics go to stderr as\n"
     "FILE:LINE:COL: error: TEXT (or warning: TEXT); with --format json, to\n"
     "stdout as a JSON array of {file, line, column, severity, code,\n"
     "message}. Then each vocabulary bound to a workflow among the FILEs\n"
     "(vocabularies: NAME: { workflow: WORKFLOW }) is checked against it:\n"
     "every value names one of its states, every transition maps onto a\n"
     "path it allows. Exit 0 when no file has errors, else 1. --werror\n"
     "counts warnings as errors."},
    {"states", cmd_states, "states FILE [--tag TAG] [--vocab VOCABULARY]",
     "One line per state, ID<TAB>LABEL<TAB>ATTENTION<TAB>TAGS (comma-\n"
     "separated), in the definition's rank order (most action needed\n"
     "first); with --tag, only the states carrying TAG. With --vocab, a\n"
     "fifth column: the state's values in VOCABULARY (comma-separated, -\n"
     "when none)."},
    {"next", cmd_next, "next FILE STATE [--set NAME=VALUE]... [--guard NAME=BOOL]... [--all]",
     "One line per transition that would be accepted from STATE,\n"
     "EVENT<TAB>TARGET_ID. With --all, also those whose guard fails, as\n"
     "EVENT<TAB>TARGET_ID<TAB>rejected: REASON. A target 'previous' means\n"
     "the state before STATE, unknown here."},
    {"path", cmd_path, "path FILE FROM TO [--set NAME=VALUE]... [--guard NAME=BOOL]...",
     "The shortest legal path from FROM to TO, one step per line,\n"
     "FROM_ID<TAB>EVENT<TAB>TO_ID (a transient state's fallback is a step\n"
     "whose EVENT is dosm.restart). Exit 0 when a path exists (no lines\n"
     "when FROM is TO), 1 when none does, with the reason on stderr."},
    {"run", cmd_run, "run FILE [--from STATE] [--set NAME=VALUE]... [--guard NAME=BOOL]...\n"
     "        [--observe [--vocab VOCABULARY]]",
     "Read events from standard input, one per line: EVENT [NAME=VALUE]...\n"
     "(payload fields). After each accepted step print the new state id and\n"
     "its effects (ID<TAB>EFFECT,EFFECT); a rejected event prints\n"
     "'rejected: EVENT in STATE: REASON' on stderr and the run goes on.\n"
     "With --observe, lines name observed states (id or label), reconciled\n"
     "along the shortest legal path, one line per step; with --vocab, lines\n"
     "are values of VOCABULARY (a DWOS status, a FHIR Task status), and the\n"
     "order goes to the nearest state carrying the value, or stays when it\n"
     "is in one. Blank lines and lines starting with # are skipped. Exit 0\n"
     "when everything was accepted, else 1."},
    {"dot", cmd_dot, "dot FILE",
     "The workflow as a Graphviz graph: states with id, label and attention\n"
     "colour, parents as clusters, final states double-bordered, transient\n"
     "states dashed, transitions labelled 'event [guard] / effects'.\n"
     "Render with: dosm dot FILE | dot -Tsvg > FILE.svg"},
    {"mermaid", cmd_mermaid, "mermaid FILE",
     "The workflow as a Mermaid state diagram (stateDiagram-v2), for\n"
     "Markdown pages that render Mermaid."},
    {"test", cmd_test, "test [--coverage] [--min-coverage PERCENT] [--junit FILE] SCENARIO...",
     "Run scenario files (see 'Scenarios' in states/README.md) and print\n"
     "TAP. --coverage adds, per workflow, the share of transitions taken\n"
     "and those never taken; --min-coverage fails below PERCENT. --junit\n"
     "also writes JUnit XML to FILE (as Jenkins, GitLab and GitHub read\n"
     "it): a testsuite per scenario file, a testcase per scenario named\n"
     "after it, with the workflow as its classname and the failing step's\n"
     "message; a file that cannot run is one failing testcase, and with\n"
     "--min-coverage each workflow is a testcase of the suite 'coverage'.\n"
     "Exit 1 on any failure."},
    {"cover", cmd_cover, "cover FILE [--output PLAN]",
     "Print a small set of event sequences from the initial state that\n"
     "together take every transition at least once, as a scenario file\n"
     "that dosm test runs: set: and guards: steps give the attribute\n"
     "values and named guard answers each guarded step needs, events\n"
     "carry their required payload fields, and a transition no values\n"
     "satisfy is left out with a comment saying so. With --output, the\n"
     "plan is written to PLAN and names FILE relative to it; on stdout it\n"
     "names FILE as given, for a plan kept in the current directory."},
};

#define COUNT (sizeof commands / sizeof commands[0])

static int help(const char *name)
{
    size_t i;
    for (i = 0; name && i < COUNT; i++)
        if (strcmp(commands[i].name, name) == 0) {
            printf("usage: dosm %s\n\n%s\n", commands[i].synopsis,
                   commands[i].help);
            return 0;
        }
    if (name)
        return usage("help: no command '%s'", name);
    printf("usage: dosm COMMAND [ARGS]\n\nCheck, read, try, draw and test "
           "libdosm workflow definitions.\n\nCommands:\n");
    for (i = 0; i < COUNT; i++)
        printf("  %s\n", commands[i].synopsis);
    printf("  help [COMMAND]\n  --version\n\nSTATE arguments take a state id "
           "or its exact label, ignoring case.\n--set gives order "
           "attributes; an unknown attribute, a value of the\nwrong type or "
           "an unknown state is a usage error. Named guards, which\nhosts "
           "implement, are false unless --guard NAME=true answers\nthem "
           "(NAME=false is the default made explicit).\n\nExit status: 0 success, 1 "
           "failure, 2 usage error.\n'dosm help COMMAND' explains one "
           "command.\n");
    return 0;
}

int main(int argc, char **argv)
{
    size_t i;
    if (argc < 2)
        return usage("missing COMMAND");
    if (strcmp(argv[1], "--version") == 0) {
        printf("dosm %s\n", dosm_version());
        return 0;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0)
        return help(argc > 2 ? argv[2] : NULL);
    for (i = 0; i < COUNT; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    return usage("unknown command '%s'", argv[1]);
}

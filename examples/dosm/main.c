/* dosm: check, read, try, draw and test workflow definitions.
 * Exit status: 0 success, 1 the files, events or scenarios failed, 2 usage.
 *
 * Each command's options are one table: getopt_long reads argv from it,
 * and the command's help (and so dosm(1), which cmake/dosm-man.cmake
 * writes from the help) is written from it, so the two cannot disagree. */
#include "cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum kind { FLAG, TEXT, PAIRS } kind;

typedef struct opt {
    const char *name;
    const char *value;   /* what it takes, NULL for a flag; "a|b": only these */
    kind kind;
    size_t field;        /* where it goes: offsetof(args, ...) */
    const char *missing; /* the usage error for a missing or malformed
                          * value; NULL: "unknown option", as before */
    const char *help;
} opt;

#define AT(field) offsetof(args, field)
static const opt o_set = {"set", "NAME=VALUE", PAIRS, AT(set),
                          "--set needs NAME=VALUE", "an order attribute"};
static const opt o_guard = {"guard", "NAME=BOOL", PAIRS, AT(guards),
                            "--guard needs NAME=true or NAME=false",
                            "how the host answers a named guard"};
static const opt o_all = {"all", NULL, FLAG, AT(all), NULL,
                          "also the transitions refused, with why"};
static const opt o_from = {"from", "STATE", TEXT, AT(from),
                           "--from needs a STATE",
                           "start in STATE, not the initial state"};
static const opt o_tag = {"tag", "TAG", TEXT, AT(tag), "--tag needs a TAG",
                          "only the states carrying TAG"};
static const opt o_states_vocab = {"vocab", "VOCABULARY", TEXT, AT(vocab),
                                   "--vocab needs a VOCABULARY",
                                   "a column of the values in VOCABULARY"};
static const opt o_observe = {"observe", NULL, FLAG, AT(observe), NULL,
                              "lines are observed states, reconciled"};
static const opt o_run_vocab = {"vocab", "VOCABULARY", TEXT, AT(vocab),
                                "--vocab needs a VOCABULARY",
                                "with --observe: lines are its values"};
static const opt o_format = {"format", "text|json", TEXT, AT(format), NULL,
                             "how diagnostics are written"};
static const opt o_werror = {"werror", NULL, FLAG, AT(werror), NULL,
                             "count warnings as errors"};
static const opt o_coverage = {"coverage", NULL, FLAG, AT(coverage), NULL,
                               "report the transitions taken"};
static const opt o_min_coverage = {"min-coverage", "PERCENT", TEXT,
                                   AT(min_coverage), NULL,
                                   "fail below PERCENT of them"};
static const opt o_junit = {"junit", "FILE", TEXT, AT(junit), NULL,
                            "also write JUnit XML to FILE"};
static const opt o_output = {"output", "PLAN", TEXT, AT(output),
                             "--output needs a FILE",
                             "write the plan to PLAN"};

static const opt *const lint_options[] = {&o_format, &o_werror, NULL};
static const opt *const states_options[] = {&o_tag, &o_states_vocab, NULL};
static const opt *const next_options[] = {&o_set, &o_guard, &o_all, NULL};
static const opt *const path_options[] = {&o_set, &o_guard, NULL};
static const opt *const run_options[] = {&o_from, &o_set, &o_guard,
                                         &o_observe, &o_run_vocab, NULL};
static const opt *const no_options[] = {NULL};
static const opt *const test_options[] = {&o_coverage, &o_min_coverage,
                                          &o_junit, NULL};
static const opt *const cover_options[] = {&o_output, NULL};

typedef struct command {
    const char *name;
    int (*run)(args *a);
    const char *operands;   /* as the synopsis names them */
    int min, max;           /* how many operands; max -1: any number */
    int options_first;      /* the synopsis puts the options first */
    const char *too_few;    /* NULL: "missing argument; see ..." */
    const opt *const *options;
    const char *help;
} command;

static const command commands[] = {
    {"lint", cmd_lint, "FILE...", 1, -1, 1, "lint needs at least one FILE", lint_options,
     "Load and check each workflow file. Diagnostics go to stderr as\n"
     "FILE:LINE:COL: error: TEXT (or warning: TEXT); with --format json, to\n"
     "stdout as a JSON array of {file, line, column, severity, code,\n"
     "message}. Then each vocabulary bound to a workflow among the FILEs\n"
     "(vocabularies: NAME: { workflow: WORKFLOW }) is checked against it:\n"
     "every value names one of its states, every transition maps onto a\n"
     "path it allows. Exit 0 when no file has errors, else 1. --werror\n"
     "counts warnings as errors."},
    {"states", cmd_states, "FILE", 1, 1, 0, NULL, states_options,
     "One line per state, ID<TAB>LABEL<TAB>ATTENTION<TAB>TAGS (comma-\n"
     "separated), in the definition's rank order (most action needed\n"
     "first); with --tag, only the states carrying TAG. With --vocab, a\n"
     "fifth column: the state's values in VOCABULARY (comma-separated, -\n"
     "when none)."},
    {"next", cmd_next, "FILE STATE", 2, 2, 0, NULL, next_options,
     "One line per transition that would be accepted from STATE,\n"
     "EVENT<TAB>TARGET_ID. With --all, also those refused (a guard that\n"
     "fails, one taken first, no previous state), as\n"
     "EVENT<TAB>TARGET_ID<TAB>rejected: REASON. A target 'previous' means\n"
     "the state before STATE, unknown here."},
    {"path", cmd_path, "FILE FROM TO", 3, 3, 0, NULL, path_options,
     "The shortest legal path from FROM to TO, one step per line,\n"
     "FROM_ID<TAB>EVENT<TAB>TO_ID (a transient state's fallback is a step\n"
     "whose EVENT is dosm.restart). Exit 0 when a path exists (no lines\n"
     "when FROM is TO), 1 when none does, with the reason on stderr."},
    {"run", cmd_run, "FILE", 1, 1, 0, NULL, run_options,
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
    {"dot", cmd_dot, "FILE", 1, 1, 0, NULL, no_options,
     "The workflow as a Graphviz graph: states with id, label and attention\n"
     "colour, parents as clusters, final states double-bordered, transient\n"
     "states dashed, transitions labelled 'event [guard] / effects'.\n"
     "Render with: dosm dot FILE | dot -Tsvg > FILE.svg"},
    {"mermaid", cmd_mermaid, "FILE", 1, 1, 0, NULL, no_options,
     "The workflow as a Mermaid state diagram (stateDiagram-v2), for\n"
     "Markdown pages that render Mermaid."},
    {"test", cmd_test, "SCENARIO...", 1, -1, 1, "test needs at least one SCENARIO file", test_options,
     "Run scenario files (see 'Scenarios' in states/README.md) and print\n"
     "TAP. --coverage adds, per workflow, the share of transitions taken\n"
     "and those never taken; --min-coverage fails below PERCENT. --junit\n"
     "also writes JUnit XML to FILE (as Jenkins, GitLab and GitHub read\n"
     "it): a testsuite per scenario file, a testcase per scenario named\n"
     "after it, with the workflow as its classname and the failing step's\n"
     "message; a file that cannot run is one failing testcase, and with\n"
     "--min-coverage each workflow is a testcase of the suite 'coverage'.\n"
     "Exit 1 on any failure."},
    {"cover", cmd_cover, "FILE", 1, 1, 0, NULL, cover_options,
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
#define WIDTH 70 /* of a synopsis line, without "usage: dosm " */

/* "--name VALUE", or "--name" for a flag. */
static size_t option_form(const opt *o, char *out, size_t size)
{
    return (size_t)snprintf(out, size, "--%s%s%s", o->name,
                            o->value ? " " : "", o->value ? o->value : "");
}

/* "[--name VALUE]", with "..." when it may be repeated. */
static void option_synopsis(const opt *o, char *out, size_t size)
{
    char form[100];
    option_form(o, form, sizeof form);
    snprintf(out, size, "[%s]%s", form, o->kind == PAIRS ? "..." : "");
}

/* The synopsis from the table, wrapped at WIDTH under an indent. */
static void synopsis(const command *c, FILE *f)
{
    char chunks[16][128];
    size_t n = 0, i, column = strlen(c->name);
    const opt *const *o;
    if (!c->options_first)
        snprintf(chunks[n++], sizeof chunks[0], "%s", c->operands);
    for (o = c->options; *o && n < 15; o++)
        option_synopsis(*o, chunks[n++], sizeof chunks[0]);
    if (c->options_first)
        snprintf(chunks[n++], sizeof chunks[0], "%s", c->operands);
    fputs(c->name, f);
    for (i = 0; i < n; i++) {
        size_t len = strlen(chunks[i]);
        if (column + 1 + len > WIDTH) {
            fputs("\n       ", f);
            column = 7;
        }
        fprintf(f, " %s", chunks[i]);
        column += 1 + len;
    }
}

static const opt o_help = {"help", NULL, FLAG, 0, NULL, "print this help"};

/* usage, the text, then each option from the table with its line. */
static void command_help(const command *c)
{
    const opt *const *o;
    size_t width = strlen("--help");
    char left[128];
    for (o = c->options; *o; o++) {
        size_t n = option_form(*o, left, sizeof left);
        width = n > width ? n : width;
    }
    fputs("usage: dosm ", stdout);
    synopsis(c, stdout);
    printf("\n\n%s\n\nOptions:\n", c->help);
    for (o = c->options;; o++) {
        const opt *x = *o ? *o : &o_help;
        option_form(x, left, sizeof left);
        printf("  %-*s  %s%s\n", (int)width, left, x->help,
               x->kind == PAIRS ? " (repeatable)" : "");
        if (!*o)
            break;
    }
}

static int help(const char *name)
{
    size_t i;
    for (i = 0; name && i < COUNT; i++)
        if (strcmp(commands[i].name, name) == 0) {
            command_help(&commands[i]);
            return 0;
        }
    if (name)
        return usage("help: no command '%s'", name);
    printf("usage: dosm COMMAND [ARGS]\n\nCheck, read, try, draw and test "
           "libdosm workflow definitions.\n\nCommands:\n");
    for (i = 0; i < COUNT; i++) {
        fputs("  ", stdout);
        synopsis(&commands[i], stdout);
        putchar('\n');
    }
    printf("  help [COMMAND]\n  --version\n\nSTATE arguments take a state id "
           "or its exact label, ignoring case.\n--set gives order "
           "attributes; an unknown attribute, a value of the\nwrong type or "
           "an unknown state is a usage error. Named guards, which\nhosts "
           "implement, are false unless --guard NAME=true answers\nthem "
           "(NAME=false is the default made explicit). Options take\ntheir "
           "values as --opt VALUE or --opt=VALUE, anywhere among the\n"
           "operands; '--' ends them.\n\nExit status: 0 success, 1 "
           "failure, 2 usage error.\n'dosm help COMMAND' or 'dosm COMMAND "
           "--help' explains one command.\n");
    return 0;
}

/* The option arg names exactly ("--name" or "--name=..."): getopt_long
 * also takes unambiguous abbreviations, which a later option could make
 * ambiguous and so break a vendor's pipeline; dosm never took them. */
static const opt *option_named(const command *c, const char *arg)
{
    const opt *const *o;
    size_t n;
    if (strncmp(arg, "--", 2) != 0)
        return NULL;
    arg += 2;
    n = strcspn(arg, "=");
    if (n == 4 && strncmp(arg, "help", 4) == 0)
        return &o_help;
    for (o = c->options; *o; o++)
        if (strlen((*o)->name) == n && strncmp((*o)->name, arg, n) == 0)
            return *o;
    return NULL;
}

/* A value of "a|b" must be one of them. */
static int one_of(const char *choices, const char *value)
{
    size_t n = strlen(value);
    const char *p = choices;
    if (!strchr(choices, '|'))
        return 1;
    for (; p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
        if (strncmp(p, value, n) == 0 && (p[n] == '|' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Stores one option's value in a; 0 after a usage message. */
static int apply(const command *c, const opt *o, const char *arg,
                 const char *value, args *a)
{
    char *at = (char *)a + o->field;
    if (o->kind == FLAG)
        *(int *)(void *)at = 1;
    else if (o->kind == TEXT && one_of(o->value, value))
        *(const char **)(void *)at = value;
    else if (o->kind != PAIRS || !pairs_add((pairs *)(void *)at, value)) {
        if (o->missing)
            usage("%s: %s", c->name, o->missing);
        else
            usage("%s: unknown option '%s'", c->name, arg);
        return 0;
    }
    return 1;
}

static int add_operand(const command *c, char *arg, args *a)
{
    if (c->max >= 0 && a->noperands == c->max) {
        usage("%s: unexpected argument '%s'", c->name, arg);
        return 0;
    }
    a->operands[a->noperands++] = arg;
    return 1;
}

/* Reads argv (argv[0] is the command) by the command's table: 0, or
 * EXIT_USAGE after a message, or -1 after printing --help. Operands and
 * options come in any order; '-' alone is an operand. */
static int parse(const command *c, int argc, char **argv, args *a)
{
    struct option longs[17];
    size_t n = 0;
    memset(a, 0, sizeof *a);
    a->operands = calloc((size_t)argc + 1, sizeof *a->operands);
    if (!a->operands)
        return usage("out of memory");
    for (; c->options[n] && n < 16; n++) {
        longs[n].name = c->options[n]->name;
        longs[n].has_arg = c->options[n]->value ? required_argument : no_argument;
        longs[n].flag = NULL;
        longs[n].val = 0;
    }
    longs[n].name = "help";
    longs[n].has_arg = no_argument;
    longs[n].flag = NULL;
    longs[n].val = 0;
    memset(&longs[n + 1], 0, sizeof longs[0]);
    opterr = 0; /* dosm words its own messages */
    optind = 1;
    for (;;) {
        int before = optind, index = -1;
        /* "-": operands in order, as they come; ":": a missing value is
         * told from an unknown option. */
        int ch = getopt_long(argc, argv, "-:", longs, &index);
        const char *arg = before < argc ? argv[before] : "";
        const opt *o;
        if (ch == -1)
            break;
        if (ch == 1) {
            if (!add_operand(c, optarg, a))
                return EXIT_USAGE;
            continue;
        }
        o = option_named(c, arg);
        if (o == &o_help && ch == 0) {
            command_help(c);
            return -1;
        }
        if (!o || ch == '?' || (ch == ':' && !o->missing))
            return usage("%s: unknown option '%s'", c->name, arg);
        if (ch == ':')
            return usage("%s: %s", c->name, o->missing);
        if (!apply(c, o, arg, optarg, a))
            return EXIT_USAGE;
    }
    for (; optind < argc; optind++) /* after "--" */
        if (!add_operand(c, argv[optind], a))
            return EXIT_USAGE;
    if (a->noperands < c->min) {
        if (c->too_few)
            return usage("%s", c->too_few);
        return usage("%s: missing argument; see 'dosm help %s'", c->name,
                     c->name);
    }
    a->file = a->operands[0];
    a->positional = a->operands + 1;
    a->npositional = a->noperands > 0 ? a->noperands - 1 : 0;
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
        if (strcmp(argv[1], commands[i].name) == 0) {
            args a;
            int rc = parse(&commands[i], argc - 1, argv + 1, &a);
            if (rc == 0)
                rc = commands[i].run(&a);
            else if (rc < 0)
                rc = 0;
            args_free(&a);
            return rc;
        }
    return usage("unknown command '%s'", argv[1]);
}

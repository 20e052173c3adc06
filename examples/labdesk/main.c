/* labdesk: apply vendor order updates to a database through libdosm, and
 * show, list and verify what it holds. */
#include "labdesk.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef LABDESK_STATES
#define LABDESK_STATES "states"
#endif

#define DEFAULT_TOLERANCE 300 /* seconds: pollers' clocks drift a little */

static const char help_head[] =
    "usage: labdesk [OPTION]... COMMAND [FILE]\n"
    "\n"
    "Keeps dental orders from several vendors in one database, moving each\n"
    "through its vendor's libdosm workflow (DIR/WORKFLOW.yaml).\n"
    "\n"
    "commands:\n"
    "  apply [FILE]          apply a feed of updates, JSON Lines, from FILE or\n"
    "                        stdin: {\"order\", \"workflow\", \"event\" or \"status\"\n"
    "                        (with \"vocab\" for a vendor's raw status), \"time\"\n"
    "                        (RFC 3339), optional \"attributes\" and \"payload\"};\n"
    "                        other keys are ignored and counted\n"
    "  dashboard             open orders by attention and due date, overdue\n"
    "                        ones flagged, finished orders, updates that changed\n"
    "                        nothing, queued notifications, counts\n"
    "  log                   the transition log and queued notifications\n"
    "  verify                replay every order's log (dosm_replay)\n"
    "\n"
    "options:\n";

static const char help_tail[] =
    "\n"
    "exit status:\n"
    "  0  success (rejected and out-of-order updates are recorded, not errors)\n"
    "  1  some feed lines could not be applied, or some order fails to verify\n"
    "  2  usage error\n"
    "  3  the database could not be opened or failed\n";

enum { OPT_DB = 1, OPT_STATES, OPT_NOW, OPT_TOLERANCE, OPT_HTML, OPT_HELP = 'h' };

/* The options, once: getopt_long's table and --help are made from it. */
static const struct option_doc {
    const char *name;
    const char *arg; /* NULL: the option takes no value */
    int val;
    const char *text;
} docs[] = {
    {"db", "URL", OPT_DB,
     "an SQLite file (default labdesk.db), or postgresql://... for PostgreSQL"},
    {"states", "DIR", OPT_STATES,
     "where the workflows are (default: the states/ directory of the libdosm "
     "source it was built from)"},
    {"now", "TIME", OPT_NOW,
     "the clock, RFC 3339 (default: this machine's): apply refuses feed times "
     "ahead of it, dashboard counts overdue days and time in status from it"},
    {"future-tolerance", "SECONDS", OPT_TOLERANCE,
     "how far ahead of the clock a feed time may be (default 300)"},
    {"html", "FILE", OPT_HTML, "dashboard: write it as a web page to FILE"},
    {"help", NULL, OPT_HELP, "print this help"},
};
#define DOC_COUNT (sizeof docs / sizeof *docs)

/* Prints @p text from column 24, wrapped before column 78. */
static void wrapped(const char *text, int column)
{
    while (*text) {
        int room = 78 - 24, n = 0, last = 0;
        if (column > 22) {
            fputs("\n", stdout);
            column = 0;
        }
        printf("%*s", 24 - column, "");
        while (n <= room && text[n]) {
            if (text[n] == ' ')
                last = n;
            n++;
        }
        if (!text[n] || !last)
            last = n;
        printf("%.*s\n", last, text);
        text += last;
        text += *text == ' ';
        column = 0;
    }
}

static void help(void)
{
    size_t i;
    fputs(help_head, stdout);
    for (i = 0; i < DOC_COUNT; i++) {
        int n = printf("  --%s%s%s", docs[i].name, docs[i].arg ? " " : "",
                       docs[i].arg ? docs[i].arg : "");
        wrapped(docs[i].text, n);
    }
    fputs(help_tail, stdout);
}

static int usage(const char *what, const char *arg)
{
    fprintf(stderr, "labdesk: %s%s\nTry 'labdesk --help'.\n", what, arg);
    return EXIT_USAGE;
}

typedef struct settings {
    const char *db, *command, *file, *html;
    feed_clock clock;
} settings;

static int run(const settings *o, store *s, catalog *c)
{
    if (strcmp(o->command, "apply") == 0) {
        apply_stats st;
        FILE *in = o->file && strcmp(o->file, "-") != 0 ? fopen(o->file, "r")
                                                        : stdin;
        int rc;
        if (!in) {
            fprintf(stderr, "labdesk: cannot read %s\n", o->file);
            return EXIT_FAILED;
        }
        rc = apply_feed(s, c, in, in == stdin ? "stdin" : o->file, &o->clock,
                        &st);
        if (in != stdin)
            fclose(in);
        printf("%lu updates: %lu applied, %lu unchanged, %lu rejected, "
               "%lu out of order, %lu bad\n",
               st.applied + st.unchanged + st.rejected + st.stale + st.bad,
               st.applied, st.unchanged, st.rejected, st.stale, st.bad);
        if (st.ignored)
            fprintf(stderr,
                    "labdesk: %lu unknown key%s ignored (the first: \"%s\", "
                    "line %lu)\n",
                    st.ignored, st.ignored == 1 ? "" : "s", st.first_ignored,
                    st.first_ignored_line);
        if (st.retries)
            fprintf(stderr, "labdesk: %lu lost races retried\n", st.retries);
        return rc;
    }
    if (strcmp(o->command, "dashboard") == 0)
        return dashboard_write(s, c, o->clock.now, o->html);
    if (strcmp(o->command, "log") == 0)
        return history_print(s, stdout);
    return history_verify(s, c, stdout);
}

static const char *option_name(int val)
{
    size_t i;
    for (i = 0; i < DOC_COUNT; i++)
        if (docs[i].val == val)
            return docs[i].name;
    return "?";
}

/* Reads the options; returns -1 to go on, or an exit code. */
static int parse(int argc, char **argv, settings *o, catalog *c)
{
    struct option table[DOC_COUNT + 1];
    size_t i;
    int opt, have_now = 0;
    char *end;
    char name[64];
    memset(table, 0, sizeof table);
    for (i = 0; i < DOC_COUNT; i++) {
        table[i].name = docs[i].name;
        table[i].has_arg = docs[i].arg ? required_argument : no_argument;
        table[i].val = docs[i].val;
    }
    opterr = 0; /* our messages, in our words */
    while ((opt = getopt_long(argc, argv, ":h", table, NULL)) != -1) {
        switch (opt) {
        case OPT_DB: o->db = optarg; break;
        case OPT_STATES: c->dir = optarg; break;
        case OPT_HTML: o->html = optarg; break;
        case OPT_HELP: help(); return EXIT_OK;
        case OPT_NOW:
            if (!time_parse(optarg, &o->clock.now))
                return usage("--now takes an RFC 3339 time, not ", optarg);
            have_now = 1;
            break;
        case OPT_TOLERANCE:
            o->clock.tolerance = (int64_t)strtoll(optarg, &end, 10);
            if (end == optarg || *end || o->clock.tolerance < 0)
                return usage("--future-tolerance takes seconds, not ", optarg);
            break;
        case ':':
            snprintf(name, sizeof name, "--%s", option_name(optopt));
            return usage("missing value after ", name);
        default: return usage("unknown option ", argv[optind - 1]);
        }
    }
    if (!have_now)
        o->clock.now = (int64_t)time(NULL);
    if (optind == argc)
        return usage("no command", "");
    o->command = argv[optind++];
    if (strcmp(o->command, "apply") != 0 &&
        strcmp(o->command, "dashboard") != 0 &&
        strcmp(o->command, "log") != 0 && strcmp(o->command, "verify") != 0)
        return usage("unknown command ", o->command);
    if (optind < argc && strcmp(o->command, "apply") == 0)
        o->file = argv[optind++];
    if (optind < argc)
        return usage("unexpected argument ", argv[optind]);
    if (o->html && strcmp(o->command, "dashboard") != 0)
        return usage("--html is an option of dashboard", "");
    return -1;
}

int main(int argc, char **argv)
{
    settings o;
    char error[1024];
    catalog c;
    store *s;
    int rc;
    memset(&c, 0, sizeof c);
    memset(&o, 0, sizeof o);
    c.dir = LABDESK_STATES;
    o.db = "labdesk.db";
    o.clock.tolerance = DEFAULT_TOLERANCE;
    if ((rc = parse(argc, argv, &o, &c)) >= 0)
        return rc;
    if (!(s = store_open(o.db, error, sizeof error))) {
        fprintf(stderr, "labdesk: %s\n", error);
        return EXIT_DATABASE;
    }
    rc = run(&o, s, &c);
    store_close(s);
    catalog_free(&c);
    return rc;
}

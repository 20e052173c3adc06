/* labdesk: apply vendor order updates to a database through libdosm, and
 * show, list and verify what it holds. */
#include "labdesk.h"

#include <stdlib.h>
#include <string.h>

#ifndef LABDESK_STATES
#define LABDESK_STATES "states"
#endif

static const char help[] =
    "usage: labdesk [--db URL] [--states DIR] COMMAND\n"
    "\n"
    "Keeps dental orders from several vendors in one database, moving each\n"
    "through its vendor's libdosm workflow (DIR/WORKFLOW.yaml).\n"
    "\n"
    "commands:\n"
    "  apply [FILE]          apply a feed of updates, JSON Lines, from FILE or\n"
    "                        stdin: {\"order\", \"workflow\", \"event\" or \"status\",\n"
    "                        \"time\", optional \"attributes\" and \"payload\"}\n"
    "  dashboard [--html FILE]\n"
    "                        all orders, most urgent first, with FHIR Task\n"
    "                        statuses and counts; --html writes a web page\n"
    "  log                   the transition log and queued notifications\n"
    "  verify                replay every order's log (dosm_replay)\n"
    "\n"
    "options:\n"
    "  --db URL              an SQLite file (default labdesk.db), or\n"
    "                        postgresql://... for PostgreSQL\n"
    "  --states DIR          where the workflows are (default: the states/\n"
    "                        directory of the libdosm source it was built from)\n"
    "\n"
    "exit status:\n"
    "  0  success (rejected and out-of-order updates are recorded, not errors)\n"
    "  1  some feed lines could not be applied, or some order fails to verify\n"
    "  2  usage error\n"
    "  3  the database could not be opened or failed\n";

static int usage(const char *what, const char *arg)
{
    fprintf(stderr, "labdesk: %s%s\nTry 'labdesk --help'.\n", what, arg);
    return EXIT_USAGE;
}

static int run(const char *command, const char *file, const char *html,
               store *s, catalog *c)
{
    if (strcmp(command, "apply") == 0) {
        apply_stats st;
        FILE *in = file && strcmp(file, "-") != 0 ? fopen(file, "r") : stdin;
        int rc;
        if (!in) {
            fprintf(stderr, "labdesk: cannot read %s\n", file);
            return EXIT_FAILED;
        }
        rc = apply_feed(s, c, in, in == stdin ? "stdin" : file, &st);
        if (in != stdin)
            fclose(in);
        printf("%lu updates: %lu applied, %lu unchanged, %lu rejected, "
               "%lu out of order, %lu bad\n",
               st.applied + st.unchanged + st.rejected + st.stale + st.bad,
               st.applied, st.unchanged, st.rejected, st.stale, st.bad);
        if (st.retries)
            fprintf(stderr, "labdesk: %lu lost races retried\n", st.retries);
        return rc;
    }
    if (strcmp(command, "dashboard") == 0) {
        FILE *out;
        int rc;
        if (!html)
            return dashboard_print(s, c, stdout);
        if (!(out = fopen(html, "w"))) {
            fprintf(stderr, "labdesk: cannot write %s\n", html);
            return EXIT_FAILED;
        }
        rc = dashboard_html(s, c, out);
        return fclose(out) == 0 ? rc : EXIT_FAILED;
    }
    if (strcmp(command, "log") == 0)
        return history_print(s, stdout);
    return history_verify(s, c, stdout);
}

static int takes_value(const char *option)
{
    return strcmp(option, "--db") == 0 || strcmp(option, "--states") == 0 ||
           strcmp(option, "--html") == 0;
}

int main(int argc, char **argv)
{
    const char *db = "labdesk.db", *command = NULL, *file = NULL, *html = NULL;
    char error[1024];
    catalog c;
    store *s;
    int i, rc;
    memset(&c, 0, sizeof c);
    c.dir = LABDESK_STATES;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            return EXIT_OK;
        }
        if (takes_value(a)) {
            if (i + 1 == argc)
                return usage("missing value after ", a);
            if (strcmp(a, "--db") == 0)
                db = argv[++i];
            else if (strcmp(a, "--states") == 0)
                c.dir = argv[++i];
            else
                html = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return usage("unknown option ", a);
        } else if (!command) {
            command = a;
        } else if (!file && strcmp(command, "apply") == 0) {
            file = a;
        } else {
            return usage("unexpected argument ", a);
        }
    }
    if (!command)
        return usage("no command", "");
    if (strcmp(command, "apply") != 0 && strcmp(command, "dashboard") != 0 &&
        strcmp(command, "log") != 0 && strcmp(command, "verify") != 0)
        return usage("unknown command ", command);
    if (html && strcmp(command, "dashboard") != 0)
        return usage("--html is an option of dashboard", "");
    if (!(s = store_open(db, error, sizeof error))) {
        fprintf(stderr, "labdesk: %s\n", error);
        return EXIT_DATABASE;
    }
    rc = run(command, file, html, s, &c);
    store_close(s);
    catalog_free(&c);
    return rc;
}

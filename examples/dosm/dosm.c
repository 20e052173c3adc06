/* dosm: check and read workflow definitions from a shell.
 *
 * A host program on libdosm's public API: it owns the I/O the library does
 * not have. Exit codes: 0 success, 1 the files or events failed, 2 usage. */
#include <dosm.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static const char *progname = "dosm";

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", progname);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s help'.\n", progname);
    return EXIT_USAGE;
}

/* ---- files ---- */

/* Reads a whole file; NULL (with errno) when it cannot. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t got;
        if (n == cap) {
            char *bigger;
            cap = cap ? cap * 2 : 65536;
            bigger = realloc(buf, cap + 1);
            if (!bigger) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        fclose(f);
        errno = e;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- diagnostics, as compilers print them or as JSON ---- */

typedef struct lint_state {
    int json, werror, first;
    unsigned errors, warnings;
} lint_state;

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void emit(lint_state *ls, const char *file, unsigned line,
                 unsigned col, int warning, const char *code,
                 const char *text)
{
    if (warning)
        ls->warnings++;
    else
        ls->errors++;
    if (!ls->json) {
        if (line) /* the form compilers use, for editors and CI */
            fprintf(stderr, "%s:%u:%u: %s: %s\n", file, line, col,
                    warning ? "warning" : "error", text);
        else
            fprintf(stderr, "%s: error: %s\n", progname, text);
        return;
    }
    printf("%s\n  {\"file\": ", ls->first ? "" : ",");
    ls->first = 0;
    json_string(file);
    printf(", \"line\": %u, \"column\": %u, \"severity\": \"%s\", "
           "\"code\": \"%s\", \"message\": ",
           line, col, warning ? "warning" : "error", code);
    json_string(text);
    putchar('}');
}

static void on_diagnostic(void *user, const dosm_diagnostic *d)
{
    emit(user, d->source, d->line, d->column, d->severity == DOSM_WARNING,
         dosm_code_name(d->code), d->text);
}

/* Loads a definition file; prints every diagnostic. NULL on failure. */
static dosm_def *load(const char *path, lint_state *ls)
{
    dosm_options opt;
    dosm_error err;
    dosm_def *def = NULL;
    size_t len = 0;
    char *buf = read_file(path, &len);
    if (!buf) {
        char text[256];
        snprintf(text, sizeof text, "cannot read %s: %s", path,
                 strerror(errno));
        emit(ls, path, 0, 0, 0, "DOSM_E_ARG", text);
        return NULL;
    }
    dosm_options_init(&opt);
    opt.on_diagnostic = on_diagnostic;
    opt.diagnostic_user = ls;
    if (dosm_load(buf, len, path, &opt, &def, &err) == DOSM_E_NOMEM)
        emit(ls, path, 0, 0, 0, "DOSM_E_NOMEM", err.text);
    free(buf);
    return def;
}

/* ---- commands ---- */

static int cmd_lint(int argc, char **argv)
{
    lint_state ls = {0, 0, 1, 0, 0};
    int i, files = 0;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--werror") == 0)
            ls.werror = 1;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
                 (strcmp(argv[i + 1], "json") == 0 ||
                  strcmp(argv[i + 1], "text") == 0))
            ls.json = strcmp(argv[++i], "json") == 0;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage("lint: unknown option '%s'", argv[i]);
        else
            files++;
    }
    if (!files)
        return usage("lint needs at least one FILE%s", "");
    if (ls.json)
        putchar('[');
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--werror") == 0)
            continue;
        if (strcmp(argv[i], "--format") == 0) {
            i++;
            continue;
        }
        dosm_def_free(load(argv[i], &ls));
    }
    if (ls.json)
        printf("%s]\n", ls.first ? "" : "\n");
    return ls.errors || (ls.werror && ls.warnings) ? 1 : 0;
}

/* Loads the one FILE argument of a reading command, quietly unless it
 * fails. */
static dosm_def *load_one(const char *path)
{
    lint_state ls = {0, 0, 1, 0, 0};
    dosm_def *def = load(path, &ls);
    return ls.errors ? (dosm_def_free(def), NULL) : def;
}

static int cmd_states(int argc, char **argv)
{
    const char *tag = NULL, *file = NULL;
    dosm_def *def;
    int *order, i;
    size_t n, k;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--tag") == 0 && i + 1 < argc)
            tag = argv[++i];
        else if (argv[i][0] == '-' || file)
            return usage("states: unexpected argument '%s'", argv[i]);
        else
            file = argv[i];
    }
    if (!file)
        return usage("states needs a FILE%s", "");
    if (!(def = load_one(file)))
        return 1;
    n = dosm_states_tagged(def, tag, NULL, 0);
    order = malloc((n + 1) * sizeof *order);
    if (!order) {
        dosm_def_free(def);
        return 1;
    }
    dosm_states_tagged(def, tag, order, n);
    for (k = 0; k < n; k++) {
        dosm_state_info si;
        size_t t;
        dosm_state_get(def, order[k], &si);
        printf("%s\t%s\t%s\t", si.id, si.label,
               dosm_attention_name(si.attention));
        for (t = 0; t < si.tag_count; t++)
            printf("%s%s", t ? "," : "", si.tags[t]);
        putchar('\n');
    }
    free(order);
    dosm_def_free(def);
    return 0;
}

static const char help_text[] =
    "usage: dosm COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  lint [--format text|json] [--werror] FILE...\n"
    "      Load and check each workflow file. Diagnostics go to stderr as\n"
    "      FILE:LINE:COL: error: TEXT (or warning); with --format json, to\n"
    "      stdout as a JSON array. Exit 0 when no file has errors, else 1;\n"
    "      --werror counts warnings as errors.\n"
    "  states FILE [--tag TAG]\n"
    "      One line per state, ID<TAB>LABEL<TAB>ATTENTION<TAB>TAGS, in rank\n"
    "      order; with --tag, only states carrying TAG.\n"
    "  help [COMMAND]\n"
    "      This text.\n"
    "  --version\n"
    "      The version of dosm and of the linked library.\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 usage error.\n";

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage("missing COMMAND%s", "");
    if (strcmp(argv[1], "--version") == 0) {
        printf("dosm %s (libdosm %s)\n", dosm_version(), dosm_version());
        return 0;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(help_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "lint") == 0)
        return cmd_lint(argc - 2, argv + 2);
    if (strcmp(argv[1], "states") == 0)
        return cmd_states(argc - 2, argv + 2);
    return usage("unknown command '%s'", argv[1]);
}

/* The dosm tool: shared declarations. The tool is a host program on
 * libdosm's public API; it owns the I/O the library does not have. */
#ifndef DOSM_CLI_H
#define DOSM_CLI_H

#include <dosm.h>

#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define MAX_PAIRS 64

/* Prints "dosm: MESSAGE" and a hint to stderr; returns EXIT_USAGE. */
int usage(const char *fmt, ...);

/* Reads a whole file (NUL-terminated); NULL with errno on failure. */
char *read_file(const char *path, size_t *len);
/* Appends printf-style text to buf (size bytes, used of them taken) and
 * returns the new length: at most size - 1, the text cut short when it
 * does not fit, so a caller may append again without checking. */
size_t append(char *buf, size_t size, size_t used, const char *fmt, ...);

/* libyaml documents (scenario files; a workflow is read only through the
 * library): the value of `key` in a mapping, or NULL; a scalar's text, or
 * NULL for any other node. */
yaml_node_t *doc_get(yaml_document_t *doc, yaml_node_t *map, const char *key);
const char *doc_text(yaml_node_t *n);

/* Paths: the last directory separator, or NULL; whether a path is
 * absolute. Windows has \\ as well as /, and drive letters (C:/x). */
const char *last_separator(const char *path);
int is_absolute(const char *path);

/* How diagnostics are printed: as compilers do, or as JSON. */
typedef struct report {
    int json, first;
    unsigned errors, warnings;
} report;

void report_diagnostic(report *r, const char *file, unsigned line,
                       unsigned col, int warning, const char *code,
                       const char *text);
/* A dosm_load_options::on_diagnostic that prints into the report (user). */
void report_on_diagnostic(void *user, const dosm_diagnostic *d);
/* Loads a workflow file, printing its diagnostics; NULL on failure. */
dosm_def *load_workflow(const char *path, report *r);
/* Loads quietly unless it fails (then as lint prints). */
dosm_def *load_one(const char *path);

/* name=value pairs from --set options or event lines. */
typedef struct pairs {
    dosm_pair items[MAX_PAIRS];
    char *storage[MAX_PAIRS];
    size_t count;
    dosm_values values;
} pairs;

/* Adds "NAME=VALUE" (copied); 0 when malformed or full. */
int pairs_add(pairs *p, const char *assignment);
/* Sets NAME to VALUE, replacing an earlier value; 0 as pairs_add. */
int pairs_set(pairs *p, const char *name, const char *value);
void pairs_free(pairs *p);
/* Checks every pair as an attribute of def; prints a usage error. */
int pairs_check_attributes(const pairs *p, const dosm_def *def);

/* Binds each NAME=true|false of `guards` as the host's answer to that
 * named guard; 0 with a sentence in `why` when a value is neither or the
 * workflow declares no such guard. */
int bind_guards(dosm_host *host, const pairs *guards, char *why, size_t size);

/* A STATE argument: id or label, case-insensitive; -1 after a usage
 * message when it names no state an order can be in. */
int state_arg(const dosm_def *def, const char *name);

/* A command's arguments, as main parses them from the command's option
 * table (main.c): its operands in order, then every option any command
 * has (each command's table says which it takes). */
typedef struct args {
    char **operands;     /* file is operands[0], positional the rest */
    int noperands;
    const char *file;
    char **positional;
    int npositional;     /* set to -1 by inspect.c: a usage error */
    pairs set, guards;   /* --set, --guard */
    int all, observe, werror, coverage;
    const char *from, *tag, *vocab, *output, *format, *min_coverage, *junit;
} args;

void args_free(args *a);
/* A host answering the --guard options (NULL when there are none, so
 * named guards are false); *rc is EXIT_USAGE after a message when one
 * does not bind or the host cannot be made. */
dosm_host *args_host(const args *a, const dosm_def *def, int *rc);

/* JUnit XML results (junit.c): cases in the order added, a testsuite
 * for each run of cases with the same suite; failure is NULL for a pass.
 * junit_add copies its strings; 0 when out of memory. */
typedef struct junit junit;
junit *junit_new(void);
int junit_add(junit *j, const char *suite, const char *name,
              const char *classname, const char *failure, double seconds);
/* Writes the document; 0 on a write error. */
int junit_write(const junit *j, FILE *f);
void junit_free(junit *j);

/* The commands; main frees their args. */
int cmd_lint(args *a);
int cmd_states(args *a);
int cmd_next(args *a);
int cmd_path(args *a);
int cmd_run(args *a);
int cmd_dot(args *a);
int cmd_mermaid(args *a);
int cmd_test(args *a);
int cmd_cover(args *a);

#endif

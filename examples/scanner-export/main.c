/* scanner-export: a Virtuo Vivo scanner's export queue, killed and
 * restarted at will without losing a case or exporting one twice.
 * Exit status: 0 success, 1 failure, 2 usage. */
#define _POSIX_C_SOURCE 200809L
#include "scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char commands_text[] =
    "  init          start an empty queue in DIR, and the lab in DIR/lab\n"
    "  add CASE...   scan new cases up to READY_TO_EXPORT and queue them\n"
    "  run           send every ready case to the lab, then upload each\n"
    "  status        each case's state, and whether the lab has it\n"
    "  history CASE  the steps of a case, as dosm_replay checked them\n";

enum { OPT_DIE_AFTER = 1, OPT_CHUNK_DELAY, OPT_HELP = 'h' };

/* The options, once: getopt_long's table, the usage line and the help are
 * made from it. */
static const struct option_doc {
    const char *name;
    const char *arg; /* NULL: the option takes no value */
    int val;
    const char *text; /* lines after the first are indented like it */
} docs[] = {
    {"die-after", "N", OPT_DIE_AFTER,
     "kill the program at its N-th crash point (after each\n"
     "durable write and each uploaded chunk)"},
    {"chunk-delay", "MS", OPT_CHUNK_DELAY,
     "wait MS milliseconds (at most 10000) before each\n"
     "chunk of an upload"},
    {"help", NULL, OPT_HELP, "print this help"},
};
#define DOC_COUNT (sizeof docs / sizeof *docs)

static void usage_line(FILE *out)
{
    size_t i;
    fputs("usage: scanner-export", out);
    for (i = 0; i < DOC_COUNT; i++)
        if (docs[i].arg)
            fprintf(out, " [--%s %s]", docs[i].name, docs[i].arg);
    fputs(" DIR COMMAND\n", out);
}

static void help(FILE *out)
{
    size_t i;
    usage_line(out);
    fprintf(out, "\n%s\n", commands_text);
    for (i = 0; i < DOC_COUNT; i++) {
        const char *t = docs[i].text, *nl;
        int n = fprintf(out, "  --%s%s%s", docs[i].name,
                        docs[i].arg ? " " : "", docs[i].arg ? docs[i].arg : "");
        for (; (nl = strchr(t, '\n')) != NULL; t = nl + 1, n = 0)
            fprintf(out, "%*s%.*s\n", 20 - n, "", (int)(nl - t), t);
        fprintf(out, "%*s%s\n", 20 - n, "", t);
    }
}

typedef struct options {
    unsigned long die_after;
    unsigned chunk_delay;
    const char *dir, *command;
    char **args;
    int nargs;
} options;

int case_id_valid(const char *id)
{
    size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789_-");
    return n > 0 && n <= CASE_ID_MAX && id[n] == '\0';
}

const char *read_number(const char *text, unsigned long *out)
{
    char *end;
    if (*text < '0' || *text > '9') /* strtoul would take " -1" */
        return NULL;
    errno = 0;
    *out = strtoul(text, &end, 10);
    return errno ? NULL : end;
}

/* The usage line; all the help when run without arguments. */
static int usage(const char *what, const char *arg)
{
    fprintf(stderr, "scanner-export: %s%s\n", what, arg);
    usage_line(stderr);
    return EXIT_USAGE;
}

/* One writer at a time: two processes that each rewrite the whole queue
 * would lose each other's changes. The lock goes when the process does,
 * however it ends. Readers (status, history) need none: rename() shows
 * them a whole file. Only init creates DIR/lock, so that a writer pointed
 * at the wrong directory changes nothing there. */
static int lock_dir(const char *dir, int create)
{
    char path[4096];
    struct flock lock;
    int fd;
    if (path_join(path, sizeof path, dir, "lock") != 0 ||
        (fd = open(path, create ? O_RDWR | O_CREAT : O_RDWR, 0644)) < 0) {
        fprintf(stderr, "scanner-export: cannot open %s/lock: %s%s\n", dir,
                strerror(errno),
                errno == ENOENT ? " (to start a new queue: init)" : "");
        return -1;
    }
    memset(&lock, 0, sizeof lock);
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &lock) != 0) {
        fprintf(stderr, "scanner-export: %s is in use by another "
                "scanner-export\n", dir);
        close(fd);
        return -1;
    }
    return fd;
}

static int cmd_init(const vivo *v, const options *o, queue *q)
{
    char path[4096];
    struct stat st;
    if (path_join(path, sizeof path, o->dir, "queue") == 0 &&
        stat(path, &st) == 0) {
        fprintf(stderr, "scanner-export: %s already holds a queue\n", o->dir);
        return EXIT_FAILED;
    }
    if (lab_create(o->dir) != 0 || queue_save(v, o->dir, q) != 0)
        return EXIT_FAILED;
    printf("%s: an empty queue, and the lab in %s/lab\n", o->dir, o->dir);
    return 0;
}

/* All the new cases or none: they are checked first and saved together. */
static int cmd_add(const vivo *v, const options *o, queue *q)
{
    int i;
    for (i = 0; i < o->nargs; i++) {
        export_case *c;
        if (!case_id_valid(o->args[i]))
            return usage("not a case id (1 to 32 of A-Z a-z 0-9 _ -): ",
                         o->args[i]);
        if (queue_find(q, o->args[i])) {
            fprintf(stderr, "scanner-export: case %s is already in the "
                    "queue\n", o->args[i]);
            return EXIT_FAILED;
        }
        if (!(c = queue_push(q)) || vivo_new_case(v, c, o->args[i]) != 0)
            return EXIT_FAILED;
    }
    if (queue_save(v, o->dir, q) != 0)
        return EXIT_FAILED;
    for (i = 0; i < o->nargs; i++)
        printf("case %s: %s\n", o->args[i],
               vivo_state(v, queue_find(q, o->args[i])));
    return 0;
}

/* Fires one step and stores it; prints it once it is stored. */
static int step_case(const vivo *v, const options *o, queue *q,
                     export_case *c, int event)
{
    const char *from = vivo_state(v, c);
    if (vivo_fire(v, c, event) != 0 || queue_save(v, o->dir, q) != 0)
        return -1;
    printf("case %s: %s -> %s\n", c->id, from, vivo_state(v, c));
    return 0;
}

static int upload(const vivo *v, const options *o, queue *q, export_case *c)
{
    int sent;
    if (step_case(v, o, q, c, v->upload_started) != 0)
        return -1;
    sent = upload_case(o->dir, c->id, o->chunk_delay);
    if (sent == UPLOAD_FAILED)
        return -1;
    printf(sent == UPLOAD_SENT ? "case %s: the lab has it\n"
                               : "case %s: the lab had it already, from an "
                                 "upload the scanner did not live to record\n",
           c->id);
    return step_case(v, o, q, c, v->upload_done);
}

/* A restart: a case left UPLOADING by a crash goes back IN_UPLOAD_QUEUE
 * (vivo.yaml: transient: IN_UPLOAD_QUEUE), stored before anything else. */
static int restore_all(const vivo *v, const options *o, queue *q)
{
    size_t i, moved = 0;
    for (i = 0; i < q->count; i++) {
        export_case *c = &q->cases[i];
        const char *from = vivo_state(v, c);
        int rc = vivo_restore(v, c);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            printf("case %s: %s -> %s (restart), retrying upload\n", c->id,
                   from, vivo_state(v, c));
            moved++;
        }
    }
    return moved ? queue_save(v, o->dir, q) : 0;
}

static int cmd_run(const vivo *v, const options *o, queue *q)
{
    size_t i;
    if (restore_all(v, o, q) != 0)
        return EXIT_FAILED;
    for (i = 0; i < q->count; i++)
        if (q->cases[i].inst.state == v->ready &&
            step_case(v, o, q, &q->cases[i], v->send_to_lab) != 0)
            return EXIT_FAILED;
    for (i = 0; i < q->count; i++)
        if (q->cases[i].inst.state == v->queued &&
            upload(v, o, q, &q->cases[i]) != 0)
            return EXIT_FAILED;
    return 0;
}

static int cmd_status(const vivo *v, const options *o, queue *q)
{
    size_t i;
    for (i = 0; i < q->count; i++)
        printf("case %s: %s, lab: %s\n", q->cases[i].id,
               vivo_state(v, &q->cases[i]),
               lab_has(o->dir, q->cases[i].id) ? "yes" : "no");
    return 0;
}

static int cmd_history(const vivo *v, const options *o, queue *q)
{
    const export_case *c = queue_find(q, o->args[0]);
    const char *from = dosm_state_id(v->def, dosm_instance_initial(v->def).state);
    size_t i;
    if (!c) {
        fprintf(stderr, "scanner-export: no case %s in the queue\n",
                o->args[0]);
        return EXIT_FAILED;
    }
    for (i = 0; i < c->steps; i++) {
        printf("%lu %s --%s--> %s\n", (unsigned long)(i + 1), from,
               c->history[i].event, c->history[i].to);
        from = c->history[i].to;
    }
    return 0;
}

/* "--NAME" of the option whose getopt value is @p val. */
static const char *long_name(int val, char *out, size_t size)
{
    size_t i = 0;
    while (i < DOC_COUNT && docs[i].val != val)
        i++;
    snprintf(out, size, "--%s", i < DOC_COUNT ? docs[i].name : "?");
    return out;
}

/* Returns -1 to go on, or an exit code. */
static int parse_options(int argc, char **argv, options *o)
{
    struct option table[DOC_COUNT + 1];
    unsigned long n;
    size_t i;
    int opt;
    char name[32];
    memset(o, 0, sizeof *o);
    memset(table, 0, sizeof table);
    if (argc < 2) {
        help(stderr);
        return EXIT_USAGE;
    }
    for (i = 0; i < DOC_COUNT; i++) {
        table[i].name = docs[i].name;
        table[i].has_arg = docs[i].arg ? required_argument : no_argument;
        table[i].val = docs[i].val;
    }
    opterr = 0; /* our messages, in our words */
    /* '+': options come before DIR, as the usage says */
    while ((opt = getopt_long(argc, argv, "+:h", table, NULL)) != -1) {
        const char *end = optarg ? read_number(optarg, &n) : NULL;
        if (opt == OPT_HELP) {
            help(stdout);
            return 0;
        }
        if (opt == ':')
            return usage("missing value after ",
                         long_name(optopt, name, sizeof name));
        if (opt == '?')
            return usage("bad option: ", argv[optind - 1]);
        if (!end || *end)
            return usage("not a number: ", optarg);
        if (opt == OPT_DIE_AFTER && n > 0)
            o->die_after = n;
        else if (opt == OPT_CHUNK_DELAY && n <= 10000)
            o->chunk_delay = (unsigned)n;
        else
            return usage("bad option: ", long_name(opt, name, sizeof name));
    }
    if (argc - optind < 2)
        return usage("missing DIR or COMMAND", "");
    o->dir = argv[optind];
    o->command = argv[optind + 1];
    o->args = argv + optind + 2;
    o->nargs = argc - optind - 2;
    return -1;
}

typedef struct command {
    const char *name;
    int (*run)(const vivo *v, const options *o, queue *q);
    int min_args, max_args;
    int writes; /* takes the lock; readers need none */
} command;

static const command commands[] = {
    {"init", cmd_init, 0, 0, 1},   {"add", cmd_add, 1, INT_MAX, 1},
    {"run", cmd_run, 0, 0, 1},     {"status", cmd_status, 0, 0, 0},
    {"history", cmd_history, 1, 1, 0},
};

#define COUNT (sizeof commands / sizeof commands[0])

int main(int argc, char **argv)
{
    const command *c = commands;
    options o;
    vivo v;
    queue q;
    int lock = -1, rc = EXIT_FAILED;
    if ((rc = parse_options(argc, argv, &o)) >= 0)
        return rc;
    rc = EXIT_FAILED;
    while (c < commands + COUNT && strcmp(o.command, c->name) != 0)
        c++;
    if (c == commands + COUNT)
        return usage("no command ", o.command);
    if (o.nargs < c->min_args || o.nargs > c->max_args)
        return usage("wrong number of arguments for ", o.command);
    setvbuf(stdout, NULL, _IOLBF, 0); /* what is printed survives a kill */
    crash_point_arm(o.die_after);
    if (c->run == cmd_init && mkdir(o.dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "scanner-export: cannot create %s: %s\n", o.dir,
                strerror(errno));
        return EXIT_FAILED;
    }
    if (vivo_open(&v, SCANNER_VIVO_YAML) != 0)
        return EXIT_FAILED;
    memset(&q, 0, sizeof q);
    if ((!c->writes || (lock = lock_dir(o.dir, c->run == cmd_init)) >= 0) &&
        (c->run == cmd_init || queue_load(&v, o.dir, &q) == 0))
        rc = c->run(&v, &o, &q);
    queue_free(&q);
    if (lock >= 0)
        close(lock);
    vivo_close(&v);
    return rc;
}

/* dosm run: fire events (or reconcile observed statuses) read from stdin. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the state each accepted step leads to, and its effects. */
static void print_step(const dosm_callback_info *info, void *user)
{
    const dosm_record *r = info->record;
    size_t i;
    (void)user;
    fputs(r->to, stdout);
    for (i = 0; i < r->effect_count; i++)
        printf("%s%s", i ? "," : "\t", r->effects[i]);
    putchar('\n');
}

static char *trim(char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' ||
                       end[-1] == '\t'))
        *--end = '\0';
    return s;
}

/* One input line: an event with payload fields, or an observed status. */
static int run_line(const dosm_def *def, const dosm_host *host,
                    dosm_instance *inst, char *line, const args *a,
                    long lineno)
{
    dosm_request req;
    dosm_outcome out;
    pairs payload;
    char *word = line, *field;
    const char *before = dosm_state_id(def, inst->state);
    int rc;
    memset(&payload, 0, sizeof payload);
    memset(&req, 0, sizeof req);
    req.attributes = &a->set.values;
    if (a->observe && a->vocab) {
        rc = dosm_reconcile_external(def, host, inst, a->vocab, line, &req,
                                     &out);
    } else if (a->observe) {
        rc = dosm_reconcile(def, host, inst, line, &req, &out);
    } else {
        word = strtok(line, " \t");
        while ((field = strtok(NULL, " \t")) != NULL)
            if (!pairs_add(&payload, field)) {
                fprintf(stderr, "dosm: line %ld: '%s' is not NAME=VALUE\n",
                        lineno, field);
                pairs_free(&payload);
                return EXIT_FAILED;
            }
        req.event = word;
        req.payload = &payload.values;
        rc = dosm_fire(def, host, inst, &req, &out);
    }
    pairs_free(&payload);
    if (rc == DOSM_OK)
        return 0;
    fprintf(stderr, "rejected: %s in %s: %s\n", word, before,
            out.text[0] ? out.text : dosm_code_text(rc));
    return EXIT_FAILED;
}

int cmd_run(args *a)
{
    dosm_def *def;
    dosm_host *host;
    dosm_instance inst;
    char line[4096];
    long lineno = 0;
    int rc, status = 0;
    if (a->vocab && !a->observe)
        return usage("run: --vocab reads observed values: it needs --observe");
    if (!(def = load_one(a->file)))
        return EXIT_FAILED;
    inst = dosm_instance_initial(def);
    if ((a->vocab && dosm_vocab_find(def, a->vocab) < 0 &&
         usage("run: workflow %s has no vocabulary '%s'", dosm_def_name(def),
               a->vocab)) ||
        pairs_check_attributes(&a->set, def) != 0 ||
        (a->from && (rc = state_arg(def, a->from)) < 0)) {
        dosm_def_free(def);
        return EXIT_USAGE;
    }
    if (a->from)
        inst.state = (uint16_t)rc;
    host = dosm_host_new(def, NULL);
    if (!host) {
        dosm_def_free(def);
        return EXIT_FAILED;
    }
    if (!bind_guards(host, &a->guards, line, sizeof line)) {
        usage("--guard: %s", line);
        dosm_host_free(host);
        dosm_def_free(def);
        return EXIT_USAGE;
    }
    dosm_host_on(host, DOSM_ON_TRANSITION, print_step, NULL);
    while (fgets(line, sizeof line, stdin)) {
        char *text = trim(line);
        lineno++;
        if (*text == '\0' || *text == '#')
            continue;
        if (run_line(def, host, &inst, text, a, lineno) != 0)
            status = EXIT_FAILED;
    }
    dosm_host_free(host);
    dosm_def_free(def);
    return status;
}

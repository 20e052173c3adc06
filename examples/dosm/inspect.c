/* dosm states, next and path: reading a workflow without firing. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_states(args *a)
{
    dosm_def *def;
    int *order;
    size_t n, k;
    if (!(def = load_one(a->file)))
        return EXIT_FAILED;
    if (a->vocab && dosm_vocab_find(def, a->vocab) < 0) {
        usage("states: workflow %s has no vocabulary '%s'", dosm_def_name(def),
              a->vocab);
        dosm_def_free(def);
        return EXIT_USAGE;
    }
    n = a->tag ? dosm_states_tagged(def, a->tag, NULL, 0)
               : dosm_states_ranked(def, NULL, 0);
    order = malloc((n + 1) * sizeof *order);
    if (!order) {
        dosm_def_free(def);
        return EXIT_FAILED;
    }
    if (a->tag)
        dosm_states_tagged(def, a->tag, order, n);
    else
        dosm_states_ranked(def, order, n);
    for (k = 0; k < n; k++) {
        dosm_state_info si;
        size_t t;
        dosm_state_get(def, order[k], &si);
        printf("%s\t%s\t%s\t", si.id, si.label,
               dosm_attention_name(si.attention));
        for (t = 0; t < si.tag_count; t++)
            printf("%s%s", t ? "," : "", si.tags[t]);
        if (a->vocab) { /* its values in the vocabulary, or - */
            const char *values[64];
            size_t count = dosm_state_externals(def, order[k], a->vocab,
                                                values, 64);
            putchar('\t');
            for (t = 0; t < count && t < 64; t++)
                printf("%s%s", t ? "," : "", values[t]);
            if (!count)
                putchar('-');
        }
        putchar('\n');
    }
    free(order);
    dosm_def_free(def);
    return 0;
}

/* Loads FILE, checks --set, resolves the STATE positionals and makes the
 * host that answers --guard (NULL without any). */
static dosm_def *prepare(args *a, int *states, int n, dosm_host **host)
{
    dosm_def *def = load_one(a->file);
    int i, rc;
    *host = NULL;
    if (!def)
        return NULL;
    if (pairs_check_attributes(&a->set, def) != 0)
        goto usage_error;
    for (i = 0; i < n; i++)
        if ((states[i] = state_arg(def, a->positional[i])) < 0)
            goto usage_error;
    *host = args_host(a, def, &rc);
    if (rc != 0)
        goto usage_error;
    return def;
usage_error:
    dosm_def_free(def);
    a->npositional = -1; /* tells the caller: usage, not failure */
    return NULL;
}

static int failed(const args *a)
{
    return a->npositional < 0 ? EXIT_USAGE : EXIT_FAILED;
}

int cmd_next(args *a)
{
    dosm_def *def;
    dosm_host *host;
    dosm_instance inst;
    dosm_request req;
    dosm_choice opts[256];
    size_t n, i;
    int state;
    if (!(def = prepare(a, &state, 1, &host)))
        return failed(a);
    inst = dosm_instance_initial(def);
    inst.state = (uint16_t)state;
    memset(&req, 0, sizeof req);
    req.attributes = &a->set.values;
    n = dosm_choices(def, host, &inst, &req, opts, 256);
    for (i = 0; i < n && i < 256; i++) {
        const char *event = dosm_event_name(def, opts[i].event);
        const char *target = opts[i].target == (int)DOSM_NO_STATE
                                 ? "previous"
                                 : dosm_state_id(def, opts[i].target);
        if (opts[i].code == DOSM_OK)
            printf("%s\t%s\n", event, target);
        else if (a->all) /* the choice's own sentence, as a UI shows it */
            printf("%s\t%s\trejected: %s\n", event, target, opts[i].text);
    }
    dosm_host_free(host);
    dosm_def_free(def);
    return 0;
}

int cmd_path(args *a)
{
    dosm_def *def;
    dosm_host *host;
    dosm_instance inst;
    dosm_request req;
    dosm_outcome out;
    dosm_step *steps;
    size_t n = 0, i;
    int ends[2], rc;
    if (!(def = prepare(a, ends, 2, &host)))
        return failed(a);
    inst = dosm_instance_initial(def);
    inst.state = (uint16_t)ends[0];
    memset(&req, 0, sizeof req);
    req.attributes = &a->set.values;
    steps = malloc((size_t)dosm_state_count(def) * sizeof *steps);
    rc = steps ? dosm_path(def, host, &inst, ends[1], &req, steps,
                           (size_t)dosm_state_count(def), &n, &out)
               : DOSM_E_NOMEM;
    if (rc == DOSM_OK) {
        for (i = 0; i < n; i++)
            printf("%s\t%s\t%s\n", dosm_state_id(def, steps[i].from),
                   steps[i].event >= 0 ? dosm_event_name(def, steps[i].event)
                                       : DOSM_EVENT_RESTART, /* a fallback */
                   dosm_state_id(def, steps[i].to));
    } else {
        fprintf(stderr, "dosm: no path: %s\n",
                rc == DOSM_R_NO_PATH ? out.text : dosm_code_text(rc));
    }
    free(steps);
    dosm_host_free(host);
    dosm_def_free(def);
    return rc == DOSM_OK ? 0 : EXIT_FAILED;
}

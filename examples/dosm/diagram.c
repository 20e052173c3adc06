/* dosm dot and dosm mermaid: a workflow as a Graphviz or Mermaid diagram.
 * States show id and label in their attention colour, parents are
 * clusters, final states have a double border, transient states a dashed
 * one, and `any` and `previous` are drawn as pseudo-states. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char *const fill[] = {"#f4cccc", "#fff2cc", "#d9ead3",
                                   "#ffffff"};

/* Graphviz and Mermaid strings: quotes and backslashes escaped. */
static void quoted(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            putchar('\\');
        putchar(*s);
    }
    putchar('"');
}

static void edge_label(const dosm_def *def, const dosm_transition_info *t)
{
    size_t i;
    char text[1024];
    size_t n = append(text, sizeof text, 0, "%s",
                      dosm_event_name(def, t->event));
    if (t->guard)
        n = append(text, sizeof text, n, " [%s]", t->guard);
    for (i = 0; i < t->effect_count; i++)
        n = append(text, sizeof text, n, "%s%s", i ? ", " : " / ",
                   t->effects[i]);
    quoted(text);
}

/* Any leaf below a parent, for drawing edges that leave its cluster. */
static int first_leaf(const dosm_def *def, int parent)
{
    int s, n = (int)dosm_state_count(def);
    for (s = 0; s < n; s++) {
        dosm_state_info si;
        int p;
        dosm_state_get(def, s, &si);
        if (si.is_parent)
            continue;
        for (p = si.parent; p >= 0; p = (dosm_state_get(def, p, &si), si.parent))
            if (p == parent)
                return s;
    }
    return -1;
}

/* The next child of `parent` after state `after` (-1: the first), or -1. */
static int next_child(const dosm_def *def, int parent, int after,
                      dosm_state_info *si)
{
    int s, n = (int)dosm_state_count(def);
    for (s = after + 1; s < n; s++)
        if (dosm_state_get(def, s, si) == DOSM_OK && si->parent == parent)
            return s;
    return -1;
}

static void dot_state(const dosm_def *def, int s, int indent)
{
    dosm_state_info si;
    dosm_state_get(def, s, &si);
    printf("%*s", indent, "");
    quoted(si.id);
    printf(" [label=");
    {
        char label[512];
        /* Vendors whose labels are their ids (Vivo) need them once. */
        int same = strcmp(si.id, si.label) == 0;
        snprintf(label, sizeof label, "%s%s%s%s", si.id, same ? "" : "\n",
                 same ? "" : si.label, si.fallback >= 0 ? "\n(transient)" : "");
        quoted(label);
    }
    printf(", fillcolor=\"%s\"%s%s];\n", fill[si.attention & 3],
           si.final ? ", peripheries=2" : "",
           si.fallback >= 0 ? ", style=\"rounded,filled,dashed\"" : "");
}

static void dot_children(const dosm_def *def, int parent, int indent)
{
    dosm_state_info si;
    int s;
    for (s = next_child(def, parent, -1, &si); s >= 0;
         s = next_child(def, parent, s, &si)) {
        if (!si.is_parent) {
            dot_state(def, s, indent);
            continue;
        }
        printf("%*ssubgraph ", indent, "");
        {
            char name[128];
            snprintf(name, sizeof name, "cluster_%s", si.id);
            quoted(name);
        }
        printf(" {\n%*slabel=", indent + 2, "");
        quoted(si.label);
        printf(";\n");
        dot_children(def, s, indent + 2);
        printf("%*s}\n", indent, "");
    }
}

int cmd_dot(args *a)
{
    dosm_def *def;
    int i, n, any = 0, history = 0;
    if (!(def = load_one(a->file)))
        return EXIT_FAILED;
    n = (int)dosm_transition_count(def);
    printf("digraph ");
    quoted(dosm_def_name(def));
    printf(" {\n  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", "
           "label=");
    {
        char title[512];
        snprintf(title, sizeof title, "%s (revision %u)", dosm_def_title(def),
                 (unsigned)dosm_def_revision(def));
        quoted(title);
    }
    printf("];\n  node [shape=box, style=\"rounded,filled\", "
           "fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", "
           "fontsize=10];\n");
    printf("  \"__start\" [shape=point, label=\"\"];\n");
    dot_children(def, -1, 2);
    printf("  \"__start\" -> ");
    quoted(dosm_state_id(def, dosm_instance_initial(def).state));
    printf(";\n");
    for (i = 0; i < n; i++) {
        dosm_transition_info t;
        size_t f;
        dosm_transition_get(def, i, &t);
        any |= t.from_count == 0;
        history |= t.target < 0;
        for (f = 0; f < (t.from_count ? t.from_count : 1); f++) {
            const char *to = t.target < 0 ? "__previous"
                                          : dosm_state_id(def, t.target);
            dosm_state_info si;
            int from = t.from_count ? t.from[f] : -1;
            printf("  ");
            if (from < 0) {
                quoted("__any");
            } else {
                dosm_state_get(def, from, &si);
                quoted(dosm_state_id(def, si.is_parent ? first_leaf(def, from)
                                                       : from));
            }
            printf(" -> ");
            quoted(to);
            printf(" [label=");
            edge_label(def, &t);
            if (from >= 0 && (dosm_state_get(def, from, &si), si.is_parent)) {
                char cluster[128];
                snprintf(cluster, sizeof cluster, "cluster_%s", si.id);
                printf(", ltail=");
                quoted(cluster);
            }
            printf("];\n");
        }
    }
    if (any)
        printf("  \"__any\" [shape=plaintext, style=\"\", label=\"any state "
               "that is not final\"];\n");
    if (history)
        printf("  \"__previous\" [shape=circle, style=\"\", label=\"H\", "
               "tooltip=\"the state the order was in before\"];\n");
    printf("}\n");
    dosm_def_free(def);
    return 0;
}

/* ---- Mermaid ---- */

static void mermaid_children(const dosm_def *def, int parent, int indent)
{
    dosm_state_info si;
    int s;
    for (s = next_child(def, parent, -1, &si); s >= 0;
         s = next_child(def, parent, s, &si)) {
        printf("%*sstate ", indent, "");
        quoted(si.label);
        printf(" as %s%s\n", si.id, si.is_parent ? " {" : "");
        if (si.is_parent) {
            mermaid_children(def, s, indent + 2);
            printf("%*s}\n", indent, "");
        }
    }
}

int cmd_mermaid(args *a)
{
    dosm_def *def;
    int i, s, n, any = 0, history = 0;
    if (!(def = load_one(a->file)))
        return EXIT_FAILED;
    printf("---\ntitle: %s (revision %u)\n---\nstateDiagram-v2\n  direction LR\n",
           dosm_def_title(def), (unsigned)dosm_def_revision(def));
    mermaid_children(def, -1, 2);
    printf("  [*] --> %s\n",
           dosm_state_id(def, dosm_instance_initial(def).state));
    n = (int)dosm_transition_count(def);
    for (i = 0; i < n; i++) {
        dosm_transition_info t;
        dosm_transition_get(def, i, &t);
        any |= t.from_count == 0;
        history |= t.target < 0;
    }
    if (any)
        printf("  state \"any state that is not final\" as ANY_STATE\n");
    if (history)
        printf("  state \"the state before (H)\" as PREVIOUS_STATE\n");
    for (i = 0; i < n; i++) {
        dosm_transition_info t;
        size_t f;
        dosm_transition_get(def, i, &t);
        for (f = 0; f < (t.from_count ? t.from_count : 1); f++) {
            printf("  %s --> %s: %s", t.from_count ? dosm_state_id(def, t.from[f])
                                                    : "ANY_STATE",
                   t.target < 0 ? "PREVIOUS_STATE" : dosm_state_id(def, t.target),
                   dosm_event_name(def, t.event));
            if (t.guard)
                printf(" [%s]", t.guard);
            putchar('\n');
        }
    }
    n = (int)dosm_state_count(def);
    for (s = 0; s < n; s++) {
        dosm_state_info si;
        dosm_state_get(def, s, &si);
        if (si.final)
            printf("  %s --> [*]\n", si.id);
        if (!si.is_parent)
            printf("  class %s %s\n", si.id, dosm_attention_name(si.attention));
    }
    for (s = 0; s < 4; s++)
        printf("  classDef %s fill:%s\n", dosm_attention_name(s), fill[s]);
    dosm_def_free(def);
    return 0;
}

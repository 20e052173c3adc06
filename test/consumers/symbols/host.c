/* A host whose own functions have the short names libdosm's internals had
 * before they took the reserved prefix dosm__ (text_format, names_build,
 * ...). Linked with libdosm.a, which pulls in every member that defines
 * them, it must link and run: the library defines no name but dosm_*. */
#include <dosm.h>

#include <stdio.h>
#include <string.h>

int text_format(char *out, int n);
int text_hash(const char *s);
int names_build(int n);
int names_find(int n);
int arena_alloc(int n);
int mem_alloc(int n);
int error_set(int n);
int diag_report(int n);
int guard_eval(int n);
int loader_build(int n);
int compiler_build(int n);
int yamltree_read(int n);

int text_format(char *out, int n) { return snprintf(out, 8, "%d", n); }
int text_hash(const char *s) { return (int)strlen(s); }
int names_build(int n) { return n + 1; }
int names_find(int n) { return n + 2; }
int arena_alloc(int n) { return n + 3; }
int mem_alloc(int n) { return n + 4; }
int error_set(int n) { return n + 5; }
int diag_report(int n) { return n + 6; }
int guard_eval(int n) { return n + 7; }
int loader_build(int n) { return n + 8; }
int compiler_build(int n) { return n + 9; }
int yamltree_read(int n) { return n + 10; }

int main(void)
{
    static const char yaml[] =
        "dosm: 1\nname: mini\ntitle: Mini\nrevision: 1\ninitial: NEW\n"
        "states:\n  NEW: { label: New, external: { fhir: requested } }\n"
        "  DONE: { label: Done, final: true, external: { fhir: completed } }\n"
        "events: { finish: }\n"
        "transitions: [ { event: finish, from: NEW, to: DONE } ]\n";
    dosm_def *def;
    dosm_error err;
    dosm_outcome out;
    dosm_request req = {0};
    dosm_instance order;
    char text[DOSM_SNAPSHOT_MAX], own[8];
    int sum;
    if (dosm_load(yaml, strlen(yaml), "mini.yaml", NULL, &def, &err) != DOSM_OK) {
        fprintf(stderr, "%s:%u:%u: error: %s\n", err.source, err.line,
                err.column, err.text);
        return 1;
    }
    order = dosm_instance_initial(def);
    req.event = "finish";
    if (dosm_fire(def, NULL, &order, &req, &out) != DOSM_OK ||
        dosm_encode(def, &order, text, sizeof text) != DOSM_OK) {
        fprintf(stderr, "fire: %s\n", out.text);
        dosm_def_free(def);
        return 1;
    }
    text_format(own, 42);
    sum = text_hash(own) + names_build(0) + names_find(0) + arena_alloc(0) +
          mem_alloc(0) + error_set(0) + diag_report(0) + guard_eval(0) +
          loader_build(0) + compiler_build(0) + yamltree_read(0);
    printf("%s -> %s, stored as %s; the host's own functions: %s, %d\n",
           out.record.from, out.record.to, text, own, sum);
    dosm_def_free(def);
    return 0;
}

/* A host program outside the tree: load a workflow, fire one event, and
 * fail unless the order lands in the expected state.
 * Usage: consumer WORKFLOW EVENT EXPECTED_STATE */
#include <dosm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    static char yaml[1 << 20];
    FILE *f;
    size_t n;
    dosm_def *def = NULL;
    dosm_error err;
    dosm_instance inst;
    dosm_request req = {0};
    dosm_outcome out;
    int landed;

    if (argc != 4 || !(f = fopen(argv[1], "rb")))
        return 2;
    n = fread(yaml, 1, sizeof yaml, f);
    fclose(f);
    if (dosm_version_number() != DOSM_VERSION_NUMBER ||
        dosm_load(yaml, n, argv[1], NULL, &def, &err) != DOSM_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column, err.text);
        return 1;
    }
    inst = dosm_instance_initial(def);
    req.event = argv[2];
    if (dosm_fire(def, NULL, &inst, &req, &out) != DOSM_OK) {
        fprintf(stderr, "%s\n", out.text);
        dosm_def_free(def);
        return 1;
    }
    printf("%s -> %s\n", out.record.from, out.record.to);
    landed = strcmp(out.record.to, argv[3]) == 0;
    dosm_def_free(def);
    return landed ? 0 : 1;
}

/* Decodes every snapshot string in a list written by an earlier release
 * (snapshots.txt) with today's library and workflows, and fails unless
 * each decodes and re-encodes to the same STATE[<PREVIOUS]#SEQ.
 * Usage: snapshots STATES_DIR LIST */
#include <dosm.h>

#include <stdio.h>
#include <string.h>

static char yaml[1 << 20];

/* Loads STATES_DIR/FILE; NULL (after saying why) when it cannot. */
static dosm_def *load(const char *dir, const char *file)
{
    char path[1024];
    FILE *f;
    size_t n;
    dosm_def *def = NULL;
    dosm_error err;

    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!(f = fopen(path, "rb"))) {
        fprintf(stderr, "cannot read %s\n", path);
        return NULL;
    }
    n = fread(yaml, 1, sizeof yaml, f);
    fclose(f);
    if (dosm_load(yaml, n, path, NULL, &def, &err) != DOSM_OK)
        fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column, err.text);
    return def;
}

/* 1 when @p text decodes with @p def and re-encodes to the same state part. */
static int still_decodes(const dosm_def *def, const char *text)
{
    dosm_instance inst;
    dosm_error err;
    char again[DOSM_SNAPSHOT_MAX];
    const char *was, *now;

    if (dosm_decode(def, text, &inst, &err) != DOSM_OK) {
        fprintf(stderr, "%s: %s\n", text, err.text);
        return 0;
    }
    if (dosm_encode(def, &inst, again, sizeof again) != DOSM_OK)
        return 0;
    was = strchr(text, ':');
    now = strchr(again, ':');
    if (!was || !now || strcmp(was, now) != 0) {
        fprintf(stderr, "%s: now encodes as %s\n", text, again);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    char line[512], file[256], text[DOSM_SNAPSHOT_MAX];
    FILE *list;
    int checked = 0, failed = 0;

    if (argc != 3 || !(list = fopen(argv[2], "r")))
        return 2;
    while (fgets(line, sizeof line, list)) {
        dosm_def *def;
        if (line[0] == '#')
            continue;
        checked++;
        if (sscanf(line, "%255s %255s", file, text) != 2 || !(def = load(argv[1], file))) {
            failed++;
            continue;
        }
        failed += !still_decodes(def, text);
        dosm_def_free(def);
    }
    fclose(list);
    printf("%d snapshot strings still decode\n", checked - failed);
    return failed || checked == 0;
}

/* Helpers shared by the tests: files, a counting allocator that can be
 * told to fail, and a quiet loader. */
#ifndef DOSM_TEST_SUPPORT_H
#define DOSM_TEST_SUPPORT_H

#include <dosm.h>
#include <stddef.h>

/* Reads a file into a NUL-terminated buffer (free it); NULL on failure. */
char *read_file(const char *path, size_t *len);

#include "counting_alloc.h"

/* Loads YAML text; fails the test with the first error if it does not. */
dosm_def *load_text(const char *yaml);

/* The test workflow "lab" (test/defs/good/lab.yaml): parents, guards of
 * every type, a named guard, effects, a history target, a timeout, a
 * payload, a transient state and a rollup status. */
#define LAB_PATH DOSM_SOURCE_DIR "/test/defs/good/lab.yaml"
dosm_def *load_lab(void);

/* Loads yaml failing its 1st, 2nd, ... allocation until a load succeeds;
 * each failure must end in DOSM_E_NOMEM ("out of memory", no definition)
 * with no block left live. Returns the number of failures injected and
 * ORs into *problems what went wrong (0: nothing). */
#define SWEEP_SUCCEEDED_ANYWAY 2 /* an allocation failed, yet DOSM_OK */
#define SWEEP_LEAK 4
#define SWEEP_WRONG_CODE 8
long sweep_allocations(const char *yaml, size_t len, int *problems);

#endif

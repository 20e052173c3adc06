/* Generated worst cases for loading (issue 15): definitions built to make
 * one part of dosm_load do as much work as the default limits allow. The
 * benchmark's --worst mode times them at full size; test/test_limits.c
 * asserts their outcomes (DOSM_OK, or the limit or error they must be
 * refused with) at sizes small enough for valgrind. */
#ifndef DOSM_WORST_H
#define DOSM_WORST_H

#include <stddef.h>

typedef struct worst_case {
    const char *name;
    const char *what;  /* one line: the shape of the input */
    /* Returns a malloc'd NUL-terminated YAML text of size n (what n counts
     * depends on the case; see `what`), its length in *len. */
    char *(*make)(int n, size_t *len);
    int bench_n;       /* the size the issue names, or the largest allowed */
    int test_n;        /* a size with the same outcome, cheap under valgrind */
} worst_case;

extern const worst_case worst_cases[];
extern const int worst_case_count;

/* The case called name, or NULL. */
const worst_case *worst_find(const char *name);

#endif

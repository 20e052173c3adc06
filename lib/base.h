/* Services every file of lib/ uses, the runtime as much as the load:
 * memory and arenas, text without stdio, name indexes, source positions
 * and the caller's error. Not installed. */
#ifndef DOSM_BASE_H
#define DOSM_BASE_H

#include "dosm.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* NOINLINE keeps a rare path out of a hot function, and out of its
 * registers; ALWAYS_INLINE puts fire's body in each public entry point. */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define NOINLINE __declspec(noinline)
#define ALWAYS_INLINE __forceinline
#else
#define NOINLINE
#define ALWAYS_INLINE inline
#endif

/* ---- memory.c: allocator hooks and arenas ---- */

void *dosm__mem_alloc(const dosm_allocator *a, size_t size);
void dosm__mem_free(const dosm_allocator *a, void *ptr);

/* An arena hands out memory that is freed all at once; a definition lives
 * in one, and each load has a scratch one for the YAML tree. */
typedef struct chunk chunk;
typedef struct arena {
    dosm_allocator alloc;
    chunk *head;
    size_t bytes; /* total held, for dosm_def_memory */
    size_t most;  /* the largest chunk it grows to */
} arena;

/* input: the length of the input the arena's contents grow with (SIZE_MAX
 * when unknown): chunks double up to half of it (4 kB to 1 MB), so a small
 * input's arenas get small chunks and waste little. */
void dosm__arena_init(arena *ar, const dosm_allocator *a, size_t input);
void *dosm__arena_alloc(arena *ar, size_t size); /* zeroed, NULL when out */
void *dosm__arena_array(arena *ar, size_t count, size_t size);
char *dosm__arena_strdup(arena *ar, const char *s, size_t len);
void dosm__arena_free(arena *ar);

/* ---- text.c: strings without stdio ---- */

/* Formats into buf like a tiny snprintf: %s, %d (int), %u (unsigned),
 * %U (uint64_t), %L (int64_t), %c and %%. Always NUL-terminates. */
size_t dosm__text_format(char *buf, size_t size, const char *fmt, ...);
size_t dosm__text_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int dosm__text_casecmp(const char *a, const char *b);
int dosm__text_ncasecmp(const char *a, const char *b, size_t n);
unsigned dosm__text_distance(const char *a, const char *b); /* edit distance */
/* Known names for "did you mean" hints: name_of(list, i) for i < count
 * (NULL entries are skipped). dosm__text_hint_prepare counts the letters
 * of each once, in scratch (0 when out of memory), for the hints of a big
 * table; without it each hint reads the names. */
typedef struct hint_names {
    const char *(*name_of)(const void *list, size_t i);
    const void *list;
    size_t count;
    uint64_t *classes;      /* per name, or NULL */
    unsigned char *lengths;
} hint_names;
int dosm__text_hint_prepare(hint_names *h, arena *scratch);
/* The known name nearest to a typo, or NULL. Looking at a name costs 1 of
 * *budget (unless budget is NULL), measuring one exactly 1,024; once it is
 * spent, the search stops where it is. */
const char *dosm__text_nearest(const char *typed, const hint_names *h,
                               size_t *budget);
/* The budget of a load's hints: 50 errors (the default) over 16,384
 * states, with the most measures each, take 14 Mi; this bounds a host's
 * higher max_errors (about 40 ms of hints). */
#define DOSM_HINT_BUDGET ((size_t)1 << 24)
/* FNV-1a: the definition hash in snapshots, so it must never change. */
uint32_t dosm__text_hash(uint32_t h, const char *s);
#define TEXT_HASH_SEED 2166136261u

typedef enum ident_kind { IDENT_STATE, IDENT_NAME, IDENT_WORKFLOW } ident_kind;
int dosm__text_is_ident(const char *s, ident_kind kind);

int dosm__text_parse_int(const char *s, int64_t *out);
int dosm__text_parse_version(const char *s, uint64_t *out);
int dosm__text_parse_duration(const char *s, int64_t *seconds);

/* ---- names.c: hash index from names to indexes ---- */

typedef struct name_slot {
    uint32_t hash;  /* of the name, folded to lower case when the index is */
    uint32_t len;   /* of the name, in bytes */
    uint32_t entry; /* which name, + 1 in the table (0 = empty): names.c */
} name_slot;

typedef struct name_index {
    name_slot *slots;
    uint32_t mask;
    uint32_t sorted; /* 0: a hash table; else the slots are this many
                        entries sorted by hash and name (colliding names) */
    int fold_case;
} name_index;

/* A keyed table: names of element i are given by a callback, so one index
 * serves states (id and label) and plain named things alike. */
typedef struct name_table {
    const void *table;
    size_t stride;      /* bytes between elements */
    size_t offset;      /* offset of the `const char *` name */
    size_t offset2;     /* second name (state labels) or (size_t)-1 */
} name_table;

typedef struct name_clash {
    void (*fn)(void *user, int32_t first, int32_t second, const char *name);
    void *user;
} name_clash;

int dosm__names_build(name_index *ix, arena *ar, const name_table *t, size_t count,
                int fold_case, const name_clash *clash);
int32_t dosm__names_find(const name_index *ix, const name_table *t, const char *name);
/* The same for the first len bytes of name (which need no NUL). */
int32_t dosm__names_find_n(const name_index *ix, const name_table *t,
                           const char *name, size_t len);
/* The index's hash of a name (len bytes). Fixed, so a file can aim at it:
 * test/bench/worst.c builds colliding names with it. */
uint32_t dosm__names_hash(const char *name, size_t len, int fold_case);
/* The name at byte offset `off` of element i of a table. */
const char *dosm__name_at(const name_table *t, int32_t i, size_t off);

/* ---- errors.c: source positions and the caller's error ---- */

typedef struct mark { uint32_t line, col; } mark; /* 1-based; 0 = none */

void dosm__error_set(dosm_error *e, int code, const char *fmt, ...);

#endif

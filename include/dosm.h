/**
 * @file dosm.h
 * libdosm: state machines for dental orders.
 *
 * This header is the whole contract: anything not declared here is
 * unsupported. The library does no I/O, reads no clock or environment and
 * keeps no global state; the host owns storage, networking and time.
 *
 * NULL: every function accepts NULL for every pointer it takes. One that
 * returns a code returns DOSM_E_ARG (with its sentence where it fills an
 * outcome or error); a query returns its neutral value: NULL for a
 * string, 0 for a count, -1 for an index, UINT32_MAX for a sort key, "no"
 * for a yes/no question. Each function's documentation says which; a
 * table-driven test calls every one of them with each NULL.
 *
 * Inside a callback, the host's own instance has the busy bit (0x8000) in
 * its @c state: every call that takes a state index accepts it, and the
 * callback's dosm_callback_info has clean copies (before, after).
 *
 * Copyright (c) 2026 The libdosm authors. MIT licence, see LICENSE.
 */
/**
 * @mainpage libdosm
 * libdosm is a C99 library of state machines for dental orders. A host
 * loads a YAML workflow with dosm_load, keeps each order as an 8-byte
 * dosm_instance, fires events on it with dosm_fire (callbacks through a
 * dosm_host), stores it with dosm_encode and dosm_decode, and reconciles it
 * with a vendor's status with dosm_reconcile. Every call and result code is
 * documented in dosm.h; the workflow files are described in
 * @ref md_states_README "the workflow format", and checked in editors by
 * the JSON Schema states/dosm.schema.json.
 */
#ifndef DOSM_H
#define DOSM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup loading Loading, versions and errors */ /** @{ */
/* ------------------------------------------------------------------ */
/* Version and export                                                 */
/* ------------------------------------------------------------------ */

/** Major version of this header: raised for changes that break the API. */
#define DOSM_VERSION_MAJOR 0
/** Minor version of this header: raised for additions. */
#define DOSM_VERSION_MINOR 4
/** Patch version of this header: raised for fixes. */
#define DOSM_VERSION_PATCH 1
/** The version as one number, MAJOR * 10000 + MINOR * 100 + PATCH. */
#define DOSM_VERSION_NUMBER                                                   \
    (DOSM_VERSION_MAJOR * 10000 + DOSM_VERSION_MINOR * 100 + DOSM_VERSION_PATCH)

/**
 * @def DOSM_API
 * Marks the functions the library exports: dllexport/dllimport on Windows,
 * default visibility with GCC and Clang (everything else is hidden).
 * Define DOSM_STATIC when linking the static library on Windows (the CMake
 * target dosm::static does it for you).
 */
#if defined(_WIN32) && !defined(DOSM_STATIC)
#  ifdef DOSM_BUILDING
#    define DOSM_API __declspec(dllexport)
#  else
#    define DOSM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define DOSM_API __attribute__((visibility("default")))
#else
#  define DOSM_API
#endif

/** Returns DOSM_VERSION_NUMBER of the linked library, so a host can assert
 *  that header and library match.
 *  @return MAJOR * 10000 + MINOR * 100 + PATCH of the library */
DOSM_API int dosm_version_number(void);
/** Returns the linked library's version as "MAJOR.MINOR.PATCH" (static).
 *  @return the version string, owned by the library */
DOSM_API const char *dosm_version(void);

/* ------------------------------------------------------------------ */
/* Result codes                                                       */
/* ------------------------------------------------------------------ */

/**
 * Every function that can fail returns one of these. They fall in four
 * ranges: DOSM_OK; call errors (DOSM_E_*, 1-99); definition diagnostics
 * (DOSM_D_*, 100-199, errors found in a workflow file); rejections
 * (DOSM_R_*, 200-299: the call worked, the order may not do this); and
 * definition warnings (DOSM_W_*, 300-399). The numbers are stable.
 *
 * An X-macro: each entry is X(NAME, NUMBER, TEXT), where TEXT is what
 * dosm_code_text returns. It generates the enum dosm_code and the library's
 * name and text tables, so they never drift.
 *
 * @param X a macro taking (name, value, text), applied to every code
 */
#define DOSM_CODES(X)                                                          \
    X(DOSM_OK, 0, "success")                                                   \
    X(DOSM_E_NOMEM, 1, "out of memory")                                        \
    X(DOSM_E_ARG, 2, "invalid argument")                                       \
    X(DOSM_E_STATE, 3, "instance does not belong to this definition")          \
    X(DOSM_E_REENTRANT, 4, "instance is busy in a callback")                   \
    X(DOSM_E_SNAPSHOT, 5, "malformed snapshot string")                         \
    X(DOSM_E_WORKFLOW, 6, "snapshot is for another workflow")                  \
    X(DOSM_E_REVISION, 7, "snapshot revision or hash does not match")          \
    X(DOSM_E_BUFFER, 8, "output buffer too small")                             \
    X(DOSM_E_HISTORY, 9, "history record is not a legal step")                 \
    X(DOSM_E_UNBOUND, 10, "named guard or effect not bound by the host")       \
    X(DOSM_E_NAME, 11, "unknown name")                                         \
    X(DOSM_D_YAML, 100, "YAML syntax error")                                   \
    X(DOSM_D_LIMIT, 101, "definition exceeds a limit")                         \
    X(DOSM_D_ALIAS, 102, "YAML anchors and aliases are not supported")         \
    X(DOSM_D_UNKNOWN_KEY, 103, "unknown key")                                  \
    X(DOSM_D_DUPLICATE_KEY, 104, "duplicate key")                              \
    X(DOSM_D_TYPE, 105, "value has the wrong type")                            \
    X(DOSM_D_MISSING, 106, "required key is missing")                          \
    X(DOSM_D_FORMAT, 107, "unsupported format version")                        \
    X(DOSM_D_IDENT, 108, "malformed identifier")                               \
    X(DOSM_D_CLASH, 109, "identifiers clash")                                  \
    X(DOSM_D_REF, 110, "reference to an unknown name")                         \
    X(DOSM_D_INITIAL, 111, "missing or invalid initial state")                 \
    X(DOSM_D_GUARD, 112, "guard does not parse")                               \
    X(DOSM_D_GUARD_TYPE, 113, "guard compares incompatible types")             \
    X(DOSM_D_ENUM, 114, "value is not one of the attribute's values")          \
    X(DOSM_D_DEAD_END, 115, "non-final state has no way out")                  \
    X(DOSM_D_UNREACHABLE, 116, "state is unreachable from the initial state")  \
    X(DOSM_D_FINAL_OUT, 117, "final state has outgoing transitions")           \
    X(DOSM_D_OVERLAP, 118, "transitions on the same event can both apply")     \
    X(DOSM_D_VALUE, 119, "invalid value")                                      \
    X(DOSM_D_PARENT, 120, "misuse of a parent state")                          \
    X(DOSM_D_VOCAB_VALUE, 121, "value names no state of the bound workflow")   \
    X(DOSM_D_PROJECTION, 122, "transition is no path of the bound workflow")   \
    X(DOSM_D_GUARD_NEVER, 123, "guard can never hold")                         \
    X(DOSM_R_UNKNOWN_EVENT, 200, "the workflow has no such event")             \
    X(DOSM_R_FINAL, 201, "the order is in a final state")                      \
    X(DOSM_R_NOT_ALLOWED, 202, "the event is not allowed in this state")       \
    X(DOSM_R_GUARD, 203, "the transition's guard does not hold")               \
    X(DOSM_R_MISSING_ATTR, 204, "a guard needs an attribute the order lacks")  \
    X(DOSM_R_PAYLOAD, 205, "the event's payload is invalid")                   \
    X(DOSM_R_STALE, 206, "the timer is stale")                                 \
    X(DOSM_R_NO_HISTORY, 207, "there is no earlier state to return to")        \
    X(DOSM_R_NO_PATH, 208, "no legal path leads to the observed state")        \
    X(DOSM_R_SEQ_LIMIT, 209, "the order's seq cannot count another step")      \
    X(DOSM_R_SHADOWED, 210, "an earlier transition takes the event")           \
    X(DOSM_W_NO_FHIR, 300, "state has no FHIR Task status")                    \
    X(DOSM_W_UNUSED, 301, "declared but never used")                           \
    X(DOSM_W_PATH_TIE, 302, "two shortest paths fire different effects")     \
    X(DOSM_W_NEVER_TAKEN, 303, "transition is never taken")

/**
 * All result codes, generated from DOSM_CODES; each one's description is
 * its dosm_code_text. DOSM_OK is 0; call errors DOSM_E_* are 1-99,
 * definition diagnostics DOSM_D_* 100-199, rejections DOSM_R_* 200-299,
 * definition warnings DOSM_W_* 300-399.
 */
typedef enum dosm_code {
#define DOSM_CODE_ENUM_(name, value, text) name = value,
    DOSM_CODES(DOSM_CODE_ENUM_)
#undef DOSM_CODE_ENUM_
    /** Not a code: ends the list after the entries' last comma. */
    DOSM_CODE_END_
} dosm_code;

/** True when @p c is a rejection: the call worked, the order may not.
 *  @param c a result code */
#define DOSM_IS_REJECTION(c) ((c) >= 200 && (c) < 300)

/** Returns the code's name ("DOSM_D_DEAD_END"), or "DOSM_UNKNOWN" for a
 *  number that is no code. The string is static.
 *  @param code any number
 *  @return the name, owned by the library */
DOSM_API const char *dosm_code_name(int code);
/** Returns a one-line English description of the code (static).
 *  @param code any number
 *  @return the description, owned by the library */
DOSM_API const char *dosm_code_text(int code);

/* ------------------------------------------------------------------ */
/* Errors and diagnostics                                             */
/* ------------------------------------------------------------------ */

/** Size of the sentences in dosm_error::text and dosm_outcome::text,
 *  NUL included. */
#define DOSM_TEXT_MAX 200
/** Size of dosm_error::source, NUL included. */
#define DOSM_SOURCE_MAX 80

/**
 * A caller-owned error, filled by a call that fails. @c line and @c column
 * are 1-based positions in the definition's source (0 when the error has no
 * position). @c source is the name the caller gave, truncated to fit.
 */
typedef struct dosm_error {
    int code;                      /**< a dosm_code, DOSM_OK if no error */
    unsigned line;                 /**< 1-based line, or 0 */
    unsigned column;               /**< 1-based column, or 0 */
    char source[DOSM_SOURCE_MAX];  /**< definition source name, or "" */
    char text[DOSM_TEXT_MAX];      /**< one sentence, NUL-terminated */
} dosm_error;

/** Severity of a diagnostic. */
typedef enum dosm_severity { DOSM_ERROR = 0, DOSM_WARNING = 1 } dosm_severity;
/** @var DOSM_ERROR
 *  The definition does not load. */
/** @var DOSM_WARNING
 *  The definition loads, but something deserves a look. */

/** One finding of the loader, passed to dosm_load_options::on_diagnostic. */
typedef struct dosm_diagnostic {
    dosm_severity severity;
    int code;          /**< DOSM_D_* for errors, DOSM_W_* for warnings */
    const char *source;     /**< the name given to dosm_load; valid
                                 during the callback only */
    unsigned line, column;  /**< 1-based, 0 when unknown */
    const char *text;       /**< valid during the callback only */
} dosm_diagnostic;
/** @var dosm_diagnostic::severity
 *  Error or warning. */
/** @var dosm_diagnostic::line
 *  1-based line, 0 when unknown. */

/* ------------------------------------------------------------------ */
/* Allocation                                                         */
/* ------------------------------------------------------------------ */

/**
 * Allocator hooks. Every allocation of the library goes through these
 * (libyaml's own internal buffers do not: libyaml calls malloc). @c alloc
 * returns NULL on failure; @c free accepts NULL. Hooks used by a definition
 * shared between threads must be thread-safe. A NULL allocator means the C
 * library's malloc and free.
 */
typedef struct dosm_allocator {
    /** Returns @c size bytes aligned for any type, or NULL. */
    void *(*alloc)(void *user, size_t size);
    /** Frees what @c alloc returned; accepts NULL. */
    void (*free)(void *user, void *ptr);
    /** Handed to both hooks as is. */
    void *user;
} dosm_allocator;

/* ------------------------------------------------------------------ */
/* Loading definitions                                                */
/* ------------------------------------------------------------------ */

/** An immutable compiled workflow definition; share it across threads. */
typedef struct dosm_def dosm_def;

/**
 * Options of dosm_load. Zero-initialise (or call dosm_load_options_init), then
 * set what you need: a zero limit means its default.
 */
typedef struct dosm_load_options {
    const dosm_allocator *allocator; /**< NULL: malloc/free */
    size_t max_input;       /**< bytes of YAML; default 4 MiB */
    unsigned max_depth;     /**< YAML nesting depth; default 32 */
    size_t max_nodes;       /**< YAML scalars+collections; default 200000 */
    unsigned max_states;    /**< default 16384, at most 32767 */
    unsigned max_transitions; /**< default 200000 */
    unsigned max_errors;    /**< stop after this many errors; default 50 */
    /** Called for every error and warning found, in source order of
     *  discovery; may be NULL. */
    void (*on_diagnostic)(void *user, const dosm_diagnostic *diagnostic);
    /** Handed to @c on_diagnostic as its @c user. */
    void *diagnostic_user;
    /** DOSM_LOAD_* bits; 0 by default. */
    unsigned flags;
} dosm_load_options;

/** A dosm_load_options::flags bit: also run the checks meant for writing
 *  a workflow, which cost more than a host's load should (states x
 *  (states + transitions) steps, up to 2^24): DOSM_W_PATH_TIE. `dosm
 *  lint` sets it. */
#define DOSM_LOAD_LINT 1u

/** Fills @p options with the defaults (all limits set, no callback).
 *  @param options the options to fill; NULL does nothing */
DOSM_API void dosm_load_options_init(dosm_load_options *options);

/**
 * Loads, checks and compiles a workflow definition from a YAML buffer.
 *
 * @param yaml    the bytes (need not be NUL-terminated); not retained
 * @param length  number of bytes
 * @param source  name used in diagnostics (e.g. a file name); may be NULL
 * @param options limits, allocator and diagnostic callback; may be NULL
 * @param out     receives the definition on success, NULL on failure
 * @param error   receives the first error (may be NULL)
 * @return DOSM_OK; DOSM_E_ARG if @p out is NULL or @p yaml is NULL with a
 *         non-zero length; DOSM_E_NOMEM when an allocation failed (nothing
 *         leaks); otherwise the DOSM_D_* code of the first error found.
 *         Warnings do not make a load fail.
 * The caller owns the definition and frees it with dosm_def_free().
 */
DOSM_API int dosm_load(const char *yaml, size_t length, const char *source,
                       const dosm_load_options *options, dosm_def **out,
                       dosm_error *error);

/**
 * The projection check of a vocabulary bound to a workflow: @p bound is
 * the workflow whose states are @p vocabulary's values (its `workflow:`).
 * Every value of every state of @p def in @p vocabulary must name a state
 * of @p bound that is not a parent, by id or label (DOSM_D_VOCAB_VALUE at
 * the value), and every transition of @p def must keep its value or map
 * onto a path of @p bound (DOSM_D_PROJECTION at the transition, with the
 * two states and their values). For a transition S -> T whose states
 * both have values: it keeps its value when V(S) and V(T) share a state
 * of @p bound; it maps onto a path when some value of T is reachable in
 * @p bound from every value of S by one step or more (its transitions and
 * transient fallbacks, guards ignored, `to: previous` read as any state
 * with a step into the state). `from: any`, parents and `to: previous`
 * stand for every concrete pair of states they can make; a state without
 * a value is skipped. Each pair of each transition is reported once.
 *
 * Diagnostics go to @p options->on_diagnostic with @p source as their
 * source, as dosm_load's do; @p options->max_errors applies, the other
 * fields are not used. Allocates work space through @p def's allocator.
 *
 * @param def        the workflow whose states carry the values
 * @param vocabulary the vocabulary's name
 * @param bound      the bound workflow; when the vocabulary names a
 *                   `workflow:`, @p bound must be that workflow
 * @param source     the name of @p def in diagnostics (its file); may be
 *                   NULL
 * @param options    the diagnostic callback and max_errors; may be NULL
 * @param error      receives the first finding; may be NULL
 * @return DOSM_OK when the projection holds; DOSM_D_VOCAB_VALUE or
 *         DOSM_D_PROJECTION, the code of the first finding;
 *         DOSM_E_NAME when @p def has no such vocabulary; DOSM_E_WORKFLOW
 *         when the vocabulary is bound to a workflow not named as
 *         @p bound; DOSM_E_ARG for a NULL definition; DOSM_E_NOMEM
 */
DOSM_API int dosm_vocab_check(const dosm_def *def, const char *vocabulary,
                              const dosm_def *bound, const char *source,
                              const dosm_load_options *options, dosm_error *error);

/** Frees a definition; NULL is allowed. No instance or host needs it
 *  afterwards (hosts bound to it must be freed first).
 *  @param def the definition, or NULL */
DOSM_API void dosm_def_free(dosm_def *def);

/** The workflow's name (e.g. "itero-lab-connector"); static to @p def.
 *  @param def a loaded definition
 *  @return the name, valid as long as @p def; NULL for a NULL @p def */
DOSM_API const char *dosm_def_name(const dosm_def *def);
/** The workflow's human title.
 *  @param def a loaded definition
 *  @return the title, valid as long as @p def; NULL for a NULL @p def */
DOSM_API const char *dosm_def_title(const dosm_def *def);
/** The source document the workflow follows, or "".
 *  @param def a loaded definition
 *  @return the source, valid as long as @p def; NULL for a NULL @p def */
DOSM_API const char *dosm_def_source(const dosm_def *def);
/** The workflow's own revision (an integer that grows with each edit).
 *  @param def a loaded definition
 *  @return the revision, 1 or more; 0 for a NULL @p def */
DOSM_API uint32_t dosm_def_revision(const dosm_def *def);
/** A 32-bit hash of what decides behaviour, which snapshots carry: the
 *  name, the initial and `rollup.mixed` states; each attribute's name,
 *  type and values; the names of the declared effects; each state's id,
 *  final and parent flags, parent, `transient` fallback and timeout; each
 *  event's name and payload fields; each transition's event, `from`,
 *  `to`, guard text and effects; in file order, every name and list with
 *  its length. Labels,
 *  descriptions, tags, ranks, attention, `external`, `renamed_from`,
 *  `source` and the title are not covered: editing them keeps the hash.
 *  0.1.0 hashed names without their lengths (so { ab, c } and { a, bc }
 *  collided) and effects without their names; dosm_decode still accepts
 *  that hash, so a string 0.1.0 wrote can still decode into a definition
 *  that differs from its own in only those ways.
 *  @param def a loaded definition
 *  @return the hash snapshots carry; 0 for a NULL @p def */
DOSM_API uint32_t dosm_def_hash(const dosm_def *def);
/** Bytes the definition holds on the heap (for capacity planning).
 *  @param def a loaded definition
 *  @return the bytes allocated for it; 0 for a NULL @p def */
DOSM_API size_t dosm_def_memory(const dosm_def *def);

/** @} */ /** @defgroup introspection Introspection */ /** @{ */
/* ------------------------------------------------------------------ */
/* Reading a definition                                               */
/* ------------------------------------------------------------------ */

/** Attention levels, most urgent first. */
typedef enum dosm_attention {
    DOSM_RED = 0, DOSM_YELLOW = 1, DOSM_GREEN = 2, DOSM_WHITE = 3
} dosm_attention;
/** @var DOSM_RED
 *  A person must act now. */
/** @var DOSM_YELLOW
 *  A person must act soon. */
/** @var DOSM_GREEN
 *  Work is going on; nobody needs to act. */
/** @var DOSM_WHITE
 *  Nothing to do (the default). */

/** Name of an attention level ("red", ...), or "" when out of range.
 *  @param attention a dosm_attention
 *  @return the name (static) */
DOSM_API const char *dosm_attention_name(int attention);

/** Everything a definition says about one state; strings belong to it. */
typedef struct dosm_state_info {
    const char *id;          /**< UPPER_SNAKE_CASE vendor status name */
    const char *label;       /**< the vendor's exact display label */
    const char *description; /**< "" when none */
    int attention;           /**< a dosm_attention */
    int32_t rank;            /**< lower ranks need more action */
    int final;               /**< 1 for final states */
    int is_parent;           /**< 1 for compound (parent) states */
    int parent;              /**< the parent state, or DOSM_NO_STATE */
    int fallback;            /**< transient: the state to fall back to;
                                  else DOSM_NO_STATE */
    int64_t timeout;         /**< seconds until timeout_event, or 0 */
    int timeout_event;       /**< event index due on timeout, or -1 */
    size_t tag_count;        /**< tags, in definition order */
    /** The @c tag_count tags. */
    const char *const *tags;
} dosm_state_info;

/** Number of states, parents included. Indexes run from 0 to count - 1.
 *  @param def the definition
 *  @return the number of states, 0 for a NULL @p def */
DOSM_API size_t dosm_state_count(const dosm_def *def);
/** Index of the state whose id or exact label equals @p name, compared
 *  case-insensitively (ASCII), or -1. Ids and labels never clash.
 *  @param def the definition
 *  @param name a state id or label
 *  @return the state index, or -1 */
DOSM_API int dosm_state_find(const dosm_def *def, const char *name);
/** Fills @p info for state @p state. Returns DOSM_OK or DOSM_E_ARG.
 *  @param def the definition
 *  @param state a state index
 *  @param info receives the state's description; its strings belong to
 *              @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or a state out of
 *          range */
DOSM_API int dosm_state_get(const dosm_def *def, int state,
                            dosm_state_info *info);
/** The state's id, or NULL when @p state is out of range.
 *  @param def the definition
 *  @param state a state index
 *  @return the id, valid as long as @p def, or NULL */
DOSM_API const char *dosm_state_id(const dosm_def *def, int state);
/** 1 when the state carries @p tag (a parent's tags are not inherited).
 *  @param def the definition
 *  @param state a state index
 *  @param tag the tag
 *  @return 1 when it does, 0 when not or for invalid arguments */
DOSM_API int dosm_state_has_tag(const dosm_def *def, int state,
                                const char *tag);
/** The state's name in an external vocabulary such as "fhir" (HL7 FHIR R4
 *  Task status), or NULL when the definition gives none. A state that
 *  gives a list of values has its first one here; dosm_state_externals
 *  gives them all.
 *  @param def the definition
 *  @param state a state index
 *  @param vocabulary the vocabulary, a key of the state's `external`
 *  @return the name, valid as long as @p def, or NULL */
DOSM_API const char *dosm_state_external(const dosm_def *def, int state,
                                         const char *vocabulary);
/**
 * Writes the state's values in @p vocabulary, in file order, into @p out
 * (room for @p capacity) and returns how many it has, which may exceed
 * @p capacity (then only @p capacity are written). Does not allocate.
 *
 * @param def        the definition
 * @param state      a state index
 * @param vocabulary a vocabulary's name
 * @param out        receives the values, strings of @p def; may be NULL
 *                   to count only
 * @param capacity   room in @p out
 * @return how many values the state has in @p vocabulary; 0 for an
 *         unknown vocabulary, a state out of range or a NULL @p def
 */
DOSM_API size_t dosm_state_externals(const dosm_def *def, int state,
                                     const char *vocabulary,
                                     const char **out, size_t capacity);
/**
 * Reverse lookup: writes the indexes of the states that carry @p value in
 * @p vocabulary (compared byte for byte, case included), in document
 * order, into @p out and returns how many do, which may exceed
 * @p capacity. Parent states are included when they carry the value.
 * A binary search in an index built at load time: O(log values + found),
 * and it does not allocate.
 *
 * @param def        the definition
 * @param vocabulary a vocabulary's name
 * @param value      the value, e.g. "DESIGN_IN_PROGRESS"
 * @param out        receives state indexes; may be NULL to count only
 * @param capacity   room in @p out
 * @return how many states carry the value; 0 for an unknown vocabulary,
 *         a NULL @p value or a NULL @p def
 */
DOSM_API size_t dosm_external_states(const dosm_def *def,
                                     const char *vocabulary,
                                     const char *value, int *out,
                                     size_t capacity);

/** A vocabulary the definition declares under `vocabularies:`, or fhir,
 *  which every definition has (declared by the library when the file
 *  does not declare it). Strings belong to the definition. */
typedef struct dosm_vocab_info {
    const char *name;        /**< "fhir", "dwos-connect", ... */
    const char *description; /**< "" when none */
    /** The workflow whose states are this vocabulary's values (its
     *  `workflow:`), or NULL when it is bound to none. */
    const char *workflow;
    int implicit;            /**< 1 for fhir when the file declares none */
    unsigned line;           /**< of its key; 0 when implicit */
    unsigned column;         /**< of its key; 0 when implicit */
} dosm_vocab_info;

/** Number of vocabularies, the implicit fhir included (so at least 1 for
 *  a loaded definition). Indexes run from 0 to count - 1, in file order,
 *  an implicit fhir last.
 *  @param def the definition
 *  @return the number of vocabularies, 0 for a NULL @p def */
DOSM_API size_t dosm_vocab_count(const dosm_def *def);
/** Index of the vocabulary called @p name (exact), or -1.
 *  @param def the definition
 *  @param name the vocabulary's name
 *  @return the vocabulary index, or -1 (also for NULL arguments) */
DOSM_API int dosm_vocab_find(const dosm_def *def, const char *name);
/** Fills @p info for vocabulary @p vocab.
 *  @param def   the definition
 *  @param vocab a vocabulary index
 *  @param info  receives the vocabulary; its strings belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_vocab_get(const dosm_def *def, int vocab,
                            dosm_vocab_info *info);
/**
 * Writes the indexes of the states carrying @p tag, in rank order, into
 * @p out (room for @p capacity) and returns how many carry it, which may
 * exceed @p capacity (then only @p capacity are written).
 *
 * @param def      the definition
 * @param tag      the tag
 * @param out      receives state indexes; may be NULL to count only
 * @param capacity room in @p out
 * @return how many states carry the tag; 0 for a NULL @p def or @p tag
 */
DOSM_API size_t dosm_states_tagged(const dosm_def *def, const char *tag,
                                   int *out, size_t capacity);
/** The state indexes in rank order (the lab portal's default sort), same
 *  contract as dosm_states_tagged. Parent states are left out.
 *  @param def      the definition
 *  @param out      receives state indexes; may be NULL to count
 *                  only
 *  @param capacity room in @p out
 *  @return how many states there are, parents left out */
DOSM_API size_t dosm_states_ranked(const dosm_def *def, int *out,
                                   size_t capacity);

/** The types of attributes and payload fields (the format's `type`). */
typedef enum dosm_type {
    DOSM_TYPE_STRING = 0, DOSM_TYPE_ENUM = 1, DOSM_TYPE_INTEGER = 2,
    DOSM_TYPE_BOOLEAN = 3, DOSM_TYPE_VERSION = 4
} dosm_type;
/** @var DOSM_TYPE_STRING
 *  Text, compared byte for byte. */
/** @var DOSM_TYPE_ENUM
 *  One of the field's values. */
/** @var DOSM_TYPE_INTEGER
 *  A signed 64-bit decimal. */
/** @var DOSM_TYPE_BOOLEAN
 *  true or false. */
/** @var DOSM_TYPE_VERSION
 *  Dotted numbers, 2.3.1. */

/** The type's name as the format writes it ("string", "enum", "integer",
 *  "boolean", "version"), or "" when out of range.
 *  @param type a dosm_type
 *  @return the name (static) */
DOSM_API const char *dosm_type_name(int type);

/** What a definition says about an order attribute or an event's payload
 *  field, enough to build a form; strings belong to the definition. */
typedef struct dosm_field_info {
    const char *name;        /**< the attribute's or field's name */
    const char *description; /**< "" when none */
    int type;                /**< a dosm_type */
    int required;            /**< payload fields: 1 when the event must
                                  carry it; 0 for attributes */
    size_t value_count;      /**< an enum's values; 0 for other types */
    /** The @c value_count values of an enum, in file order. */
    const char *const *values;
} dosm_field_info;

/** Number of declared order attributes (`attributes:`).
 *  @param def the definition
 *  @return the number of attributes, 0 for a NULL @p def */
DOSM_API size_t dosm_attribute_count(const dosm_def *def);
/** Index of the attribute called @p name (exact), or -1.
 *  @param def the definition
 *  @param name the attribute's name
 *  @return the attribute index, or -1 (also for NULL arguments) */
DOSM_API int dosm_attribute_find(const dosm_def *def, const char *name);
/** Fills @p info for attribute @p attribute, in file order.
 *  @param def       the definition
 *  @param attribute an attribute index
 *  @param info      receives the attribute; its strings belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_attribute_get(const dosm_def *def, int attribute,
                                dosm_field_info *info);

/** A named thing a definition declares with its text: an effect
 *  (`effects:`) or a named guard (`guards:`). */
typedef struct dosm_name_info {
    const char *name;        /**< its name */
    const char *description; /**< what the host should do or check */
} dosm_name_info;

/** Number of declared effects.
 *  @param def the definition
 *  @return the number of effects, 0 for a NULL @p def */
DOSM_API size_t dosm_effect_count(const dosm_def *def);
/** Fills @p info for effect @p effect, in file order.
 *  @param def    the definition
 *  @param effect an effect index
 *  @param info   receives the effect; its strings belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_effect_get(const dosm_def *def, int effect,
                             dosm_name_info *info);
/** Number of declared named guards.
 *  @param def the definition
 *  @return the number of named guards, 0 for a NULL @p def */
DOSM_API size_t dosm_guard_count(const dosm_def *def);
/** Fills @p info for named guard @p guard, in file order.
 *  @param def   the definition
 *  @param guard a named guard's index
 *  @param info  receives the guard; its strings belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_guard_get(const dosm_def *def, int guard,
                            dosm_name_info *info);

/** What a definition says about one event; strings belong to it. */
typedef struct dosm_event_info {
    const char *name;        /**< the event's name, as fired */
    const char *label;       /**< its `label`, for a button; the name when
                                  the file gives none */
    const char *description; /**< "" when none */
    size_t field_count;      /**< payload fields (dosm_event_field) */
} dosm_event_info;

/** Fills @p info for event @p event.
 *  @param def   the definition
 *  @param event an event index
 *  @param info  receives the event; its strings belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_event_get(const dosm_def *def, int event,
                            dosm_event_info *info);
/** Fills @p info for payload field @p field of event @p event, in file
 *  order.
 *  @param def   the definition
 *  @param event an event index
 *  @param field a field index, below the event's field_count
 *  @param info  receives the field; its strings belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_event_field(const dosm_def *def, int event, int field,
                              dosm_field_info *info);

/** Number of events.
 *  @param def the definition
 *  @return the number of events, 0 for a NULL @p def */
DOSM_API size_t dosm_event_count(const dosm_def *def);
/** Index of the event called @p name (exact), or -1.
 *  @param def the definition
 *  @param name the event's name
 *  @return the event index, or -1 */
DOSM_API int dosm_event_find(const dosm_def *def, const char *name);
/** The event's name, or NULL when out of range.
 *  @param def the definition
 *  @param event an event index
 *  @return the name, valid as long as @p def, or NULL */
DOSM_API const char *dosm_event_name(const dosm_def *def, int event);

/** What a definition says about one transition. */
typedef struct dosm_transition_info {
    int event;                /**< event index */
    int target;               /**< state index; DOSM_NO_STATE for
                                   `to: previous` */
    int to_previous;          /**< 1 for `to: previous` */
    const char *guard;        /**< guard source text, or NULL */
    /** Number of @c effects. */
    size_t effect_count;
    const char *const *effects; /**< effect names, in order */
    size_t from_count;        /**< 0 when the transition is `from: any` */
    const int *from;          /**< source states (may be parents) */
    unsigned line;            /**< where it is written */
} dosm_transition_info;

/** Number of transitions, in document order.
 *  @param def the definition
 *  @return the number of transitions, 0 for a NULL @p def */
DOSM_API size_t dosm_transition_count(const dosm_def *def);
/** Fills @p info for transition @p transition: DOSM_OK or DOSM_E_ARG.
 *  @param def the definition
 *  @param transition a transition index (document order)
 *  @param info receives the transition; its pointers belong to @p def
 *  @return DOSM_OK, or DOSM_E_ARG for NULL arguments or an index out of
 *          range */
DOSM_API int dosm_transition_get(const dosm_def *def, int transition,
                                 dosm_transition_info *info);

/**
 * Checks an order attribute as a host would give it: DOSM_OK when the
 * definition declares attribute @p name and @p value reads as its type
 * (and, for an enum, is one of its values); DOSM_E_NAME for an unknown
 * attribute; DOSM_E_ARG for a value of the wrong type or NULL arguments.
 *
 * @param def   the definition
 * @param name  the attribute's name
 * @param value the value, as text
 * @return DOSM_OK, DOSM_E_NAME or DOSM_E_ARG
 */
DOSM_API int dosm_attribute_check(const dosm_def *def, const char *name,
                                  const char *value);

/** @} */ /** @defgroup instances Instances and snapshots */ /** @{ */
/* ------------------------------------------------------------------ */
/* Instances                                                          */
/* ------------------------------------------------------------------ */

/**
 * An order's position in a workflow: a plain 8-byte value the host owns,
 * stores and copies freely; it holds no pointers and needs no free.
 * @c state and @c previous are state indexes of the definition (previous
 * is DOSM_NO_STATE, -1, when there is none) and @c seq counts accepted transitions,
 * for optimistic concurrency in the host's database. The top bit of
 * @c state is set while the instance is inside a callback (see dosm_fire).
 */
typedef struct dosm_instance {
    /** Index of the current state; the top bit is the busy bit. */
    uint16_t state;
    /** Index of the state before, or DOSM_NO_STATE. */
    int16_t previous;
    /** Number of accepted transitions so far. */
    uint32_t seq;
} dosm_instance;

/** "No state", in every field that holds a state index: the previous
 *  state of an order that has none, a state without a parent or fallback,
 *  the target of `to: previous` (dosm_transition_info, and dosm_choice in
 *  an order without a previous state), and what the lookups that may find
 *  no state return (dosm_state_find, dosm_rollup). It is -1, as "none" is
 *  for events and transitions. */
#define DOSM_NO_STATE (-1)

/** Returns an instance in the definition's initial state, seq 0.
 *  @param def a loaded definition
 *  @return the new instance; for a NULL @p def, one no definition holds
 *          (state 32767: every call refuses it with DOSM_E_STATE) */
DOSM_API dosm_instance dosm_instance_initial(const dosm_def *def);

/** Longest string dosm_encode writes, NUL included, for any definition. */
#define DOSM_SNAPSHOT_MAX 256

/**
 * Encodes @p inst as a printable string
 * "NAME@REVISION.HASH:STATE[<PREVIOUS]#SEQ", e.g.
 * "itero-lab-connector@3.1a2b3c4d:LAB_REVIEW#7", into @p buf (@p size
 * bytes). Returns DOSM_OK, DOSM_E_STATE for an instance this definition
 * cannot hold, DOSM_E_REENTRANT for one inside a callback, DOSM_E_ARG for
 * NULL arguments or a size of 0, or DOSM_E_BUFFER when the string does not
 * fit (buf then holds ""). DOSM_SNAPSHOT_MAX bytes always suffice. Does
 * not allocate.
 *
 * @param def  the instance's definition
 * @param inst the instance
 * @param buf  receives the NUL-terminated string
 * @param size bytes at @p buf
 * @return DOSM_OK, DOSM_E_STATE, DOSM_E_REENTRANT, DOSM_E_ARG or
 *         DOSM_E_BUFFER
 */
DOSM_API int dosm_encode(const dosm_def *def, const dosm_instance *inst,
                         char *buf, size_t size);

/**
 * Decodes a string written by dosm_encode into @p inst. A string of an
 * older revision decodes when its states still exist, directly or under
 * `renamed_from`. A previous state that is now the order's own state
 * because two old ids were folded into one state is dropped: @c previous
 * is DOSM_NO_STATE, so `to: previous` is DOSM_R_NO_HISTORY rather than a
 * step that stays. A string that names one state twice (a self-transition
 * leaves an order so) decodes as it was encoded, in any revision.
 * Runs no callbacks and applies no transient fallback
 * (see dosm_restart). On failure @p inst is left untouched and the code is
 * DOSM_E_SNAPSHOT (malformed), DOSM_E_WORKFLOW (another workflow),
 * DOSM_E_REVISION (revision 0, a newer revision, or the same revision with
 * another hash: the definition was edited without a new revision),
 * DOSM_E_NAME (a state this definition does not know) or DOSM_E_ARG.
 * @p inst is only written (it may be uninitialised). Decoding into an
 * order from inside its own callbacks replaces it: the decoded value
 * stands when the callbacks return, in place of the step's.
 *
 * @param def   the definition to decode against
 * @param text  the NUL-terminated string
 * @param inst  receives the instance on success
 * @param error receives the reason on failure; may be NULL
 * @return DOSM_OK, DOSM_E_SNAPSHOT, DOSM_E_WORKFLOW, DOSM_E_REVISION,
 *         DOSM_E_NAME or DOSM_E_ARG
 */
DOSM_API int dosm_decode(const dosm_def *def, const char *text,
                         dosm_instance *inst, dosm_error *error);

/** @} */ /** @defgroup firing Firing events */ /** @{ */
/* ------------------------------------------------------------------ */
/* Attributes, events and outcomes                                    */
/* ------------------------------------------------------------------ */

/** One order attribute or payload field, always given as text ("2.3.1",
 *  "quick", "42", "true"); the definition's types say how to read it. */
typedef struct dosm_pair {
    /** The attribute's or field's name. */
    const char *name;
    /** Its value, as text. */
    const char *value;
} dosm_pair;

/**
 * A set of values: @c pairs are consulted first, then @c lookup (which
 * returns NULL for a name it does not have). Either may be absent.
 */
typedef struct dosm_values {
    /** The values as pairs; may be NULL when @c count is 0. */
    const dosm_pair *pairs;
    /** Number of @c pairs. */
    size_t count;
    /** Returns the value of @c name, or NULL; may be NULL itself. */
    const char *(*lookup)(void *user, const char *name);
    /** Handed to @c lookup as its @c user. */
    void *lookup_user;
} dosm_values;

/** A deadline the host should schedule: fire @c event at @c at unless the
 *  order has moved on (the library then rejects it as stale). Every step
 *  that ends in a state with a timeout issues one, a step that stays in
 *  the state too: it replaces the pending one. */
typedef struct dosm_deadline {
    int64_t at;          /**< host time: now + the state's timeout */
    const char *event;   /**< the event due */
    uint32_t seq;        /**< pass back as dosm_request::timer_seq */
} dosm_deadline;

/**
 * The deadline pending for @p inst, from the time @p since at which it
 * took its last step (or was created, for a new order: the initial
 * state's timeout is pending from then). A host that stores an order's
 * snapshot and the time of its last step recomputes, after dosm_decode,
 * the deadline the step's outcome gave. Inside a callback the busy bit of
 * @p inst is accepted. Does not allocate.
 *
 * @param def      the instance's definition
 * @param inst     the instance
 * @param since    host time of its last step (or of its creation)
 * @param deadline receives the deadline: all zero (event NULL) when the
 *                 state has no timeout
 * @return DOSM_OK (with or without a deadline); DOSM_E_ARG for NULL
 *         arguments; DOSM_E_STATE for an instance the definition cannot
 *         hold (@p deadline is then all zero)
 */
DOSM_API int dosm_deadline_get(const dosm_def *def, const dosm_instance *inst,
                               int64_t since, dosm_deadline *deadline);

/**
 * What a host appends to its log for an accepted step. Strings belong to the
 * definition. For the restart fallback of a transient state the event is
 * DOSM_EVENT_RESTART.
 */
typedef struct dosm_record {
    /** The workflow's name. */
    const char *workflow;
    /** The workflow's revision. */
    uint32_t revision;
    uint32_t seq;        /**< the instance's seq after this step */
    const char *from;    /**< state id before */
    /** The event's name, or DOSM_EVENT_RESTART. */
    const char *event;
    const char *to;      /**< state id after */
    /** Number of @c effects. */
    size_t effect_count;
    /** The effects the step asked for, in order. */
    const char *const *effects;
    int64_t time;        /**< dosm_request::now */
} dosm_record;

/** The event name of a transient state's fallback after a restart. */
#define DOSM_EVENT_RESTART "dosm.restart"

/** One request to fire an event; zero-initialise, then fill. */
typedef struct dosm_request {
    const char *event;          /**< the event's name */
    const dosm_values *attributes; /**< order attributes; NULL: none */
    const dosm_values *payload; /**< the event's payload; NULL: none */
    int64_t now;                /**< host time in seconds, for deadlines */
    /** Non-zero when this is a timer the host scheduled from a
     *  dosm_deadline: a timer whose @c timer_seq is not the instance's seq,
     *  or whose state has no such timeout, is rejected with DOSM_R_STALE. */
    int timer;
    uint32_t timer_seq;         /**< dosm_deadline::seq, for timers */
    void *context;              /**< handed to callbacks as is */
} dosm_request;

/**
 * An order's attributes read once: each of a definition's attributes
 * looked up by name and read as its type, for firing many events with
 * them without reading text each time. A host sets a request's
 * @c attributes to dosm_attributes_values() of the set; guards then read
 * the typed values, and callbacks and everything else see ordinary values
 * (their lookup answers the text). Owned by the host; not changed after
 * dosm_attributes_prepare, so threads may share it.
 */
typedef struct dosm_attributes dosm_attributes;

/**
 * Reads @p values into a new set of prepared attributes for @p def: each
 * attribute the definition declares is looked up once (pairs, then the
 * lookup callback, as a guard would) and read as its type. A value that
 * is absent or does not read as its type is kept so, and a guard reading
 * it refuses with exactly the code and sentence it would give over
 * @p values; names the definition does not declare are ignored. The set
 * copies the text it keeps: @p values may change or go once this returns.
 * Firing through another definition with the set is DOSM_E_ARG.
 *
 * @param def       the definition the set is for; it must outlive the set
 * @param values    the attributes, or NULL for none
 * @param allocator for the set; NULL: the definition's
 * @param out       receives the set (free it with dosm_attributes_free),
 *                  or NULL on failure
 * @return DOSM_OK; DOSM_E_ARG when @p def or @p out is NULL; DOSM_E_NOMEM
 */
DOSM_API int dosm_attributes_prepare(const dosm_def *def,
                                     const dosm_values *values,
                                     const dosm_allocator *allocator,
                                     dosm_attributes **out);
/** The set as values, for dosm_request::attributes: no pairs, and a
 *  lookup that answers each kept attribute's text. Guards read these
 *  values, this pointer, as prepared; other values that borrow their
 *  lookup (pairs of their own first) are read as text, pairs first.
 *  @param attributes the set, or NULL
 *  @return values that live as long as the set; NULL for a NULL set */
DOSM_API const dosm_values *dosm_attributes_values(
    const dosm_attributes *attributes);
/** Frees a set of prepared attributes; NULL is a no-op.
 *  @param attributes the set, from dosm_attributes_prepare */
DOSM_API void dosm_attributes_free(dosm_attributes *attributes);

/** The result of a call that fires, tries, restarts, finds a path or
 *  reconciles. Every such call writes all of it on every return, an
 *  error's too: @c code, a sentence in @c text for every code but DOSM_OK
 *  (which has "" unless a field says otherwise), and zeros where the
 *  call has nothing to say (no record, no deadline). */
typedef struct dosm_outcome {
    int code;                  /**< DOSM_OK, a DOSM_R_* or DOSM_E_* code */
    int transition;            /**< the transition taken (or that would
                                    be: also for DOSM_R_NO_HISTORY,
                                    DOSM_R_PAYLOAD and DOSM_R_SEQ_LIMIT,
                                    which come after the choice); -1 for
                                    none or a restart */
    char text[DOSM_TEXT_MAX];  /**< a sentence a person can act on */
    dosm_record record;        /**< when accepted; all zero otherwise */
    int has_deadline;          /**< 1 when the new state has a timeout */
    dosm_deadline deadline;    /**< when has_deadline is 1; else zero */
    /** dosm_path and the reconciles: 1 when another path of the same
     *  length leads to the same state (the one taken is the first in
     *  transition document order, see dosm_path); else 0. */
    int other_paths;
} dosm_outcome;

/** @} */ /** @defgroup hosts Hosts */ /** @{ */
/* ------------------------------------------------------------------ */
/* Hosts: callbacks and named guards                                  */
/* ------------------------------------------------------------------ */

/** A set of callbacks bound to one definition; owned by the host, separate
 *  from the shared definition. Not to be changed while fired through. */
typedef struct dosm_host dosm_host;

/** What a callback or a named guard learns. All pointers are valid during
 *  the call only. */
typedef struct dosm_callback_info {
    /** The definition fired through. */
    const dosm_def *def;
    /** The instance before the step; a copy, never busy. */
    const dosm_instance *before;
    /** The instance after the step (a copy, never busy); equals before for
     *  a rejection and for a guard. */
    const dosm_instance *after;
    /** The event's name; for an event the workflow does not have, the
     *  request's, or "?" when it has none (dosm_fire_index with an index
     *  out of range). */
    const char *event;
    const dosm_record *record;    /**< NULL for a rejection and a guard */
    const char *state;            /**< entered/exited state id, or NULL */
    const char *effect;           /**< the effect, for effect callbacks */
    const char *guard;            /**< the named guard, for guards */
    const dosm_outcome *outcome;  /**< for a rejection: code and text */
    int transition;               /**< transition index, -1 if none */
    void *context;                /**< dosm_request::context */
    /** The request fired: its attributes and payload. Never NULL (an empty
     *  request when the caller gave none); for a reconcile, the request
     *  given to it, for every step. */
    const dosm_request *request;
} dosm_callback_info;

/**
 * A callback. It may read anything and fire on other instances, but not on
 * the instance being fired (that call returns DOSM_E_REENTRANT).
 *
 * @param info what happened; valid during the call only
 * @param user the pointer given when the callback was set
 */
typedef void (*dosm_callback)(const dosm_callback_info *info, void *user);

/** A named guard the host implements: return 1 when it holds. It learns
 *  what a callback learns: @c info->before (a copy of the order),
 *  @c info->event, @c info->transition (the transition it guards),
 *  @c info->guard, @c info->request and @c info->context. It must not
 *  change the order: while it runs, dosm_fire, dosm_fire_index and
 *  dosm_reconcile mark the order busy, so firing on it from the guard
 *  returns DOSM_E_REENTRANT. (The queries, dosm_try, dosm_choices and
 *  dosm_path, only read a const instance and cannot mark it.) A
 *  dosm_decode into the order from a guard is undone when it returns.
 *  @param info what is being decided; valid during the call only
 *  @param user the pointer given to dosm_host_bind_guard
 *  @return 1 when the guard holds, 0 when not */
typedef int (*dosm_guard_fn)(const dosm_callback_info *info, void *user);

/** Kinds of callbacks that are not per effect. */
typedef enum dosm_hook {
    DOSM_ON_ENTER = 0,      /**< after entering a state (parents too) */
    DOSM_ON_EXIT = 1,       /**< before leaving a state (parents too) */
    DOSM_ON_TRANSITION = 2, /**< every accepted step */
    DOSM_ON_REJECT = 3      /**< every rejected event */
} dosm_hook;

/** Creates an empty host for @p def (which must outlive it). Returns NULL
 *  when out of memory. A host serves its own definition only: every call
 *  given a host of another definition returns DOSM_E_ARG.
 *  @param def       the definition the host serves
 *  @param allocator allocator hooks, or NULL for the definition's (those
 *                   given to dosm_load)
 *  @return the host, to free with dosm_host_free, or NULL */
DOSM_API dosm_host *dosm_host_new(const dosm_def *def,
                                  const dosm_allocator *allocator);
/** Frees a host; NULL is allowed.
 *  @param host the host, or NULL */
DOSM_API void dosm_host_free(dosm_host *host);
/** Sets the callback of @p hook (replacing any); @p fn may be NULL to
 *  clear. Returns DOSM_OK or DOSM_E_ARG.
 *  @param host the host
 *  @param hook which callback
 *  @param fn   the callback, or NULL
 *  @param user handed to @p fn
 *  @return DOSM_OK or DOSM_E_ARG */
DOSM_API int dosm_host_on(dosm_host *host, dosm_hook hook, dosm_callback fn,
                          void *user);
/** Binds the effect called @p name. Returns DOSM_OK, DOSM_E_ARG, or
 *  DOSM_E_NAME when the definition declares no such effect.
 *  @param host the host
 *  @param name the effect's name
 *  @param fn   the callback
 *  @param user handed to @p fn
 *  @return DOSM_OK, DOSM_E_ARG or DOSM_E_NAME */
DOSM_API int dosm_host_bind_effect(dosm_host *host, const char *name,
                                   dosm_callback fn, void *user);
/** Binds the named guard @p name. Returns DOSM_OK, DOSM_E_ARG, or
 *  DOSM_E_NAME when the definition declares no such guard.
 *  @param host the host
 *  @param name the guard's name
 *  @param fn   the guard
 *  @param user handed to @p fn
 *  @return DOSM_OK, DOSM_E_ARG or DOSM_E_NAME */
DOSM_API int dosm_host_bind_guard(dosm_host *host, const char *name,
                                  dosm_guard_fn fn, void *user);
/** Reports the first effect or named guard of the definition that is not
 *  bound: DOSM_OK when all are, else DOSM_E_UNBOUND with its name in
 *  @p error. Call it once after binding; an unbound guard is false and an
 *  unbound effect is not dispatched.
 *  @param host  the host
 *  @param error receives the unbound name; may be NULL
 *  @return DOSM_OK, DOSM_E_UNBOUND or DOSM_E_ARG */
DOSM_API int dosm_host_check(const dosm_host *host, dosm_error *error);

/** @} */ /** @addtogroup firing */ /** @{ */
/* ------------------------------------------------------------------ */
/* Firing events                                                      */
/* ------------------------------------------------------------------ */

/**
 * Fires @p request->event on @p inst. The library looks for the event in
 * the instance's state, then in its parents, then among `from: any`
 * transitions, and takes the first whose guard holds. On acceptance it
 * updates @p inst (state, previous, seq + 1), then calls, in order: exit
 * callbacks from the left state up to the common parent, the transition
 * callback, each effect in declared order, enter callbacks down to the new
 * state. During the callbacks @p inst holds the new value with its busy
 * bit set, and so it does while named guards run. On rejection @p inst is
 * untouched and the reject callback runs. An instance whose seq is
 * UINT32_MAX takes no more steps (DOSM_R_SEQ_LIMIT): seq never wraps, so
 * it stays a valid optimistic-concurrency token.
 *
 * @p host may be NULL (no callbacks, named guards false). @p outcome may be
 * NULL. Firing does not allocate and its cost does not grow with the size
 * of the definition.
 *
 * @param def     the instance's definition
 * @param host    callbacks and named guards, or NULL
 * @param inst    the instance, updated on acceptance
 * @param request the event, attributes, payload and time
 * @param outcome receives the result and record; may be NULL
 * @return DOSM_OK; a rejection DOSM_R_*; DOSM_E_ARG; DOSM_E_STATE for an
 *         instance that is not of this definition; DOSM_E_REENTRANT when
 *         fired on an instance whose callbacks or named guards are running.
 */
DOSM_API int dosm_fire(const dosm_def *def, const dosm_host *host,
                       dosm_instance *inst, const dosm_request *request,
                       dosm_outcome *outcome);

/**
 * As dosm_fire, for an event given by its index (from dosm_event_find) so
 * a host that fires the same events again and again resolves each name
 * once; @p request->event is ignored, but for naming an index out of
 * range, which is rejected with DOSM_R_UNKNOWN_EVENT (as "?" when
 * @p request->event is NULL).
 *
 * @param def     the instance's definition
 * @param host    callbacks and named guards, or NULL
 * @param inst    the instance, updated on acceptance
 * @param event   the event's index
 * @param request attributes, payload and time
 * @param outcome receives the result and record; may be NULL
 * @return as dosm_fire
 */
DOSM_API int dosm_fire_index(const dosm_def *def, const dosm_host *host,
                             dosm_instance *inst, int event,
                             const dosm_request *request,
                             dosm_outcome *outcome);

/** As dosm_fire, but only says whether the event would be accepted and
 *  where it would lead; changes nothing and calls no callback.
 *  @param def     the instance's definition
 *  @param host    named guards, or NULL
 *  @param inst    the instance
 *  @param request the event, attributes, payload and time
 *  @param outcome receives what would happen; may be NULL
 *  @return as dosm_fire */
DOSM_API int dosm_try(const dosm_def *def, const dosm_host *host,
                      const dosm_instance *inst, const dosm_request *request,
                      dosm_outcome *outcome);

/** One transition that applies in a state, for building a UI's buttons. */
typedef struct dosm_choice {
    int event;      /**< event index */
    int target;     /**< the state it would lead to; DOSM_NO_STATE for
                         `to: previous` in an order without one */
    int code;       /**< DOSM_OK when firing the event would take it, else
                         the DOSM_R_* code of why not */
    int transition; /**< the transition index */
    /** Why not, the sentence dosm_try would give for this transition
     *  ("" for DOSM_OK), so a UI can explain a greyed-out button. */
    char text[DOSM_TEXT_MAX];
} dosm_choice;

/**
 * Lists the transitions that apply to @p inst's state (own, parents', any),
 * in the order fire would try them, with whether each would be taken
 * under @p request's attributes: DOSM_OK for the one firing its event
 * takes; DOSM_R_GUARD or DOSM_R_MISSING_ATTR when its guard does not
 * hold; DOSM_R_SHADOWED when its guard holds but an earlier transition on
 * the same event is taken; DOSM_R_NO_HISTORY for the taken `to: previous`
 * of an order without a previous state; DOSM_R_SEQ_LIMIT for the taken one
 * of an order whose seq is UINT32_MAX. Each comes with its sentence. The
 * request's event, payload and timer are ignored (@p request may be NULL
 * for an order without attributes). A final state has none. Writes up to
 * @p capacity into @p out and returns how many there are (which may exceed
 * @p capacity); returns 0 for an invalid or busy instance. Each guard is
 * evaluated once. Does not allocate.
 *
 * @param def      the instance's definition
 * @param host     named guards, or NULL
 * @param inst     the instance
 * @param request  the order's attributes, or NULL
 * @param out      receives the choices; may be NULL to count only
 * @param capacity room in @p out
 * @return how many transitions apply
 */
DOSM_API size_t dosm_choices(const dosm_def *def, const dosm_host *host,
                             const dosm_instance *inst,
                             const dosm_request *request,
                             dosm_choice *out, size_t capacity);

/** @} */ /** @defgroup history Reconcile and history */ /** @{ */
/* ------------------------------------------------------------------ */
/* Restart, reconciliation, rollup, history                           */
/* ------------------------------------------------------------------ */

/**
 * After a host restart: when @p inst is in a transient state, moves it to
 * the declared fallback state (seq + 1) and reports that step in
 * @p outcome->record with the event DOSM_EVENT_RESTART; runs no callbacks.
 * Returns DOSM_OK when it moved, DOSM_R_NOT_ALLOWED when the state is not
 * transient (nothing changes), DOSM_R_SEQ_LIMIT (its seq is UINT32_MAX;
 * nothing changes), DOSM_E_STATE, DOSM_E_REENTRANT (inside a callback) or
 * DOSM_E_ARG.
 *
 * @param def     the instance's definition
 * @param inst    the instance
 * @param now     host time in seconds, for the record and deadline
 * @param outcome receives the step; may be NULL
 * @return DOSM_OK, DOSM_R_NOT_ALLOWED, DOSM_R_SEQ_LIMIT, DOSM_E_STATE,
 *         DOSM_E_REENTRANT or DOSM_E_ARG
 */
DOSM_API int dosm_restart(const dosm_def *def, dosm_instance *inst,
                          int64_t now, dosm_outcome *outcome);

/** One step of a path. */
typedef struct dosm_step {
    int from, event, to, transition;
} dosm_step;
/** @var dosm_step::from
 *  State index before the step. */
/** @var dosm_step::event
 *  Event index that takes the step; -1 for a transient state's fallback. */
/** @var dosm_step::to
 *  State index after the step. */
/** @var dosm_step::transition
 *  Transition index taken; -1 for a transient state's fallback. */

/**
 * Finds the shortest legal path of transitions (guards evaluated with
 * @p request's attributes and named guards; payloads not required) from
 * @p inst to state @p target. A transient state's fallback (what
 * dosm_restart does) is a legal step too, tried after the state's
 * transitions: its dosm_step has event and transition -1. Of paths of one
 * length, the one taken is the first in transition document order, step
 * by step (its first step's transition is written first; of those, its
 * second's; ...; a fallback after every transition), and
 * @p outcome->other_paths says whether there was another. Writes up to @p capacity steps into @p steps
 * and stores the path length in @p length (0 when already there).
 * Allocates a work area of O(states) through the definition's allocator.
 * @p request may be NULL (no attributes).
 *
 * @param def      the instance's definition
 * @param host     named guards, or NULL
 * @param inst     where the path starts
 * @param target   the state index to reach
 * @param request  the order's attributes, or NULL
 * @param steps    receives the path
 * @param capacity room in @p steps
 * @param length   receives the path's length (0 on every failure but
 *                 DOSM_E_BUFFER)
 * @param outcome  says why there is no path; may be NULL. With
 *                 DOSM_E_BUFFER its other_paths is the path's, as with
 *                 DOSM_OK, so a host can size its buffer from one call
 * @return DOSM_OK; DOSM_R_NO_PATH (text in @p outcome says why);
 *         DOSM_E_BUFFER when the path is longer than @p capacity;
 *         DOSM_E_NOMEM; DOSM_E_ARG (also for a host of another
 *         definition); DOSM_E_STATE; DOSM_E_REENTRANT for an order inside
 *         its callbacks. Paths do not count seq: dosm_reconcile refuses a
 *         path longer than the order's seq can count.
 */
DOSM_API int dosm_path(const dosm_def *def, const dosm_host *host,
                       const dosm_instance *inst, int target,
                       const dosm_request *request, dosm_step *steps,
                       size_t capacity, size_t *length, dosm_outcome *outcome);

/**
 * Reconciles @p inst with a status observed on a remote server, named by
 * state id or label in @p observed: finds the shortest legal path (as
 * dosm_path) and fires each step with all callbacks. A transient state's
 * fallback on the path is applied as dosm_restart applies it (record
 * event DOSM_EVENT_RESTART, transition -1, no effects), with its exit,
 * transition and enter callbacks; dosm_replay accepts its record. Returns as dosm_path, plus DOSM_E_NAME for
 * an unknown (or NULL) state name. @p outcome (may be NULL) describes the
 * last step. If a step is rejected while applying (a host guard changed its
 * mind), the instance stays where that step began, the reject callback
 * runs as for dosm_fire, and the step's code is returned.
 * Payloads are not checked, as for dosm_path: the remote already took the
 * steps, and what they carried is not known here. A path longer than the
 * order's seq can count is refused whole with DOSM_R_SEQ_LIMIT.
 *
 * @param def      the instance's definition
 * @param host     callbacks and named guards, or NULL
 * @param inst     the instance, moved along the path
 * @param observed the remote status: a state id or label
 * @param request  attributes and time for each step, or NULL
 * @param outcome  describes the last step; may be NULL
 * @return as dosm_path, or DOSM_E_NAME, DOSM_R_SEQ_LIMIT, the code of a
 *         step rejected while applying, or DOSM_E_REENTRANT when a callback
 *         replaced the order (dosm_decode into it) while reconciling: it
 *         stays as the callback left it
 */
DOSM_API int dosm_reconcile(const dosm_def *def, const dosm_host *host,
                            dosm_instance *inst, const char *observed,
                            const dosm_request *request,
                            dosm_outcome *outcome);

/**
 * Reconciles @p inst with a value observed in an external vocabulary
 * (a DWOS Connect status, a FHIR Task status): among the states that
 * carry @p value in @p vocabulary (dosm_external_states; parent states
 * are not targets), the order stays when it is in one of them (DOSM_OK,
 * nothing fired); otherwise it takes the shortest legal path to the
 * nearest one, of equally near ones the path first in transition document
 * order (as dosm_path; @c other_paths says when another state or path
 * was as near), firing each step as
 * dosm_reconcile does, with the same rejections and sentences (a search
 * for several states says "X cannot become any of the N states with
 * VOCABULARY 'VALUE': ..."). Allocates a work area of O(states).
 *
 * @param def        the instance's definition
 * @param host       callbacks and named guards, or NULL
 * @param inst       the instance, moved along the path
 * @param vocabulary the vocabulary, e.g. "dwos-connect"
 * @param value      the observed value, compared byte for byte
 * @param request    attributes and time for each step, or NULL
 * @param outcome    describes the last step; may be NULL
 * @return as dosm_reconcile; DOSM_E_NAME when the vocabulary is unknown
 *         or no state that is not a parent carries @p value (or it is
 *         NULL)
 */
DOSM_API int dosm_reconcile_external(const dosm_def *def,
                                     const dosm_host *host,
                                     dosm_instance *inst,
                                     const char *vocabulary,
                                     const char *value,
                                     const dosm_request *request,
                                     dosm_outcome *outcome);

/**
 * The rolled-up state of an order whose @p count items have their own
 * instances: their common state when all agree; otherwise the definition's
 * `rollup.mixed` state, or, without one, the least advanced item's state
 * (fewest steps from the initial state), and of equally advanced ones the
 * state with the lower sort key (dosm_sort_key: rank, then file order),
 * so the answer does not depend on the order of @p items. Returns the
 * state index, or -1 for count 0 or an invalid instance. Inside a
 * callback the busy bit of an item is accepted.
 *
 * @param def   the definition
 * @param items the items' instances
 * @param count number of @p items
 * @return the rolled-up state index, or -1
 */
DOSM_API int dosm_rollup(const dosm_def *def, const dosm_instance *items,
                         size_t count);

/** A sort key: lower keys need more action (rank, then state index).
 *  Inside a callback the busy bit of @p inst is accepted.
 *  @param def  the instance's definition
 *  @param inst the instance
 *  @return the key, or UINT32_MAX for an invalid instance */
DOSM_API uint32_t dosm_sort_key(const dosm_def *def,
                                const dosm_instance *inst);

/**
 * Verifies a history: each record must be a legal step of this workflow,
 * written by this revision or an older one (a host's log spans upgrades;
 * state ids of older revisions are read through `renamed_from`; revision
 * 0 and newer revisions are refused), from the state the previous one
 * left (the first from @p start, or from the initial state when @p start
 * is NULL), with seq numbers contiguous, and, for records of this
 * revision, with the effects of a transition that takes it (in order; an
 * older revision's effects may have been others, so they are not
 * compared). Guards are not re-evaluated (the attributes of the time are
 * not in the log). On success stores the rebuilt instance in
 * @p out. Returns DOSM_OK, DOSM_E_HISTORY with the index of the first bad
 * record in @p bad and the reason in @p error, or DOSM_E_ARG.
 *
 * @param def     the definition the records were written with
 * @param start   the instance before the first record, or NULL
 * @param records the log, oldest first
 * @param count   number of @p records
 * @param out     receives the rebuilt instance on success
 * @param bad     receives the index of the first bad record
 * @param error   receives the reason; may be NULL
 * @return DOSM_OK, DOSM_E_HISTORY or DOSM_E_ARG
 */
DOSM_API int dosm_replay(const dosm_def *def, const dosm_instance *start,
                         const dosm_record *records, size_t count,
                         dosm_instance *out, size_t *bad, dosm_error *error);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* DOSM_H */

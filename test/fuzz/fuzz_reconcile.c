/*
 * fuzz_reconcile: reconciliation with arbitrary observed states on the
 * shipped workflows (states/NAME.yaml) and the test suite's good definitions
 * (test/defs/good/).
 *
 * Input: the first bytes pick the workflow, the named guards' answers and
 * whether they change their mind between the search and the steps, then
 * the order's attributes, then the starting instance (the initial one
 * moved by a few events, or one made up: any state index, any previous,
 * any seq), then up to 32 observed statuses: ids, labels in any case,
 * parents, raw bytes.
 *
 * Invariants checked (abort() with a message):
 *  - dosm_path gives a chain of steps from the instance's state to the
 *    target, each through a transition of its event to its state, each the
 *    one firing would choose (dosm_choices); empty when already there;
 *  - on DOSM_OK the instance is in the observed state, its seq grew by
 *    the path's length (dosm_path before the call) and by the number of
 *    transition callbacks, and dosm_replay of their records from the
 *    starting instance reproduces it;
 *  - an unknown or parent state gives DOSM_E_NAME, an invalid instance
 *    DOSM_E_STATE, no path DOSM_R_NO_PATH, each leaving the instance
 *    byte-identical; with stable guards dosm_path and dosm_reconcile agree;
 *  - a step refused mid-way (guards that change their mind) leaves a valid
 *    instance whose records replay;
 *  - with stable guards, a breadth-first search of our own over (state,
 *    previous) through what firing would choose finds a path exactly when
 *    the library does, and no shorter one.
 */
#include "fuzz_common.h"

#define MAX_STEPS 512
#define MAX_PAIRS 8

typedef struct watch {
    const dosm_def *def;
    dosm_instance *inst;
    dosm_record records[MAX_STEPS];
    size_t nrec;
    uint32_t guard_bits;
    int fickle;
    unsigned guard_calls;
} watch;

static watch W;

static void on_transition_cb(const dosm_callback_info *info, void *user)
{
    (void)user;
    FUZZ_CHECK(info->record != NULL, "a transition callback without record");
    FUZZ_CHECK(W.inst->state & FUZZ_BUSY, "not busy during a callback");
    FUZZ_CHECK(W.nrec < MAX_STEPS, "too many steps");
    W.records[W.nrec++] = *info->record;
}

static int guard_cb(const dosm_callback_info *info, void *user)
{
    const dosm_def *def = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    unsigned bit = (unsigned)(uintptr_t)user;
    (void)def;
    (void)req;
    (void)inst;
    if (W.fickle)
        bit += W.guard_calls++;
    return (int)((W.guard_bits >> (bit & 31)) & 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_workflows();
    return 0;
}

/* ---- our own search, over (state, previous) ---- */

#define MAX_STATES 128

/* The transition firing would take for each event from `inst`, per
 * dosm_choices (the first option of an event decides), then a
 * transient state's fallback, which is a step of paths too (states/
 * README.md). Returns the number of next instances written. */
static size_t successors(const dosm_def *def, const dosm_host *host,
                         const dosm_instance *inst, const dosm_request *req,
                         dosm_instance *next, int *via, size_t cap)
{
    dosm_choice opts[256];
    size_t n = dosm_choices(def, host, inst, req, opts, 256), i, m = 0;
    int last_event = -1;
    FUZZ_CHECK(n <= 256, "more than 256 options");
    for (i = 0; i < n; i++) {
        if (opts[i].event == last_event)
            continue;
        /* The option of an event whose code is OK is fire's choice (or
         * DOSM_R_SEQ_LIMIT at a seq that cannot count it: paths do not
         * count seq); options of one event are listed together. */
        if (opts[i].code != DOSM_OK && opts[i].code != DOSM_R_SEQ_LIMIT)
            continue;
        last_event = opts[i].event;
        if (m < cap) {
            next[m].state = (uint16_t)opts[i].target;
            next[m].previous =
                opts[i].target == inst->state ? inst->previous : (int16_t)inst->state;
            next[m].seq = inst->seq + 1;
            via[m] = opts[i].transition;
            m++;
        }
    }
    {
        dosm_state_info si;
        if (dosm_state_get(def, inst->state, &si) == DOSM_OK &&
            si.fallback >= 0 && m < cap) {
            next[m].state = (uint16_t)si.fallback;
            next[m].previous = si.fallback == (int)inst->state ? inst->previous
                                                                : (int16_t)inst->state;
            next[m].seq = inst->seq + 1;
            via[m] = -1;
            m++;
        }
    }
    return m;
}

/* Shortest number of steps to `target`, or -1. */
static long oracle_distance(const dosm_def *def, const dosm_host *host,
                            const dosm_instance *start, int target,
                            const dosm_request *req)
{
    static int32_t dist[MAX_STATES][MAX_STATES + 1];
    static dosm_instance queue[MAX_STATES * (MAX_STATES + 1)];
    size_t head = 0, tail = 0, i, j;
    int n = (int)dosm_state_count(def);
    if (n > MAX_STATES)
        return -2;
    for (i = 0; i < (size_t)n; i++)
        for (j = 0; j <= (size_t)n; j++)
            dist[i][j] = -1;
#define PREV_SLOT(p) ((p) == DOSM_NO_STATE ? (size_t)n : (size_t)(p))
    dist[start->state][PREV_SLOT(start->previous)] = 0;
    queue[tail++] = *start;
    while (head < tail) {
        dosm_instance u = queue[head++], next[256];
        int via[256];
        int32_t du = dist[u.state][PREV_SLOT(u.previous)];
        size_t m, k;
        if (u.state == target)
            return du;
        m = successors(def, host, &u, req, next, via, 256);
        for (k = 0; k < m; k++) {
            int32_t *dv = &dist[next[k].state][PREV_SLOT(next[k].previous)];
            if (*dv >= 0)
                continue;
            *dv = du + 1;
            queue[tail++] = next[k];
        }
    }
#undef PREV_SLOT
    return -1;
}

/* ---- one input ---- */

typedef struct run {
    const fuzz_workflow *w;
    const dosm_def *def;
    const dosm_host *host;
    dosm_instance inst;
    dosm_pair attr[MAX_PAIRS];
    char text[MAX_PAIRS][2][70];
    dosm_values attributes;
    dosm_request req;
} run;

static const char *pick_observed(run *r, fuzz_in *in, char *buf, size_t cap)
{
    unsigned c = fuzz_byte(in), s, i;
    int n = (int)dosm_state_count(r->def);
    dosm_state_info info;
    s = fuzz_byte(in) % (unsigned)n;
    dosm_state_get(r->def, (int)s, &info);
    switch (c % 8) {
    case 0: case 1: case 2:
        return info.id;
    case 3:
        return info.label;
    case 4: /* the label or id in another case, or with a space */
        snprintf(buf, cap, "%s%s", c & 8 ? info.label : info.id,
                 c & 16 ? " " : "");
        for (i = 0; buf[i]; i++)
            if (c & 32)
                buf[i] = (char)(buf[i] >= 'A' && buf[i] <= 'Z'
                                    ? buf[i] - 'A' + 'a'
                                    : buf[i] >= 'a' && buf[i] <= 'z'
                                          ? buf[i] - 'a' + 'A'
                                          : buf[i]);
        return buf;
    case 5:
        return c & 64 ? NULL : "";
    default:
        fuzz_text(in, buf, cap);
        return buf;
    }
}

static void check_path(run *r, int target, const dosm_step *steps,
                       size_t len)
{
    const dosm_def *def = r->def;
    dosm_instance at = r->inst;
    size_t i;
    if (len == 0) {
        FUZZ_CHECK(target == r->inst.state, "%s: an empty path to another "
                   "state", r->w->file);
        return;
    }
    for (i = 0; i < len; i++) {
        const dosm_step *st = &steps[i];
        dosm_transition_info ti;
        dosm_choice opts[256];
        size_t n, k;
        dosm_state_info si;
        FUZZ_CHECK(st->from == at.state, "%s: step %zu starts in %d, the "
                   "order is in %u", r->w->file, i, st->from,
                   (unsigned)at.state);
        if (st->transition < 0) { /* a transient state's fallback */
            FUZZ_CHECK(st->event == -1 &&
                           dosm_state_get(def, st->from, &si) == DOSM_OK &&
                           si.fallback == st->to,
                       "%s: step %zu (%d --%d--> %d) is no transition and "
                       "not the state's fallback", r->w->file, i, st->from,
                       st->event, st->to);
            at.previous = (int16_t)at.state;
            at.state = (uint16_t)st->to;
            at.seq++;
            continue;
        }
        FUZZ_CHECK(dosm_transition_get(def, st->transition, &ti) == DOSM_OK &&
                       ti.event == st->event &&
                       (ti.target == st->to ||
                        (ti.target == -1 && st->to == at.previous)),
                   "%s: step %zu (%d --%d--> %d) is not transition %d",
                   r->w->file, i, st->from, st->event, st->to,
                   st->transition);
        if (!W.fickle) {
            /* What firing would choose for that event here (at a seq that
             * cannot count another step, the choice it would take says so) */
            n = dosm_choices(def, r->host, &at, &r->req, opts, 256);
            for (k = 0; k < n && k < 256; k++)
                if (opts[k].event == st->event &&
                    (opts[k].code == DOSM_OK || opts[k].code == DOSM_R_SEQ_LIMIT))
                    break;
            FUZZ_CHECK(k < n && opts[k].transition == st->transition,
                       "%s: step %zu takes transition %d, firing %s would "
                       "take %d", r->w->file, i, st->transition,
                       dosm_event_name(def, st->event),
                       k < n ? opts[k].transition : -1);
        }
        at.previous = st->to == at.state ? at.previous : (int16_t)at.state;
        at.state = (uint16_t)st->to;
        at.seq++;
    }
    FUZZ_CHECK(at.state == target, "%s: the path ends in %u, not %d",
               r->w->file, (unsigned)at.state, target);
}

static void reconcile_once(run *r, fuzz_in *in)
{
    const dosm_def *def = r->def;
    dosm_instance before = r->inst;
    dosm_step steps[64];
    dosm_outcome out, pout;
    dosm_state_info tinfo;
    char buf[80];
    const char *observed = pick_observed(r, in, buf, sizeof buf);
    int target = observed ? dosm_state_find(def, observed) : -1;
    int valid = fuzz_instance_problem(def, &r->inst) == NULL;
    int real_target = target >= 0 &&
                      dosm_state_get(def, target, &tinfo) == DOSM_OK &&
                      !tinfo.is_parent;
    int rc, rc_path = -1;
    size_t len = 0;
    long oracle = -2;
    uint32_t moved;

    if (valid && real_target) {
        memset(&pout, 0, sizeof pout);
        rc_path = dosm_path(def, r->host, &r->inst, target, &r->req, steps,
                            64, &len, &pout);
        FUZZ_CHECK(rc_path == DOSM_OK || rc_path == DOSM_R_NO_PATH ||
                       rc_path == DOSM_E_BUFFER,
                   "%s: dosm_path to %s returned %s", r->w->file, observed,
                   dosm_code_name(rc_path));
        FUZZ_CHECK(pout.code == rc_path, "dosm_path: outcome code differs");
        if (rc_path == DOSM_OK)
            check_path(r, target, steps, len);
        else if (rc_path == DOSM_R_NO_PATH)
            FUZZ_CHECK(pout.text[0] != '\0', "%s: DOSM_R_NO_PATH without "
                       "a sentence", r->w->file);
        else
            FUZZ_CHECK(len > 64, "%s: DOSM_E_BUFFER for a path of %zu",
                       r->w->file, len);
        FUZZ_CHECK(memcmp(&r->inst, &before, sizeof before) == 0,
                   "dosm_path changed the instance");
        if (!W.fickle) {
            oracle = oracle_distance(def, r->host, &r->inst, target, &r->req);
            if (oracle >= -1) {
                FUZZ_CHECK((oracle >= 0) == (rc_path != DOSM_R_NO_PATH),
                           "%s: from %s (previous %s) to %s: dosm_path says "
                           "%s, a search over (state, previous) finds %ld "
                           "steps",
                           r->w->file, dosm_state_id(def, before.state),
                           before.previous == DOSM_NO_STATE
                               ? "none"
                               : dosm_state_id(def, before.previous),
                           tinfo.id, dosm_code_name(rc_path), oracle);
                FUZZ_CHECK(rc_path != DOSM_OK || (long)len == oracle,
                           "%s: from %s to %s: dosm_path takes %zu steps, "
                           "a search over (state, previous) finds %ld",
                           r->w->file, dosm_state_id(def, before.state),
                           tinfo.id, len, oracle);
            }
        }
    }

    W.def = def;
    W.inst = &r->inst;
    W.nrec = 0;
    memset(&out, 0x5A, sizeof out);
    rc = dosm_reconcile(def, r->host, &r->inst, observed, &r->req, &out);
    FUZZ_CHECK(out.code == rc, "%s: reconcile returned %s, outcome says %s",
               r->w->file, dosm_code_name(rc), dosm_code_name(out.code));
    moved = r->inst.seq - before.seq;

    if (!valid) {
        FUZZ_CHECK(rc == DOSM_E_STATE, "%s: reconciling an invalid instance "
                   "{%u, %u} returned %s", r->w->file,
                   (unsigned)before.state, (unsigned)before.previous,
                   dosm_code_name(rc));
        FUZZ_CHECK(memcmp(&r->inst, &before, sizeof before) == 0,
                   "reconciling an invalid instance changed it");
        return;
    }
    FUZZ_CHECK_INSTANCE(def, &r->inst, "after reconcile");
    if (!real_target) {
        FUZZ_CHECK(rc == DOSM_E_NAME, "%s: observed '%s' (state %d) gives "
                   "%s", r->w->file, observed ? observed : "(null)", target,
                   dosm_code_name(rc));
        FUZZ_CHECK(out.text[0] != '\0', "DOSM_E_NAME without a sentence");
    }
    if (rc == DOSM_OK) {
        dosm_instance replayed;
        dosm_error err;
        size_t bad = 0;
        int rr;
        FUZZ_CHECK(real_target && r->inst.state == target,
                   "%s: reconciled with %s, the order is in %s", r->w->file,
                   observed ? observed : "(null)",
                   dosm_state_id(def, r->inst.state));
        FUZZ_CHECK(rc_path == DOSM_OK || W.fickle,
                   "%s: dosm_path said %s, dosm_reconcile succeeds",
                   r->w->file, dosm_code_name(rc_path));
        if (!W.fickle)
            FUZZ_CHECK(moved == len, "%s: reconciling %s -> %s moved seq by "
                       "%u, the path has %zu steps", r->w->file,
                       dosm_state_id(def, before.state),
                       dosm_state_id(def, r->inst.state), (unsigned)moved,
                       len);
        if (r->host)
            FUZZ_CHECK(moved == W.nrec, "%s: seq moved by %u, %zu transition "
                       "callbacks", r->w->file, (unsigned)moved, W.nrec);
        if (before.state == target)
            FUZZ_CHECK(moved == 0 && memcmp(&r->inst, &before,
                                            sizeof before) == 0,
                       "reconciling with the current state changed it");
        if (r->host) {
            rr = dosm_replay(def, &before, W.records, W.nrec, &replayed, &bad,
                             &err);
            FUZZ_CHECK(rr == DOSM_OK && fuzz_same_instance(&replayed,
                                                           &r->inst),
                       "%s: replaying the %zu steps of a reconcile: %s at "
                       "%zu: %s",
                       r->w->file, W.nrec, dosm_code_name(rr), bad, err.text);
        }
    } else if (rc == DOSM_R_SEQ_LIMIT) {
        /* Refused whole: the path is longer than seq can count. */
        FUZZ_CHECK(W.fickle || ((rc_path == DOSM_OK || rc_path == DOSM_E_BUFFER) &&
                                len > (size_t)(UINT32_MAX - before.seq)),
                   "%s: DOSM_R_SEQ_LIMIT from seq %u, but dosm_path said %s "
                   "with %zu steps", r->w->file, (unsigned)before.seq,
                   dosm_code_name(rc_path), len);
        FUZZ_CHECK(memcmp(&r->inst, &before, sizeof before) == 0 && W.nrec == 0,
                   "%s: DOSM_R_SEQ_LIMIT changed the instance or ran callbacks",
                   r->w->file);
    } else if (rc == DOSM_E_NAME || rc == DOSM_R_NO_PATH) {
        FUZZ_CHECK(memcmp(&r->inst, &before, sizeof before) == 0,
                   "%s: %s changed the instance", r->w->file,
                   dosm_code_name(rc));
        FUZZ_CHECK(W.nrec == 0, "%s ran callbacks", dosm_code_name(rc));
        if (rc == DOSM_R_NO_PATH && !W.fickle)
            FUZZ_CHECK(rc_path == DOSM_R_NO_PATH, "%s: dosm_path says %s, "
                       "dosm_reconcile no path", r->w->file,
                       dosm_code_name(rc_path));
    } else {
        /* A step refused while applying: only when the guards changed
         * their mind since the search. */
        FUZZ_CHECK(DOSM_IS_REJECTION(rc), "%s: reconcile returned %s",
                   r->w->file, dosm_code_name(rc));
        FUZZ_CHECK(W.fickle, "%s: with stable guards, a step of the path "
                   "was refused: %s (%s)", r->w->file, dosm_code_name(rc),
                   out.text);
        if (r->host) {
            dosm_instance replayed;
            size_t bad = 0;
            int rr;
            FUZZ_CHECK(moved == W.nrec, "%s: seq moved by %u, %zu callbacks",
                       r->w->file, (unsigned)moved, W.nrec);
            rr = dosm_replay(def, &before, W.records, W.nrec, &replayed, &bad,
                             NULL);
            FUZZ_CHECK(rr == DOSM_OK && fuzz_same_instance(&replayed,
                                                           &r->inst),
                       "%s: the steps before a refusal do not replay",
                       r->w->file);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static run r;
    fuzz_in in = {data, size};
    dosm_host *with_guards, *bare;
    unsigned flags, n, i;

    memset(&r, 0, sizeof r);
    r.w = &fuzz_workflows[fuzz_byte(&in) % fuzz_workflow_count];
    r.def = r.w->def;
    W.guard_bits = fuzz_u32(&in);
    W.guard_calls = 0;
    flags = fuzz_byte(&in);
    W.fickle = (flags & 3) == 3;

    with_guards = dosm_host_new(r.def, NULL);
    bare = dosm_host_new(r.def, NULL);
    FUZZ_CHECK(with_guards && bare, "dosm_host_new failed");
    dosm_host_on(with_guards, DOSM_ON_TRANSITION, on_transition_cb, NULL);
    dosm_host_on(bare, DOSM_ON_TRANSITION, on_transition_cb, NULL);
    for (i = 0; i < r.w->guard_count; i++)
        dosm_host_bind_guard(with_guards, r.w->guards[i], guard_cb,
                        (void *)(uintptr_t)i);
    r.host = flags & 4 ? bare : with_guards;

    /* The order's attributes. */
    n = fuzz_byte(&in) % (MAX_PAIRS + 1);
    for (i = 0; i < n; i++) {
        unsigned c = fuzz_byte(&in);
        if (r.w->attribute_count && c < 224)
            snprintf(r.text[i][0], 70, "%s",
                     r.w->attributes[c % r.w->attribute_count]);
        else
            fuzz_text(&in, r.text[i][0], 70);
        c = fuzz_byte(&in);
        if (c < 240)
            snprintf(r.text[i][1], 70, "%s",
                     fuzz_values[c % FUZZ_COUNT(fuzz_values)]);
        else
            fuzz_text(&in, r.text[i][1], 70);
        r.attr[i].name = r.text[i][0];
        r.attr[i].value = r.text[i][1];
    }
    r.attributes.pairs = r.attr;
    r.attributes.count = n;
    r.req.attributes = flags & 8 ? NULL : &r.attributes;

    /* Where the order starts. */
    r.inst = dosm_instance_initial(r.def);
    if (flags & 16) {
        /* Made up: any state, any previous, any seq (parents included:
         * then everything must say DOSM_E_STATE). */
        unsigned count = (unsigned)dosm_state_count(r.def);
        unsigned p = fuzz_byte(&in);
        r.inst.state =
            (uint16_t)(fuzz_byte(&in) % (count + (flags & 32 ? 1 : 0)));
        r.inst.previous = p >= 240 ? (int16_t)DOSM_NO_STATE
                                   : (int16_t)(p % count);
        r.inst.seq = fuzz_u32(&in);
    } else {
        /* Moved by a few events, with no host, as the order's history. */
        unsigned k = fuzz_byte(&in) % 16;
        int events = (int)dosm_event_count(r.def);
        for (i = 0; i < k && events > 0; i++)
            dosm_fire_index(r.def, NULL, &r.inst,
                            (int)(fuzz_byte(&in) % (unsigned)events), &r.req,
                            NULL);
        FUZZ_CHECK_INSTANCE(r.def, &r.inst, "after the history");
    }

    for (i = 0; i < 32 && in.n; i++)
        reconcile_once(&r, &in);

    dosm_host_free(with_guards);
    dosm_host_free(bare);
    return 0;
}

/* Guard expressions parsed and type-checked at load time into a small
 * tree (gnode, postfix order): the tokenizer, the recursive-descent parser
 * and dosm__guard_parse. */
#include "load.h"

#include <string.h>

#define MAX_NESTING 32
/* Terms of `and`/`or` chains nest as deeply as they are long, and guards
 * are evaluated and analysed recursively: bound their size. */
#define MAX_GUARD_TOKENS 512

typedef enum tok_kind {
    T_END, T_WORD, T_QUOTED, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA,
    T_RANGE, T_OP, T_BAD
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *start;
    size_t len;
    gcmp cmp;
} token;

typedef struct parser {
    dosm_def *d;
    const char *text, *pos;
    mark at;
    diag_sink *sink;
    token tok;
    guard_expr *g;
    uint32_t capacity;
    int failed;
    char word[128];
} parser;

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Scans one token at *pos. A '.' belongs to a word only when a digit
 * follows, so "2.1..2.3.1" reads as 2.1, .., 2.3.1. */
static token scan(const char **pos)
{
    token t;
    const char *p = *pos;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    t.start = p;
    t.cmp = C_EQ;
    t.kind = T_BAD;
    switch (*p) {
    case '\0': t.kind = T_END; break;
    case '(': t.kind = T_LPAREN; p++; break;
    case ')': t.kind = T_RPAREN; p++; break;
    case '[': t.kind = T_LBRACK; p++; break;
    case ']': t.kind = T_RBRACK; p++; break;
    case ',': t.kind = T_COMMA; p++; break;
    case '.':
        if (p[1] == '.') {
            t.kind = T_RANGE;
            p += 2;
        }
        break;
    case '=':
    case '!':
        if (p[1] == '=') {
            t.kind = T_OP;
            t.cmp = *p == '=' ? C_EQ : C_NE;
            p += 2;
        }
        break;
    case '<':
    case '>':
        t.kind = T_OP;
        t.cmp = *p == '<' ? (p[1] == '=' ? C_LE : C_LT)
                          : (p[1] == '=' ? C_GE : C_GT);
        p += p[1] == '=' ? 2 : 1;
        break;
    case '\'':
        for (p++; *p && *p != '\''; p++)
            ;
        if (*p == '\'') {
            t.kind = T_QUOTED;
            t.start++;
            t.len = (size_t)(p - t.start);
            *pos = p + 1;
            return t;
        }
        break;
    default:
        if (word_char(*p)) {
            t.kind = T_WORD;
            while (word_char(*p) || (*p == '.' && digit(p[1])))
                p++;
        }
    }
    if (t.kind == T_BAD && *p)
        p++;
    t.len = (size_t)(p - t.start);
    *pos = p;
    return t;
}

static void next(parser *ps)
{
    ps->tok = scan(&ps->pos);
}

static int is_word(const token *t, const char *w)
{
    return t->kind == T_WORD && t->len == strlen(w) &&
           memcmp(t->start, w, t->len) == 0;
}

static mark tok_mark(const parser *ps, const token *t)
{
    mark m = ps->at;
    m.col += (uint32_t)(t->start - ps->text);
    return m;
}

/* Reports the first problem of a guard, quoting the guard. */
static void fail(parser *ps, int code, const token *t, const char *fmt,
                 const char *arg)
{
    char problem[DOSM_TEXT_MAX];
    if (ps->failed)
        return;
    ps->failed = 1;
    dosm__text_format(problem, sizeof problem, fmt, arg);
    dosm__diag_report(ps->sink, DOSM_ERROR, code, tok_mark(ps, t),
                "%s in guard '%s'", problem, ps->text);
}

/* The current token's text, NUL-terminated, in a scratch buffer. */
static const char *tok_text(parser *ps, const token *t)
{
    size_t n = t->len < sizeof ps->word - 1 ? t->len : sizeof ps->word - 1;
    memcpy(ps->word, t->start, n);
    ps->word[n] = '\0';
    return ps->word;
}

static int32_t add(parser *ps, gop op)
{
    gnode *n;
    if (ps->g->count >= ps->capacity) { /* cannot happen: one per token */
        ps->failed = 1;
        return -1;
    }
    n = &ps->g->nodes[ps->g->count];
    n->op = op;
    n->a = n->b = n->ref = -1;
    return (int32_t)ps->g->count++;
}

static int32_t parse_or(parser *ps, int depth);

static const char *const type_word[] = {"text", "an enum", "an integer",
                                        "a boolean", "a version"};

/* Reads a literal for attribute f; reports and returns 0 when it does not
 * fit the attribute's type. Strings are copied into the definition. */
static int literal(parser *ps, const field *f, value *v)
{
    token t = ps->tok;
    const char *text;
    if (t.kind != T_WORD && t.kind != T_QUOTED) {
        fail(ps, DOSM_D_GUARD, &t, "expected a value%s", "");
        return 0;
    }
    /* The whole token, in the definition: tok_text is cut for messages. */
    text = dosm__arena_strdup(&ps->d->mem, t.start, t.len);
    if (!text) {
        dosm__diag_report(ps->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        ps->failed = 1;
        return 0;
    }
    if (t.kind == T_QUOTED && f->type != TYPE_STRING) {
        fail(ps, DOSM_D_GUARD_TYPE, &t,
             "quoted text compared with %s attribute",
             type_word[f->type]);
        return 0;
    }
    if (!dosm__value_read(f, text, v)) {
        if (f->type == TYPE_ENUM)
            fail(ps, DOSM_D_ENUM, &t,
                 "'%s' is not one of the enum's values", text);
        else
            fail(ps, DOSM_D_GUARD_TYPE, &t,
                 "'%s' does not fit the attribute's type", text);
        return 0;
    }
    v->str = text;
    next(ps);
    return 1;
}

static int32_t parse_in(parser *ps, const field *f, int32_t attr, token at)
{
    int32_t n;
    if (ps->tok.kind == T_LBRACK) {
        value vals[64];
        uint32_t count = 0;
        next(ps);
        do {
            if (count > 0)
                next(ps);
            if (count == 64) {
                fail(ps, DOSM_D_GUARD, &ps->tok,
                     "more than 64 values in a list%s", "");
                return -1;
            }
            if (!literal(ps, f, &vals[count++]))
                return -1;
        } while (ps->tok.kind == T_COMMA);
        if (ps->tok.kind != T_RBRACK) {
            fail(ps, DOSM_D_GUARD, &ps->tok, "expected ']'%s", "");
            return -1;
        }
        next(ps);
        n = add(ps, G_IN_SET);
        if (n < 0)
            return -1;
        ps->g->nodes[n].set = dosm__arena_array(&ps->d->mem, count, sizeof(value));
        if (!ps->g->nodes[n].set) {
            dosm__diag_report(ps->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                        "out of memory");
            ps->failed = 1;
            return -1;
        }
        memcpy(ps->g->nodes[n].set, vals, count * sizeof(value));
        ps->g->nodes[n].set_count = count;
    } else {
        value lo, hi;
        if (!value_ordered(f->type)) {
            fail(ps, DOSM_D_GUARD_TYPE, &at,
                 "a range needs an integer or version attribute%s", "");
            return -1;
        }
        if (!literal(ps, f, &lo))
            return -1;
        if (ps->tok.kind != T_RANGE) {
            fail(ps, DOSM_D_GUARD, &ps->tok,
                 "expected '..' or a list after 'in'%s", "");
            return -1;
        }
        next(ps);
        if (!literal(ps, f, &hi))
            return -1;
        n = add(ps, G_IN_RANGE);
        if (n < 0)
            return -1;
        ps->g->nodes[n].lo = lo;
        ps->g->nodes[n].hi = hi;
    }
    ps->g->nodes[n].ref = attr;
    return n;
}

static int32_t parse_test(parser *ps)
{
    token name = ps->tok;
    const char *text;
    name_table attrs = dosm__table_of_attrs(ps->d), guards = dosm__table_of_guards(ps->d);
    int32_t attr, g, n;
    const field *f;

    if (name.kind != T_WORD || is_word(&name, "and") || is_word(&name, "or") ||
        is_word(&name, "in")) {
        fail(ps, DOSM_D_GUARD, &name,
             "expected a name, 'not' or '('%s", "");
        return -1;
    }
    text = tok_text(ps, &name);
    attr = dosm__names_find(&ps->d->attr_ix, &attrs, text);
    g = dosm__names_find(&ps->d->guard_ix, &guards, text);
    if (attr < 0 && g < 0) {
        fail(ps, DOSM_D_REF, &name,
             "unknown attribute or guard '%s'", text);
        return -1;
    }
    next(ps);
    if (g >= 0) {
        if (ps->tok.kind == T_OP || is_word(&ps->tok, "in")) {
            fail(ps, DOSM_D_GUARD_TYPE, &ps->tok,
                 "a named guard is true or false and cannot be compared",
                 "");
            return -1;
        }
        n = add(ps, G_HOST);
        if (n >= 0)
            ps->g->nodes[n].ref = g;
        return n;
    }
    f = &ps->d->attrs[attr];
    if (is_word(&ps->tok, "in")) {
        next(ps);
        return parse_in(ps, f, attr, name);
    }
    if (ps->tok.kind != T_OP) {
        if (f->type != TYPE_BOOLEAN) {
            fail(ps, DOSM_D_GUARD_TYPE, &name,
                 "attribute '%s' is not a boolean; compare it with a value",
                 f->name);
            return -1;
        }
        n = add(ps, G_TRUTH);
        if (n >= 0)
            ps->g->nodes[n].ref = attr;
        return n;
    }
    {
        token op = ps->tok;
        value v;
        if (op.cmp != C_EQ && op.cmp != C_NE && !value_ordered(f->type)) {
            fail(ps, DOSM_D_GUARD_TYPE, &op,
                 "only integers and versions can be ordered; '%s' can only be "
                 "compared with == or !=",
                 f->name);
            return -1;
        }
        next(ps);
        if (!literal(ps, f, &v))
            return -1;
        n = add(ps, G_CMP);
        if (n < 0)
            return -1;
        ps->g->nodes[n].cmp = op.cmp;
        ps->g->nodes[n].ref = attr;
        ps->g->nodes[n].lo = v;
        return n;
    }
}

static int32_t parse_not(parser *ps, int depth)
{
    int32_t inner;
    if (depth > MAX_NESTING) {
        fail(ps, DOSM_D_GUARD, &ps->tok, "nested too deeply%s", "");
        return -1;
    }
    if (is_word(&ps->tok, "not")) {
        int32_t n;
        next(ps);
        inner = parse_not(ps, depth + 1);
        if (inner < 0 || (n = add(ps, G_NOT)) < 0)
            return -1;
        ps->g->nodes[n].a = inner;
        return n;
    }
    if (ps->tok.kind == T_LPAREN) {
        token open = ps->tok;
        next(ps);
        inner = parse_or(ps, depth + 1);
        if (inner < 0)
            return -1;
        if (ps->tok.kind != T_RPAREN) {
            fail(ps, DOSM_D_GUARD, &open, "unclosed '('%s", "");
            return -1;
        }
        next(ps);
        return inner;
    }
    return parse_test(ps);
}

static int32_t parse_binary(parser *ps, int depth, const char *word, gop op,
                            int32_t (*operand)(parser *, int))
{
    int32_t left = operand(ps, depth);
    while (left >= 0 && is_word(&ps->tok, word)) {
        int32_t right, n;
        next(ps);
        right = operand(ps, depth);
        if (right < 0 || (n = add(ps, op)) < 0)
            return -1;
        ps->g->nodes[n].a = left;
        ps->g->nodes[n].b = right;
        left = n;
    }
    return left;
}

static int32_t parse_and(parser *ps, int depth)
{
    return parse_binary(ps, depth, "and", G_AND, parse_not);
}

static int32_t parse_or(parser *ps, int depth)
{
    return parse_binary(ps, depth, "or", G_OR, parse_and);
}

guard_expr *dosm__guard_parse(dosm_def *d, const char *text, mark at,
                              diag_sink *sink, uint32_t *tokens_left)
{
    parser ps;
    const char *p = text;
    uint32_t tokens = 0;
    token t;

    memset(&ps, 0, sizeof ps);
    ps.d = d;
    ps.text = ps.pos = text;
    ps.at = at;
    ps.sink = sink;
    do {
        t = scan(&p);
        tokens++;
    } while (t.kind != T_END && tokens <= MAX_GUARD_TOKENS);
    if (tokens > MAX_GUARD_TOKENS) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_D_LIMIT, at,
                    "a guard has more than %u tokens (the limit)",
                    (unsigned)MAX_GUARD_TOKENS);
        return NULL;
    }
    /* A node per token costs 104 bytes, so the tokens of all distinct
     * guards are bounded: 4 MiB of guards would otherwise take 145 MB. */
    if (tokens > *tokens_left) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_D_LIMIT, at,
                    "the guards have more than %u tokens in all (the limit)",
                    (unsigned)DOSM_GUARD_TOKENS_ALL);
        return NULL;
    }
    *tokens_left -= tokens;
    ps.g = dosm__arena_alloc(&d->mem, sizeof *ps.g);
    ps.capacity = tokens;
    if (!ps.g || !(ps.g->nodes = dosm__arena_array(&d->mem, tokens, sizeof(gnode)))) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return NULL;
    }
    ps.g->text = text;
    next(&ps);
    if (ps.tok.kind == T_END) {
        fail(&ps, DOSM_D_GUARD, &ps.tok, "nothing to test%s", "");
        return NULL;
    }
    ps.g->root = parse_or(&ps, 0);
    if (!ps.failed && ps.tok.kind != T_END)
        fail(&ps, DOSM_D_GUARD, &ps.tok,
             "unexpected '%s'", tok_text(&ps, &ps.tok));
    return ps.failed ? NULL : ps.g;
}

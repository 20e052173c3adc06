/* Guard evaluation at fire time, without allocating: an attribute read
 * from the request, compared with the guard's literals. */
#include "model.h"

#include <string.h>

static int compare(const value *x, const value *y)
{
    if (x->type == TYPE_STRING)
        return strcmp(x->str, y->str);
    if (x->type == TYPE_VERSION)
        return x->version < y->version ? -1 : x->version > y->version;
    return x->num < y->num ? -1 : x->num > y->num;
}

static int holds(gcmp c, int r)
{
    switch (c) {
    case C_EQ: return r == 0;
    case C_NE: return r != 0;
    case C_LT: return r < 0;
    case C_LE: return r <= 0;
    case C_GT: return r > 0;
    case C_GE: return r >= 0;
    }
    return 0;
}

/* Reads attribute `ref` of the order, prepared or as text; 0 (noting
 * why) when absent or bad. */
static int attribute(eval_ctx *ctx, int32_t ref, value *v)
{
    const field *f = &ctx->def->attrs[ref];
    const dosm_request *req = ctx->request;
    const dosm_attributes *set = prepared_of(req);
    const char *text;
    if (set) {
        const prepared_value *p = &set->values[ref];
        if (p->readable) {
            *v = p->v;
            return 1;
        }
        text = p->text;
    } else {
        text = dosm__values_get(req ? req->attributes : NULL, f->name);
        if (text && dosm__value_read(f, text, v))
            return 1;
    }
    if (!text) {
        if (!ctx->missing)
            ctx->missing = f->name;
    } else if (!ctx->bad_name) {
        ctx->bad_name = f->name;
        ctx->bad_value = text;
    }
    ctx->unreadable = 1;
    return 0;
}

/* Does attribute value v pass test node n (TRUTH, CMP, IN_RANGE, IN_SET)? */
static int passes(const gnode *n, const value *v)
{
    uint32_t k;
    switch (n->op) {
    case G_TRUTH: return v->num != 0;
    case G_CMP: return holds(n->cmp, compare(v, &n->lo));
    case G_IN_RANGE:
        return compare(v, &n->lo) >= 0 && compare(v, &n->hi) <= 0;
    case G_IN_SET:
        for (k = 0; k < n->set_count; k++)
            if (compare(v, &n->set[k]) == 0)
                return 1;
        return 0;
    default: return 0;
    }
}

static int eval(const guard_expr *g, int32_t i, eval_ctx *ctx)
{
    const gnode *n = &g->nodes[i];
    value v;
    switch (n->op) {
    case G_AND: return eval(g, n->a, ctx) && eval(g, n->b, ctx);
    case G_OR: return eval(g, n->a, ctx) || eval(g, n->b, ctx);
    case G_NOT: return !eval(g, n->a, ctx);
    case G_HOST:
        return dosm__host_guard_holds(ctx, n->ref);
    default: /* the other nodes test one attribute */
        return attribute(ctx, n->ref, &v) && passes(n, &v);
    }
}

/* A guard that reads an attribute the order lacks (or whose value does
 * not read) is false as a whole, even under `not`: the library never
 * guesses what a missing value would have said. */
int dosm__guard_eval(eval_ctx *ctx, int32_t trans)
{
    const guard_expr *g = ctx->def->trans[trans].guard;
    int holds_now;
    if (!g)
        return 1;
    ctx->trans = trans;
    ctx->unreadable = 0;
    holds_now = eval(g, g->root, ctx);
    return holds_now && !ctx->unreadable;
}

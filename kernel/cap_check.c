/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capability core's invariant checker (cap_check.h). It trusts little of
 * what it checks: each CNode cap is validated before its slots are walked and
 * every walk along links is bounded. It does follow tree links from the tree
 * roots to find CNodes that only the tree reaches, so a wild pointer there is
 * dereferenced: a fault in the kernel, an ASan report on the host, a failure
 * either way.
 */
#include <kernel/cap_check.h>
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/kobject.h>
#include <kernel/string.h>

#define CHECK_MAX_TREE ((size_t)1 << 24)

static const char *fail(struct cap_check *ck, const void *slot, const char *what)
{
        const struct cte *s = slot;

        ksnprintf(ck->message, sizeof(ck->message), "slot %p (cap type %u): %s", slot,
                  s ? (unsigned)s->cap.type : 0u, what);
        return ck->message;
}

/* The slots a walked node holds: a CNode's or zombie's, or an object's with
 * slots (a TCB's, kobject.h). */
static struct cte *node_slots(const struct cap *n, uint64_t *count)
{
        unsigned radix;
        struct cte *slots;

        if (n->type == CAP_CNODE || n->type == CAP_ZOMBIE) {
                *count = (uint64_t)1 << n->size_bits;
                return cap_cnode_slots(n);
        }
        slots = kobject_cap_slots(n, &radix);
        *count = slots ? (uint64_t)1 << radix : 0;
        return slots;
}

static bool holds_slots(const struct cap *c)
{
        uint64_t count;

        return node_slots(c, &count) != NULL;
}

/* ---- single caps ---------------------------------------------------- */

static bool size_valid(const struct cap *c)
{
        switch (c->type) {
        case CAP_UNTYPED:
                return c->size_bits >= TESSERA_UNTYPED_MIN_BITS &&
                       c->size_bits <= TESSERA_UNTYPED_MAX_BITS;
        case CAP_CNODE:
        case CAP_ZOMBIE:
                return c->size_bits >= 1 && c->size_bits <= TESSERA_CNODE_MAX_RADIX;
        case CAP_TCB:
                return c->size_bits == TESSERA_TCB_BITS;
        case CAP_ENDPOINT:
                return c->size_bits == TESSERA_ENDPOINT_BITS;
        case CAP_NOTIFICATION:
                return c->size_bits == TESSERA_NOTIFICATION_BITS;
        case CAP_REPLY:
                return c->size_bits == TESSERA_REPLY_BITS;
        case CAP_FRAME:
                return c->size_bits == TESSERA_FRAME_4K_BITS || c->size_bits == TESSERA_FRAME_2M_BITS;
        case CAP_VSPACE:
        case CAP_PAGE_TABLE:
                return c->size_bits == TESSERA_TABLE_BITS;
        default:
                return c->size_bits == 0;
        }
}

static const char *cap_fault(const struct cap *c)
{
        unsigned bits = cap_object_bits(c);
        uint64_t slots = (uint64_t)1 << (c->size_bits & 63);

        if (c->type >= CAP_TYPE_COUNT)
                return "unknown cap type";
        if ((c->rights & ~TESSERA_RIGHTS_ALL) || (c->flags & ~CAP_FLAGS_ALL))
                return "unknown rights or flags";
        if ((c->flags & CAP_FLAG_DEVICE) && c->type != CAP_UNTYPED && c->type != CAP_FRAME)
                return "device flag on a cap that is not untyped or a frame";
        if ((c->flags & CAP_FLAG_MAPPED) && c->type != CAP_FRAME && c->type != CAP_VSPACE &&
            c->type != CAP_PAGE_TABLE)
                return "mapped flag on a cap that cannot be mapped";
        if (!size_valid(c))
                return "size out of range for its type";
        if (bits && (c->object & (((uint64_t)1 << bits) - 1)))
                return "object not aligned to its size";
        if (c->type == CAP_CNODE && (c->size_bits + c->guard_bits > 64 ||
                                     (c->guard_bits < 64 && c->data >> c->guard_bits)))
                return "CNode guard does not fit";
        if (c->type == CAP_UNTYPED && c->data > ((uint64_t)1 << bits))
                return "free index beyond the end of the untyped";
        if (c->type == CAP_ZOMBIE && c->data > slots)
                return "zombie has more slots left than its CNode";
        return NULL;
}

/* ---- collecting the CNodes ------------------------------------------ */

static const char *add_node(struct cap_check *ck, const void *where, const struct cap *c)
{
        const char *why = cap_fault(c);

        if (why)
                return fail(ck, where, why);
        for (size_t i = 0; i < ck->count; i++)
                if (ck->nodes[i]->object == c->object && ck->nodes[i]->type == c->type)
                        return ck->nodes[i]->size_bits == c->size_bits ? NULL :
                               fail(ck, where, "two caps disagree on a CNode's radix");
        if (ck->count == ck->capacity)
                return fail(ck, where, "more CNodes than the checker's scratch holds");
        ck->nodes[ck->count++] = c;
        return NULL;
}

static const char *add_reaper(struct cap_check *ck)
{
        struct cdt_reaper *r = cdt_reaper();
        struct cte *z = r->top;
        const char *err;

        if (!r->top != !r->bottom)
                return fail(ck, r->top, "reaper has a top without a bottom or the reverse");
        for (size_t steps = 0; z; steps++) {
                if (z->cap.type != CAP_ZOMBIE || steps > ck->capacity)
                        return fail(ck, z, "reaper stack holds a non-zombie or loops");
                err = add_node(ck, z, &z->cap);
                if (err || z == r->bottom)
                        return err;
                z = z->cap.aux ? (struct cte *)(uintptr_t)z->cap.aux : r->bottom;
        }
        return NULL;
}

/* A cursor over every slot of every CNode walked so far. */
struct walk {
        const struct cap_check *ck;
        size_t node;
        uint64_t index;
};

static struct cte *walk_next(struct walk *w)
{
        while (w->node < w->ck->count) {
                uint64_t count;
                struct cte *slots = node_slots(w->ck->nodes[w->node], &count);

                if (w->index < count)
                        return slots + w->index++;
                w->node++;
                w->index = 0;
        }
        return NULL;
}

/*
 * CNodes the CSpace does not reach are still live while the tree holds
 * caps in them (a CNode holding the last cap to itself): walk each tree
 * whose root is a walked slot, and the CNodes its caps name.
 */
static const char *add_tree(struct cap_check *ck, const struct cte *top)
{
        const struct cte *c = top;
        const char *err = NULL;

        for (size_t steps = 0; c && !err; steps++) {
                if (steps > CHECK_MAX_TREE)
                        return fail(ck, top, "derivation tree too large or cyclic");
                if (holds_slots(&c->cap))
                        err = add_node(ck, c, &c->cap);
                if (c->first_child) {
                        c = c->first_child;
                        continue;
                }
                while (c && c != top && !c->next_sibling)
                        c = c->parent;
                if (!c)
                        return fail(ck, top, "derivation tree breaks off while walking it");
                c = c == top ? NULL : c->next_sibling;
        }
        return err;
}

/* Every CNode reachable from the root through slots or tree links. */
static const char *collect(struct cap_check *ck, const struct cap *root)
{
        struct walk w = { ck, 0, 0 };
        const char *err = add_node(ck, root, root);
        struct cte *s;

        if (!err)
                err = add_reaper(ck);
        while (!err && (s = walk_next(&w)) != NULL) {
                if (cap_is_null(&s->cap))
                        continue;
                ck->caps++;
                if (holds_slots(&s->cap))
                        err = add_node(ck, s, &s->cap);
                if (!err && !s->parent)
                        err = add_tree(ck, s);
        }
        return err;
}

/* ---- links ------------------------------------------------------------ */

static bool known(const struct cap_check *ck, const struct cte *p)
{
        uintptr_t a = (uintptr_t)p;

        for (size_t i = 0; i < ck->count; i++) {
                uint64_t count;
                uintptr_t base = (uintptr_t)node_slots(ck->nodes[i], &count);
                uintptr_t size = (uintptr_t)count * sizeof(struct cte);

                if (a >= base && a - base < size && (a - base) % sizeof(struct cte) == 0)
                        return true;
        }
        return false;
}

static const char *link_fault(const struct cap_check *ck, const struct cte *s)
{
        const struct cte *links[] = { s->parent, s->first_child, s->next_sibling, s->prev_sibling };

        for (unsigned i = 0; i < 4; i++) {
                if (links[i] == s)
                        return "links to itself";
                if (links[i] && ck->strict && !known(ck, links[i]))
                        return "tree link leads outside the walked CNodes";
        }
        if (s->next_sibling && (s->next_sibling->prev_sibling != s ||
                                s->next_sibling->parent != s->parent))
                return "next sibling does not link back";
        if (s->prev_sibling && s->prev_sibling->next_sibling != s)
                return "previous sibling does not link back";
        if (!s->prev_sibling && s->parent && s->parent->first_child != s)
                return "first of its siblings but not its parent's first child";
        if (s->first_child && (s->first_child->parent != s || s->first_child->prev_sibling))
                return "first child does not link back";
        return NULL;
}

static const char *count_list(struct cap_check *ck, const struct cte *head,
                              const struct cte *parent, size_t *listed)
{
        for (const struct cte *c = head; c; c = c->next_sibling) {
                if (++*listed > ck->caps)
                        return fail(ck, c, "a sibling list loops");
                if (c->parent != parent)
                        return fail(ck, c, "a sibling has another parent");
        }
        return NULL;
}

/* Every cap is in exactly one sibling list (its parent's, or a parentless
 * one) and every list is finite: the lists' lengths add up to the caps. */
static const char *check_lists(struct cap_check *ck)
{
        struct walk w = { ck, 0, 0 };
        const char *err = NULL;
        size_t listed = 0;
        struct cte *s;

        while (!err && (s = walk_next(&w)) != NULL) {
                if (cap_is_null(&s->cap))
                        continue;
                if (!s->parent && !s->prev_sibling)
                        err = count_list(ck, s, NULL, &listed);
                if (!err && s->first_child)
                        err = count_list(ck, s->first_child, s, &listed);
        }
        if (!err && listed != ck->caps)
                err = fail(ck, NULL, "a cap is in no sibling list");
        return err;
}

static const char *check_depth(struct cap_check *ck, const struct cte *s)
{
        size_t steps = 0;

        for (const struct cte *p = s->parent; p; p = p->parent)
                if (++steps > ck->caps)
                        return fail(ck, s, "parent chain loops");
        return NULL;
}

/* ---- relations -------------------------------------------------------- */

static const char *untyped_child_fault(const struct cap *ut, const struct cap *c)
{
        unsigned bits = cap_object_bits(c);
        uint64_t offset = c->object - ut->object;

        if (!bits)
                return "child of an untyped has no memory";
        if (c->object < ut->object || offset > ut->data || ((uint64_t)1 << bits) > ut->data - offset)
                return "child of an untyped outside [base, base + free index)";
        if (!(ut->flags & CAP_FLAG_DEVICE))
                return (c->flags & CAP_FLAG_DEVICE) ? "child of normal untyped marked device" : NULL;
        if (c->type != CAP_FRAME && c->type != CAP_UNTYPED)
                return "device untyped has a child that is not a frame or untyped";
        return (c->flags & CAP_FLAG_DEVICE) ? NULL : "child of device untyped not marked device";
}

static const char *parent_fault(const struct cte *s)
{
        const struct cap *p = &s->parent->cap, *c = &s->cap;

        switch (p->type) {
        case CAP_UNTYPED:
                return untyped_child_fault(p, c);
        case CAP_IRQ_CONTROL:
                return c->type == CAP_IRQ_HANDLER ? NULL : "child of IRQ control is not an IRQ handler";
        case CAP_ZOMBIE:
                return "zombie has children";
        default:
                if (!cap_same_object(p, c))
                        return "child names another object than its parent";
                if (cap_has_badge_field(p) && p->data != CAP_BADGE_NONE && c->data != p->data)
                        return "child of a badged cap has another badge";
                return NULL;
        }
}

/* Caps to one object are adjacent among their siblings (cdt.h). */
static const char *adjacency_fault(const struct cap_check *ck, const struct cte *s)
{
        const struct cte *t = s->next_sibling;
        size_t steps = 0;

        if (s->cap.type == CAP_UNTYPED || !t || cap_same_object(&s->cap, &t->cap))
                return NULL;
        for (t = t->next_sibling; t && ++steps <= ck->caps; t = t->next_sibling)
                if (cap_same_object(&s->cap, &t->cap))
                        return "caps to one object are not adjacent siblings";
        return NULL;
}

static bool on_reaper(const struct cte *s)
{
        struct cdt_reaper *r = cdt_reaper();
        struct cte *z = r->top;

        while (z) {
                if (z == s)
                        return true;
                if (z == r->bottom)
                        break;
                z = z->cap.aux ? (struct cte *)(uintptr_t)z->cap.aux : r->bottom;
        }
        return false;
}

static const char *slot_fault(struct cap_check *ck, const struct cte *s)
{
        const char *why = cap_fault(&s->cap);

        if (cap_is_null(&s->cap))
                return (s->parent || s->first_child || s->next_sibling || s->prev_sibling) ?
                       "empty slot with tree links" : NULL;
        if (!why)
                why = link_fault(ck, s);
        if (!why && s->parent)
                why = parent_fault(s);
        if (!why)
                why = adjacency_fault(ck, s);
        if (!why && s->cap.type == CAP_ZOMBIE && !on_reaper(s))
                why = "zombie not on the reaper stack";
        if (!why && ck->visit)
                why = ck->visit(&s->cap);
        return why;
}

static const char *check_slots(struct cap_check *ck)
{
        struct walk w = { ck, 0, 0 };
        struct cte *s;
        const char *why;

        while ((s = walk_next(&w)) != NULL) {
                why = slot_fault(ck, s);
                if (why)
                        return fail(ck, s, why);
                if (check_depth(ck, s))
                        return ck->message;
        }
        return NULL;
}

/* ---- pairs ------------------------------------------------------------ */

static bool is_ancestor(const struct cte *a, const struct cte *s)
{
        for (const struct cte *p = s->parent; p; p = p->parent)
                if (p == a)
                        return true;
        return false;
}

/* The highest cap naming the same object above s. */
static const struct cte *top_of(const struct cte *s)
{
        while (s->parent && cap_same_object(&s->parent->cap, &s->cap))
                s = s->parent;
        return s;
}

static bool overlap(const struct cap *a, const struct cap *b)
{
        unsigned ab = cap_object_bits(a), bb = cap_object_bits(b);

        if (!ab || !bb)
                return false;
        return a->object < b->object + ((uint64_t)1 << bb) && b->object < a->object + ((uint64_t)1 << ab);
}

static const char *pair_fault(const struct cte *a, const struct cte *b)
{
        bool same = cap_same_object(&a->cap, &b->cap);

        if (same && top_of(a)->parent != top_of(b)->parent)
                return "caps to one object descend from different parents";
        if (!same && overlap(&a->cap, &b->cap) &&
            !(a->cap.type == CAP_UNTYPED && is_ancestor(a, b)) &&
            !(b->cap.type == CAP_UNTYPED && is_ancestor(b, a)))
                return "two live objects overlap";
        return NULL;
}

/* With the caller's scratch for them, the live caps are gathered once and
 * compared among themselves: the walk below costs every slot (empty ones
 * included) for every live cap, which after each system call is most of a
 * debug kernel's time. */
static bool gather_live(struct cap_check *ck, size_t *count)
{
        struct walk w = { ck, 0, 0 };
        struct cte *s;

        *count = 0;
        if (!ck->live)
                return false;
        while ((s = walk_next(&w)) != NULL) {
                if (cap_is_null(&s->cap))
                        continue;
                if (*count == ck->live_capacity)
                        return false;
                ck->live[(*count)++] = s;
        }
        return true;
}

static const char *check_pairs(struct cap_check *ck)
{
        struct walk wa = { ck, 0, 0 };
        struct cte *a, *b;
        const char *why;
        size_t n;

        if (gather_live(ck, &n)) {
                for (size_t i = 0; i < n; i++)
                        for (size_t j = i + 1; j < n; j++)
                                if ((why = pair_fault(ck->live[i], ck->live[j])) != NULL)
                                        return fail(ck, ck->live[i], why);
                return NULL;
        }
        while ((a = walk_next(&wa)) != NULL) {
                struct walk wb = wa;

                if (cap_is_null(&a->cap))
                        continue;
                while ((b = walk_next(&wb)) != NULL) {
                        why = cap_is_null(&b->cap) ? NULL : pair_fault(a, b);
                        if (why)
                                return fail(ck, a, why);
                }
        }
        return NULL;
}

static bool zero_from(const struct cap *ut)
{
        const uint8_t *p = (const uint8_t *)(uintptr_t)ut->object;
        uint64_t i = ut->data, end = (uint64_t)1 << ut->size_bits;

        for (; i < end && (i & 7); i++)
                if (p[i])
                        return false;
        for (; i < end; i += 8)
                if (*(const uint64_t *)(const void *)(p + i))
                        return false;
        return true;
}

/* Normal memory at and above each free index reads zero (untyped.h). */
static const char *check_free(struct cap_check *ck)
{
        struct walk w = { ck, 0, 0 };
        struct cte *s;

        while ((s = walk_next(&w)) != NULL)
                if (s->cap.type == CAP_UNTYPED && !(s->cap.flags & CAP_FLAG_DEVICE) && !zero_from(&s->cap))
                        return fail(ck, s, "untyped memory above the free index is not zero");
        return NULL;
}

const char *cap_check(const struct cap *root, struct cap_check *ck)
{
        const char *err;

        ck->count = 0;
        ck->caps = 0;
        ck->message[0] = '\0';
        if (root->type != CAP_CNODE)
                return fail(ck, NULL, "root is not a CNode");
        err = collect(ck, root);
        if (!err)
                err = check_slots(ck);
        if (!err && ck->strict)
                err = check_lists(ck);
        if (!err)
                err = check_pairs(ck);
        if (!err && ck->scan_free)
                err = check_free(ck);
        return err;
}

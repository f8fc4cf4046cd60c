/* SPDX-License-Identifier: MIT */
/* diagram.c: builds the layered flow diagram of a run from the model graph and its counts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "claims-report.h"
#include "diagram-private.h"
#include "diagram.h"
#include "downstream.h"
#include "memory.h"
#include "table.h"

/*
 * The structure (which scope covers which field, which partner integrates which API, stores
 * where, shares with whom) is read from the model graph; the widths come from the run's
 * counts. The counts are per (field, partner, channel), so an edge's number is the largest
 * such count among the pairs it stands for: "at least this many users" (docs/diagrams.md).
 */

#define MAX_SCOPES_LISTED 3
#define MAX_FIELDS_LISTED 4

const FsimGraphvizBounds fsim_diagram_layout = {
    .max_nodes = FSIM_GRAPHVIZ_MAX_NODES,
    .max_edges = FSIM_GRAPHVIZ_MAX_EDGES,
    .max_passes = FSIM_GRAPHVIZ_MAX_PASSES,
    .advice =
        "draw less of it (--top, --partner, --field), or write it as DOT and run dot on it yourself"
};

typedef struct {
    const FsimScenario *s;
    const FsimDecisions *dec;
    const FsimResult *r;
    FsimDay day;
    FsimModel *model;
    size_t *entity;    /* [v]: index of the vertex's entity (scope: in its API, ...) */
    size_t *owner;     /* [v]: the API of a scope, the partner of a destination */
    size_t *out_start; /* [v]: where vertex v's out-edges start in out_edges ([nv]: the end) */
    size_t *out_edges; /* the edges, by their from vertex, each vertex's in the order added */
    size_t *share_of;  /* [e]: share index of a SHARES edge within its partner */
    FsimIDiagram *d;
    size_t *group_node;   /* [f] */
    size_t *scope_node;   /* [a * FSIM_N_SUBJECTS + k], SIZE_MAX: none */
    size_t *partner_node; /* [p], SIZE_MAX: not drawn */
    FsimIPick *pick;
    gboolean *field_focus; /* [f]: drawn (all without --field) */
    gboolean *scope_focus; /* [scope_base[a] + i]: the scope carries a field in focus */
    size_t *reach;         /* [p]: users reached (with --field: whose focused fields did) */
    size_t *reach_nc;      /* [p]: ... without consent */
    const FsimDiagramOptions *o;
    size_t partners_cluster;
} Build;

static const char *const subject_titles[FSIM_N_SUBJECTS] = {
    [FSIM_SUBJECT_SELF] = "the user's own data",
    [FSIM_SUBJECT_FRIENDS] = "their friends' data",
    [FSIM_SUBJECT_FRIENDS_OF_FRIENDS] = "friends of friends' data",
};

/* "1 user", "2,000 users" (transfer full). */
static char *
users_text (size_t n)
{
    g_autofree char *count = fsim_fmt_count (n);
    return g_strdup_printf ("%s %s", count, n == 1 ? "user" : "users");
}

static size_t
at (const Build *b, const size_t *a, size_t f, size_t p)
{
    return a[f * b->r->n_partners + p];
}

static void
build_clear (Build *b)
{
    g_free (b->out_start);
    g_free (b->out_edges);
    g_free (b->entity);
    g_free (b->owner);
    g_free (b->share_of);
    g_free (b->group_node);
    g_free (b->scope_node);
    g_free (b->partner_node);
    fsim_i_pick_free (b->pick);
    g_free (b->field_focus);
    g_free (b->scope_focus);
    g_free (b->reach);
    g_free (b->reach_nc);
    fsim_model_free (b->model);
}

/* entity/owner per vertex and out-edge lists, from the model graph and its index arrays: the
 * model's vertices and edges (2 million at the limits), tried. FALSE with @error when out of
 * memory. */
static gboolean
build_index (Build *b, GError **error)
{
    const FsimScenario *s = b->s;
    const FsimModel *m = b->model;
    const char *what = "the diagram's index of the model";
    size_t nv = fsim_model_graph_n_vertices (m->graph), ne = fsim_model_graph_n_edges (m->graph);
    if (!(b->entity = fsim_try_new0 (nv + 1, sizeof (size_t), what, error)) ||
        !(b->owner = fsim_try_new0 (nv + 1, sizeof (size_t), what, error)) ||
        !(b->out_start = fsim_try_new0 (nv + 1, sizeof (size_t), what, error)) ||
        !(b->out_edges = fsim_try_new (ne + 1, sizeof (size_t), what, error)) ||
        !(b->share_of = fsim_try_new0 (ne + 1, sizeof (size_t), what, error)))
        return FALSE;
    for (size_t f = 0; f < s->n_fields; f++)
        b->entity[m->field_vertex[f]] = f;
    for (size_t a = 0; a < s->n_apis; a++) {
        b->entity[m->api_vertex[a]] = a;
        for (size_t i = 0; i < s->apis[a].n_scopes; i++) {
            b->entity[m->scope_vertex[m->scope_base[a] + i]] = i;
            b->owner[m->scope_vertex[m->scope_base[a] + i]] = a;
        }
    }
    for (size_t p = 0; p < s->n_partners; p++) {
        b->entity[m->partner_vertex[p]] = p;
        for (size_t i = 0; i < s->partners[p].n_destinations; i++) {
            b->entity[m->destination_vertex[m->destination_base[p] + i]] = i;
            b->owner[m->destination_vertex[m->destination_base[p] + i]] = p;
        }
        for (size_t i = 0; i < s->partners[p].n_shares; i++)
            b->share_of[m->share_edge[m->share_base[p] + i]] = i;
    }
    /* counted by their from vertex, then placed: out_start[v + 1] is v's end */
    for (size_t e = 0; e < ne; e++) {
        size_t from, to;
        fsim_model_graph_edge_ends (m->graph, e, &from, &to);
        if (from + 1 < nv)
            b->out_start[from + 1]++;
    }
    for (size_t v = 1; v < nv; v++)
        b->out_start[v] += b->out_start[v - 1];
    b->out_start[nv] = ne;
    g_autofree size_t *fill = fsim_try_new (nv + 1, sizeof (size_t), what, error);
    if (fill == NULL)
        return FALSE;
    memcpy (fill, b->out_start, (nv + 1) * sizeof (size_t));
    for (size_t e = 0; e < ne; e++) {
        size_t from, to;
        fsim_model_graph_edge_ends (m->graph, e, &from, &to);
        b->out_edges[fill[from]++] = e;
    }
    return TRUE;
}

/* The next out-edge of vertex @v of @kind from position *@pos on, in the order they were added,
 * or SIZE_MAX; *@pos moves past it. Nothing is copied: the diagram walks a scope's edges once
 * per partner that requests it.
 *   for (size_t j = 0, e; (e = next_edge (b, v, kind, &j)) != SIZE_MAX;) */
static size_t
next_edge (const Build *b, size_t v, FsimModelEdgeKind kind, size_t *pos)
{
    while (*pos < b->out_start[v + 1] - b->out_start[v]) {
        size_t e = b->out_edges[b->out_start[v] + (*pos)++];
        if (fsim_model_graph_edge_kind (b->model->graph, e) == (int) kind)
            return e;
    }
    return SIZE_MAX;
}

/* The entity index of edge @e's head (the vertex it points to). */
static size_t
head (const Build *b, size_t e)
{
    size_t to = 0;
    fsim_model_graph_edge_ends (b->model->graph, e, NULL, &to);
    return to;
}

/* ---- fields ---- */

static char *
group_of (const char *id)
{
    const char *dot = strchr (id, '.');
    return dot ? g_strndup (id, (size_t) (dot - id)) : g_strdup (id);
}

/* A field in words: its label, else its id (transfer full). */
static char *
field_words (const FsimField *field)
{
    return g_strdup_printf ("%s%s", field->label ? field->label : field->id,
                            field->sensitive ? " (sensitive)" : "");
}

static void
add_fields (Build *b)
{
    const FsimScenario *s = b->s;
    size_t cluster = fsim_i_diagram_cluster (b->d, "Data about the user", FALSE);
    g_autofree size_t *max = g_new0 (size_t, s->n_fields + 1);
    g_autofree size_t *count = g_new0 (size_t, s->n_fields + 1);
    b->group_node = g_new0 (size_t, s->n_fields + 1);
    for (size_t f = 0; f < s->n_fields; f++) {
        b->group_node[f] = SIZE_MAX;
        if (!b->field_focus[f])
            continue;
        g_autofree char *group = group_of (s->fields[f].id);
        g_autofree char *id = g_strconcat ("fields:", group, NULL);
        gboolean created = FALSE;
        size_t n = fsim_i_diagram_node (b->d, id, cluster, FSIM_I_NODE_FIELDS, &created);
        FsimINode *node = g_ptr_array_index (b->d->nodes, n);
        if (created)
            fsim_i_node_line (node, "%s", group);
        b->group_node[f] = n;
        max[n] = MAX (max[n], b->r->field_users[f]);
        node->highlight |= s->fields[f].sensitive;
        if (count[n]++ < MAX_FIELDS_LISTED + 1) {
            g_autofree char *words = field_words (&s->fields[f]);
            fsim_i_node_line (node, "%s", words);
        }
    }
    for (size_t n = 0; n < b->d->nodes->len; n++) {
        FsimINode *node = g_ptr_array_index (b->d->nodes, n);
        g_autofree char *users = users_text (max[n]);
        if (count[n] > MAX_FIELDS_LISTED + 1) {
            g_ptr_array_remove_index (node->lines, node->lines->len - 1);
            fsim_i_node_line (node, "and %zu more fields", count[n] - MAX_FIELDS_LISTED);
        }
        fsim_i_node_line (node, "%s reached", users);
        node->muted = max[n] == 0;
    }
}

/* ---- APIs and their scopes, one node per subject ---- */

static char *
window_text (FsimWindow w)
{
    g_autofree char *from = fsim_day_format (w.from), *until = fsim_day_format (w.until);
    if (w.from == FSIM_DAY_MIN && w.until == FSIM_DAY_MAX)
        return g_strdup ("always active");
    if (w.until == FSIM_DAY_MAX)
        return g_strdup_printf ("active from %s", from);
    if (w.from == FSIM_DAY_MIN)
        return g_strdup_printf ("active until %s", until);
    return g_strdup_printf ("active %s to %s", from, until);
}

/* Does scope @i of API @a carry a field in focus? */
static gboolean
scope_in_focus (const Build *b, size_t a, size_t i)
{
    return b->scope_focus[b->model->scope_base[a] + i];
}

/* Which fields and scopes are drawn: each scope tested once here, a word of fields at a time
 * (a test per (partner, scope) of every field was partners x scopes x fields at the limits). */
static void
set_focus (Build *b)
{
    const FsimScenario *s = b->s;
    const FsimDiagramOptions *o = b->o;
    g_autofree FsimWord *focus = fsim_bits_new (s->field_words);
    b->field_focus = g_new0 (gboolean, s->n_fields + 1);
    for (size_t f = 0; f < s->n_fields; f++) {
        b->field_focus[f] = !o->fields || !o->fields[0];
        for (const char *const *sel = o->fields; sel && *sel && !b->field_focus[f]; sel++)
            b->field_focus[f] = fsim_field_pattern_match (*sel, s->fields[f].id, NULL);
        if (b->field_focus[f])
            fsim_bits_set (focus, f);
    }
    b->scope_focus = g_new0 (gboolean, b->model->scope_base[s->n_apis] + 1);
    for (size_t a = 0; a < s->n_apis; a++)
        for (size_t i = 0; i < s->apis[a].n_scopes; i++)
            b->scope_focus[b->model->scope_base[a] + i] =
                fsim_bits_intersects (s->apis[a].scopes[i].fields, focus, s->field_words);
}

static void
add_api (Build *b, size_t a)
{
    const FsimApi *api = &b->s->apis[a];
    g_autofree char *window = window_text (api->active);
    gboolean active = fsim_window_contains (api->active, b->day);
    /* no frame title: edges leaving the top box would cross it (the API's name is in each box) */
    size_t cluster = fsim_i_diagram_cluster (b->d, "", FALSE);
    size_t count[FSIM_N_SUBJECTS] = { 0 };

    for (size_t i = 0, o;
         (o = next_edge (b, b->model->api_vertex[a], FSIM_MODEL_EDGE_OFFERS, &i)) != SIZE_MAX;) {
        size_t sv = head (b, o);
        const FsimScope *scope = &api->scopes[b->entity[sv]];
        size_t k = scope->subject;
        if (!scope_in_focus (b, a, b->entity[sv]))
            continue;
        g_autofree char *id =
            g_strdup_printf ("scopes:%s:%s", api->id, fsim_subject_to_string (scope->subject));
        size_t n = fsim_i_diagram_node (b->d, id, cluster, FSIM_I_NODE_SCOPES, NULL);
        FsimINode *node = g_ptr_array_index (b->d->nodes, n);
        b->scope_node[a * FSIM_N_SUBJECTS + k] = n;
        if (count[k] == 0) {
            fsim_i_node_line (node, "%s:", api->title ? api->title : api->id);
            if (!active)
                fsim_i_node_line (node, "closed on the day (%s)", window);
            fsim_i_node_line (node, "%s", subject_titles[k]);
        }
        if (count[k]++ < MAX_SCOPES_LISTED + 1) {
            g_autofree char *words = fsim_i_plain_words (scope->label ? scope->label : scope->id);
            fsim_i_node_line (node, "%s", words);
        }
        for (size_t j = 0, c; (c = next_edge (b, sv, FSIM_MODEL_EDGE_COVERS, &j)) != SIZE_MAX;) {
            size_t g = b->group_node[b->entity[head (b, c)]];
            if (g != SIZE_MAX)
                fsim_i_diagram_edge (b->d, g, n, (int) k, 0, 0, FALSE, NULL);
        }
    }
    for (size_t k = 0; k < FSIM_N_SUBJECTS; k++)
        if (count[k] > MAX_SCOPES_LISTED + 1) {
            FsimINode *node =
                g_ptr_array_index (b->d->nodes, b->scope_node[a * FSIM_N_SUBJECTS + k]);
            g_ptr_array_remove_index (node->lines, node->lines->len - 1);
            fsim_i_node_line (node, "and %zu more scopes", count[k] - MAX_SCOPES_LISTED);
        }
}

static void
add_apis (Build *b)
{
    b->scope_node = g_new (size_t, b->s->n_apis * FSIM_N_SUBJECTS + 1);
    for (size_t i = 0; i < b->s->n_apis * FSIM_N_SUBJECTS; i++)
        b->scope_node[i] = SIZE_MAX;
    for (size_t a = 0; a < b->s->n_apis; a++)
        add_api (b, a);
}

/* ---- partners ---- */

/* Users reached by @p's data (with --field, the largest count of a focused field), and how
 * many without consent; which partners are in focus. */
static gboolean *
partner_focus (Build *b)
{
    const FsimScenario *s = b->s;
    const FsimResult *r = b->r;
    const FsimDiagramOptions *o = b->o;
    gboolean *in = g_new0 (gboolean, s->n_partners + 1);
    gboolean any_field_focus = o->fields && o->fields[0];
    b->reach = g_new0 (size_t, s->n_partners + 1);
    b->reach_nc = g_new0 (size_t, s->n_partners + 1);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        gboolean asked = FALSE;
        for (size_t f = 0; f < s->n_fields; f++)
            if (b->field_focus[f]) {
                b->reach[p] = MAX (b->reach[p], at (b, r->fp_users, f, p));
                b->reach_nc[p] = MAX (b->reach_nc[p], at (b, r->fp_no_consent, f, p));
            }
        if (!any_field_focus) {
            b->reach[p] = r->partner_reached[p];
            b->reach_nc[p] = r->partner_reached_no_consent[p];
        }
        for (size_t k = 0; k < partner->n_apis && !asked; k++)
            for (size_t i = 0; i < s->apis[partner->apis[k]].n_scopes && !asked; i++)
                asked =
                    fsim_decisions_get (b->dec, p, k, i)->verdict != FSIM_VERDICT_NOT_REQUESTED &&
                    scope_in_focus (b, partner->apis[k], i);
        in[p] = !any_field_focus || b->reach[p] > 0 || asked;
        if (o->partners && o->partners[0]) {
            gboolean selected = FALSE;
            for (const char *const *sel = o->partners; *sel && !selected; sel++)
                selected = fsim_partner_selector_matches (partner, *sel);
            in[p] = in[p] && selected;
        }
        if (o->jurisdiction) {
            gboolean there = FALSE;
            for (size_t i = 0; i < partner->n_destinations && !there; i++)
                there = strcmp (partner->destinations[i].on_device
                                    ? "device"
                                    : partner->destinations[i].jurisdiction,
                                o->jurisdiction) == 0;
            in[p] = in[p] && there;
        }
    }
    return in;
}

static void
partner_node (Build *b, size_t p)
{
    const FsimPartner *partner = &b->s->partners[p];
    const FsimResult *r = b->r;
    g_autofree char *id = g_strconcat ("partner:", partner->id, NULL);
    size_t n = fsim_i_diagram_node (b->d, id, b->partners_cluster, FSIM_I_NODE_PARTNER, NULL);
    FsimINode *node = g_ptr_array_index (b->d->nodes, n);
    g_autofree char *kind = fsim_i_plain_words (partner->kind);
    g_autofree char *reach = users_text (b->reach[p]), *nc = fsim_fmt_count (b->reach_nc[p]);
    g_autofree char *users = fsim_fmt_count (r->partner_users[p]);
    b->partner_node[p] = n;
    fsim_i_node_line (node, "%s", partner->name);
    if (r->partner_users[p] > 0)
        fsim_i_node_line (node, "%s%s%s, used by %s", kind, partner->country ? " in " : "",
                          partner->country ? partner->country : "", users);
    else
        fsim_i_node_line (node, "%s%s%s, used by no one", kind, partner->country ? " in " : "",
                          partner->country ? partner->country : "");
    fsim_i_node_line (node, "reached %s,", reach);
    fsim_i_node_line (node, "%s without consent", nc);
    node->muted = b->reach[p] == 0;
}

static void
add_partners (Build *b)
{
    const FsimDiagramOptions *o = b->o;
    g_autofree gboolean *in = partner_focus (b);
    FsimIPick *pick = b->pick = fsim_i_diagram_pick (b->s, b->reach, in, o->top, o->group_by);
    g_autofree size_t *group_node = g_new (size_t, pick->groups->len + 1);
    b->partners_cluster = fsim_i_diagram_cluster (b->d, "Partners", FALSE);
    b->partner_node = g_new0 (size_t, b->s->n_partners + 1);
    for (size_t g = 0; g < pick->groups->len; g++)
        group_node[g] = SIZE_MAX;
    for (size_t p = 0; p < b->s->n_partners; p++) {
        b->partner_node[p] = SIZE_MAX;
        if (pick->alone[p])
            partner_node (b, p);
        if (pick->alone[p] || pick->dropped[p])
            continue;
        size_t g = pick->group[p];
        if (group_node[g] == SIZE_MAX) {
            const FsimIGroup *group = g_ptr_array_index (pick->groups, g);
            g_autofree char *id = g_strdup_printf ("partner:(group %zu)", g + 1);
            g_autofree char *max = users_text (group->max_reach);
            group_node[g] =
                fsim_i_diagram_node (b->d, id, b->partners_cluster, FSIM_I_NODE_PARTNER, NULL);
            FsimINode *node = g_ptr_array_index (b->d->nodes, group_node[g]);
            fsim_i_node_line (node, "%zu %s", group->n, group->name);
            fsim_i_node_line (node, "each reached at most");
            fsim_i_node_line (node, "%s", max);
            node->muted = group->max_reach == 0;
        }
        b->partner_node[p] = group_node[g];
    }
}

/* Why nothing of subject @k on API @a reaches @p: the first requested scope's verdict. */
static char *
blocked_reason (const Build *b, const FsimDecision *dec)
{
    if (dec->verdict == FSIM_VERDICT_DENIED && dec->rule >= 0)
        return g_strdup_printf ("denied by rule %s", b->s->rules[dec->rule].id);
    if (dec->verdict == FSIM_VERDICT_API_INACTIVE)
        return g_strdup ("API inactive");
    return g_strdup ("no rule allows it");
}

/* The edges from API @a's scope nodes to partner @p (its @k-th API). */
static void
add_access (Build *b, size_t p, size_t k, size_t a)
{
    const FsimApi *api = &b->s->apis[a];
    size_t users[FSIM_N_SUBJECTS] = { 0 };
    gboolean requested[FSIM_N_SUBJECTS] = { 0 }, allowed[FSIM_N_SUBJECTS] = { 0 };
    char *reason[FSIM_N_SUBJECTS] = { 0 };

    for (size_t i = 0, o;
         (o = next_edge (b, b->model->api_vertex[a], FSIM_MODEL_EDGE_OFFERS, &i)) != SIZE_MAX;) {
        size_t sv = head (b, o);
        size_t sc = b->entity[sv], subj = api->scopes[sc].subject;
        const FsimDecision *dec = fsim_decisions_get (b->dec, p, k, sc);
        if (dec->verdict == FSIM_VERDICT_NOT_REQUESTED || !scope_in_focus (b, a, sc))
            continue;
        requested[subj] = TRUE;
        if (dec->verdict != FSIM_VERDICT_ALLOWED) {
            if (!reason[subj])
                reason[subj] = blocked_reason (b, dec);
            continue;
        }
        allowed[subj] = TRUE;
        for (size_t j = 0, c; (c = next_edge (b, sv, FSIM_MODEL_EDGE_COVERS, &j)) != SIZE_MAX;) {
            size_t fv = head (b, c);
            size_t n = at (b, b->r->fp_channel[subj], b->entity[fv], p);
            if (b->group_node[b->entity[fv]] == SIZE_MAX)
                continue;
            users[subj] = MAX (users[subj], n);
            fsim_i_diagram_edge (b->d, b->group_node[b->entity[fv]],
                                 b->scope_node[a * FSIM_N_SUBJECTS + subj], (int) subj, n, 0, FALSE,
                                 NULL);
        }
    }
    for (size_t subj = 0; subj < FSIM_N_SUBJECTS; subj++)
        if (requested[subj])
            fsim_i_diagram_edge (b->d, b->scope_node[a * FSIM_N_SUBJECTS + subj],
                                 b->partner_node[p], (int) subj, users[subj], 0, !allowed[subj],
                                 allowed[subj] ? NULL : reason[subj]);
    for (size_t subj = 0; subj < FSIM_N_SUBJECTS; subj++)
        g_free (reason[subj]);
}

static void
add_access_edges (Build *b)
{
    for (size_t p = 0; p < b->s->n_partners; p++) {
        const FsimPartner *partner = &b->s->partners[p];
        if (b->partner_node[p] == SIZE_MAX)
            continue;
        for (size_t i = 0, e; (e = next_edge (b, b->model->partner_vertex[p],
                                              FSIM_MODEL_EDGE_INTEGRATES, &i)) != SIZE_MAX;) {
            size_t a = b->entity[head (b, e)];
            for (size_t k = 0; k < partner->n_apis; k++)
                if (partner->apis[k] == a)
                    add_access (b, p, k, a);
        }
    }
}

/* Onward sharing: one edge per share (merged per pair of boxes), width by the users the
 * receiving partner got downstream of the fields the share carries. */
static void
add_shares (Build *b)
{
    for (size_t q = 0; q < b->s->n_partners; q++) {
        for (size_t i = 0, e; (e = next_edge (b, b->model->partner_vertex[q],
                                              FSIM_MODEL_EDGE_SHARES, &i)) != SIZE_MAX;) {
            const FsimShare *share = &b->s->partners[q].shares[b->share_of[e]];
            size_t r = b->entity[head (b, e)], users = 0;
            gboolean active = fsim_window_contains (share->active, b->day);
            if (b->partner_node[q] == b->partner_node[r] || b->partner_node[q] == SIZE_MAX ||
                b->partner_node[r] == SIZE_MAX)
                continue;
            for (size_t f = 0; active && f < b->s->n_fields; f++)
                if (fsim_bits_get (share->fields, f) && b->field_focus[f])
                    users = MAX (users, at (b, b->r->fp_channel[FSIM_CHANNEL_DOWNSTREAM], f, r));
            fsim_i_diagram_edge (b->d, b->partner_node[q], b->partner_node[r],
                                 FSIM_CHANNEL_DOWNSTREAM, users, 0, !active,
                                 active ? NULL : "sharing not in force");
        }
    }
}

/* A destination's users: the largest (field, partner) count among the fields it receives
 * (the partner's own count when it receives every field that reached the partner). */
static void
destination_users (const Build *b, size_t p, const FsimDestination *dest, size_t *out_users,
                   size_t *out_no_consent)
{
    gboolean all = TRUE;
    size_t users = 0, nc = 0;
    for (size_t f = 0; f < b->s->n_fields; f++) {
        if (at (b, b->r->fp_users, f, p) == 0 || !b->field_focus[f])
            continue;
        if (!fsim_bits_get (dest->fields, f)) {
            all = FALSE;
            continue;
        }
        users = MAX (users, at (b, b->r->fp_users, f, p));
        nc = MAX (nc, at (b, b->r->fp_no_consent, f, p));
    }
    *out_users = all ? b->reach[p] : users;
    *out_no_consent = all ? b->reach_nc[p] : nc;
}

/* The frame of jurisdiction @j's destinations (r->jurisdictions[j]). Untitled: edges coming in
 * at its top would cross a title; each box says where it is, and the diagram's title gives the
 * counts. */
static size_t
jurisdiction_cluster (Build *b, size_t *clusters, size_t j, const FsimDestination *dest)
{
    if (clusters[j] == SIZE_MAX)
        clusters[j] = fsim_i_diagram_cluster (b->d, "", dest->on_device);
    return clusters[j];
}

static int
compare_codes (const void *key, const void *entry)
{
    return strcmp (key, *(char *const *) entry);
}

/* The index of @dest's jurisdiction in the run's sorted list ("device" on the device). */
static size_t
jurisdiction_of (const Build *b, const FsimDestination *dest)
{
    const char *code = dest->on_device ? "device" : dest->jurisdiction ? dest->jurisdiction : "";
    char *const *found = bsearch (code, b->r->jurisdictions, b->r->n_jurisdictions,
                                  sizeof *b->r->jurisdictions, compare_codes);
    g_return_val_if_fail (found != NULL, 0);
    return (size_t) (found - b->r->jurisdictions);
}

static void
add_destination (Build *b, size_t *clusters, size_t j, size_t p, size_t i)
{
    const FsimPartner *partner = &b->s->partners[p];
    const FsimDestination *dest = &partner->destinations[i];
    const char *where = dest->on_device ? "device" : dest->jurisdiction;
    gboolean own = b->pick->alone[p];
    if (b->pick->dropped[p] || (b->o->jurisdiction && strcmp (where, b->o->jurisdiction) != 0))
        return;
    size_t cluster = jurisdiction_cluster (b, clusters, j, dest), users = 0, nc = 0;
    g_autofree char *id =
        own ? g_strdup_printf ("dest:%s/%s", partner->id, dest->id)
            : g_strdup_printf ("dest:(group %zu)@%s", b->pick->group[p] + 1, where);
    gboolean created = FALSE;
    size_t n = fsim_i_diagram_node (
        b->d, id, cluster, dest->on_device ? FSIM_I_NODE_DEVICE : FSIM_I_NODE_SERVER, &created);
    FsimINode *node = g_ptr_array_index (b->d->nodes, n);
    destination_users (b, p, dest, &users, &nc);
    if (created) {
        g_autofree char *what = fsim_i_plain_words (dest->id);
        const FsimIGroup *group =
            own ? NULL : g_ptr_array_index (b->pick->groups, b->pick->group[p]);
        fsim_i_node_line (node, "%s: %s", own ? partner->name : group->name,
                          own ? what : "their copies");
        if (dest->on_device)
            fsim_i_node_line (node, "on the user's device");
        else
            fsim_i_node_line (node, "in %s", where);
    }
    node->muted = created ? users == 0 : node->muted && users == 0;
    fsim_i_diagram_edge (b->d, b->partner_node[p], n, -1, users, nc, FALSE, NULL);
}

typedef struct {
    guint32 p, i; /* partner, destination */
    size_t j;     /* jurisdiction, on the device after the others */
} Place;

static void
add_destinations (Build *b)
{
    const FsimScenario *s = b->s;
    size_t nj = b->r->n_jurisdictions, n = 0;
    g_autofree size_t *clusters = g_new (size_t, nj + 1);
    g_autofree size_t *start = g_new0 (size_t, 2 * nj + 2);
    for (size_t j = 0; j < nj; j++)
        clusters[j] = SIZE_MAX;
    for (size_t p = 0; p < s->n_partners; p++)
        n += s->partners[p].n_destinations;
    g_autofree Place *places = g_new (Place, n + 1), *sorted = g_new (Place, n + 1);
    /* create the clusters in jurisdiction order, "device" (on device) last: the destinations
     * sorted (stably, by counting) by on-device, then jurisdiction, found once each */
    n = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t i = 0; i < s->partners[p].n_destinations; i++) {
            const FsimDestination *dest = &s->partners[p].destinations[i];
            places[n] = (Place){ (guint32) p, (guint32) i, jurisdiction_of (b, dest) };
            start[(dest->on_device ? nj : 0) + places[n].j + 1]++;
            n++;
        }
    for (size_t k = 1; k <= 2 * nj; k++)
        start[k] += start[k - 1];
    for (size_t k = 0; k < n; k++) {
        gboolean device = s->partners[places[k].p].destinations[places[k].i].on_device;
        sorted[start[(device ? nj : 0) + places[k].j]++] = places[k];
    }
    for (size_t k = 0; k < n; k++)
        add_destination (b, clusters, sorted[k].j, sorted[k].p, sorted[k].i);
}

/* The key: a sample of each line style, drawn as the diagram draws it, and its meaning. */
static void
add_legend (Build *b)
{
    static const struct {
        int channel; /* -1: storage, -2: nothing flowed */
        const char *style, *text;
    } rows[] = {
        { FSIM_CHANNEL_SELF, "solid", "the user's own use of the partner (with consent)" },
        { FSIM_CHANNEL_FRIEND, "dashed", "a friend's use (without the user's consent)" },
        { FSIM_CHANNEL_FRIEND_OF_FRIEND, "dashed", "a friend of a friend's use (no consent)" },
        { FSIM_CHANNEL_DOWNSTREAM, "dashed", "onward sharing between partners (no consent)" },
        { -1, "solid", "kept by the partner (dashed: some without consent)" },
        { -2, "dotted", "asked for but blocked, or nothing flowed" },
    };
    size_t c = fsim_i_diagram_cluster (b->d, "", FALSE);
    ((FsimICluster *) g_ptr_array_index (b->d->clusters, c))->plain = TRUE;
    size_t i = fsim_i_diagram_node (b->d, "legend", c, FSIM_I_NODE_LEGEND, NULL);
    FsimINode *n = g_ptr_array_index (b->d->nodes, i); /* after the call: it may move nodes */
    fsim_i_node_line (n, "How to read it");
    for (size_t r = 0; r < G_N_ELEMENTS (rows); r++)
        fsim_i_node_line (n, "%s\t%s\t%s", fsim_i_channel_colour (rows[r].channel), rows[r].style,
                          rows[r].text);
    fsim_i_node_line (n, "Wider lines: more users. Pink boxes hold a sensitive field.");
    fsim_i_node_line (n, "A group's box gives the largest count of its partners.");
}

static void
add_title (Build *b)
{
    const FsimScenario *s = b->s;
    const FsimDiagramOptions *o = b->o;
    g_autofree char *date = fsim_day_format (b->day);
    g_autofree char *n = users_text (b->r->n_users),
                    *reached = fsim_fmt_count (b->r->users_reached);
    g_autofree char *nc = fsim_fmt_count (b->r->users_reached_no_consent);
    g_autoptr (GString) focus = g_string_new (NULL);
    g_ptr_array_add (b->d->title, g_strdup (s->title ? s->title : s->id ? s->id : "flowsim"));
    g_ptr_array_add (b->d->title, g_strdup_printf ("%s: of %s, %s reached, %s without consent",
                                                   date, n, reached, nc));
    /* where the data was kept, a line of the title per few jurisdictions */
    g_autoptr (GString) kept = g_string_new (NULL);
    gboolean first = TRUE;
    for (size_t j = 0; j < b->r->n_jurisdictions; j++) {
        g_autofree char *ju = users_text (b->r->jurisdiction_users[j]);
        g_autofree char *jnc = fsim_fmt_count (b->r->jurisdiction_no_consent[j]);
        gboolean device = strcmp (b->r->jurisdictions[j], "device") == 0;
        if (b->r->jurisdiction_users[j] == 0)
            continue;
        if (kept->len > 50) {
            g_ptr_array_add (b->d->title, g_strdup_printf ("%s;", kept->str));
            g_string_truncate (kept, 0);
        }
        g_string_append_printf (kept, "%s%s%s%s: %s (%s without consent)", kept->len ? "; " : "",
                                first ? "Kept " : "", device ? "on the device" : "in ",
                                device ? "" : b->r->jurisdictions[j], ju, jnc);
        first = FALSE;
    }
    if (kept->len > 0)
        g_ptr_array_add (b->d->title, g_strdup (kept->str));
    /* the claims in force, as many to a line as the width the labels are cut to allows */
    g_autoptr (GString) claims = g_string_new ("claims in force: ");
    for (size_t i = 0; i < s->n_claims; i++) {
        g_autofree char *choice = fsim_claims_report_choice (&s->claims[i], s->claims[i].chosen);
        g_autofree char *one =
            g_strdup_printf ("%s=%s%s", s->claims[i].id, choice, i + 1 < s->n_claims ? ";" : "");
        if (i > 0 && claims->len + 1 + strlen (one) > 2 * FSIM_LABEL_MAX_WIDTH) {
            g_ptr_array_add (b->d->title, g_strdup (claims->str));
            g_string_truncate (claims, 0);
        }
        g_string_append_printf (claims, "%s%s", i > 0 && claims->len ? " " : "", one);
    }
    if (s->n_claims > 0)
        g_ptr_array_add (b->d->title, g_strdup (claims->str));
    for (const char *const *sel = o->partners; sel && *sel; sel++)
        g_string_append_printf (focus, "%spartner %s", focus->len ? ", " : "", *sel);
    for (const char *const *sel = o->fields; sel && *sel; sel++)
        g_string_append_printf (focus, "%sfield %s", focus->len ? ", " : "", *sel);
    if (o->jurisdiction)
        g_string_append_printf (focus, "%skept in %s", focus->len ? ", " : "", o->jurisdiction);
    if (focus->len)
        g_ptr_array_add (b->d->title, g_strdup_printf ("Only %s", focus->str));
}

gboolean
fsim_diagram_write_dot (const FsimScenario *scenario, const FsimDecisions *decisions,
                        const FsimResult *result, const FsimDiagramOptions *options, GString *out,
                        GError **error)
{
    g_return_val_if_fail (scenario != NULL && decisions != NULL && result != NULL && out != NULL,
                          FALSE);
    g_return_val_if_fail (result->n_partners == scenario->n_partners, FALSE);
    g_return_val_if_fail (result->n_fields == scenario->n_fields, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    const FsimDiagramOptions defaults = { .top = FSIM_DIAGRAM_DEFAULT_TOP };
    Build b = { .s = scenario,
                .dec = decisions,
                .r = result,
                .day = fsim_decisions_get_day (decisions),
                .o = options ? options : &defaults };
    g_autoptr (FsimIDiagram) d = b.d = fsim_i_diagram_new ();

    d->quiet = TRUE;
    d->aspect = b.o->aspect;
    b.model = fsim_model_try_new (scenario, error);
    if (!b.model)
        return FALSE;
    set_focus (&b);
    if (!build_index (&b, error)) {
        build_clear (&b);
        return FALSE;
    }
    add_fields (&b);
    add_apis (&b);
    add_partners (&b);
    add_access_edges (&b);
    add_shares (&b);
    add_destinations (&b);
    add_legend (&b);
    add_title (&b);
    gboolean ok = fsim_i_diagram_write (d, out, error);
    build_clear (&b);
    return ok;
}

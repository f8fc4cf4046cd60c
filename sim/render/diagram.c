/* SPDX-License-Identifier: MIT */
/* diagram.c: builds the layered flow diagram of a run from the model graph and its counts. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "diagram-private.h"
#include "diagram.h"
#include "downstream.h"
#include "table.h"

/*
 * The structure (which scope covers which field, which partner integrates which API, stores
 * where, shares with whom) is read from the model graph; the widths come from the run's
 * counts. The counts are per (field, partner, channel), so an edge's number is the largest
 * such count among the pairs it stands for: "at least this many users" (docs/diagrams.md).
 */

#define MAX_SCOPES_LISTED 3
#define MAX_FIELDS_LISTED 4

typedef struct {
    const FsimScenario *s;
    const FsimDecisions *dec;
    const FsimResult *r;
    FsimDay day;
    FsimModel *model;
    size_t *entity;   /* [v]: index of the vertex's entity (scope: in its API, ...) */
    size_t *owner;    /* [v]: the API of a scope, the partner of a destination */
    GArray **out;     /* [v]: out-edges (size_t) */
    size_t *share_of; /* [e]: share index of a SHARES edge within its partner */
    FsimIDiagram *d;
    size_t *group_node;   /* [f] */
    size_t *scope_node;   /* [a * FSIM_N_SUBJECTS + k], SIZE_MAX: none */
    size_t *partner_node; /* [p] */
    gboolean *shown;      /* [p]: drawn one by one, not in "other partners" */
    size_t partners_cluster;
    size_t n_other;
} Build;

static const char *const subject_titles[FSIM_N_SUBJECTS] = {
    [FSIM_SUBJECT_SELF] = "self: the user's own data",
    [FSIM_SUBJECT_FRIENDS] = "friends: their friends' data",
    [FSIM_SUBJECT_FRIENDS_OF_FRIENDS] = "friends of friends",
};

static size_t
at (const Build *b, const size_t *a, size_t f, size_t p)
{
    return a[f * b->r->n_partners + p];
}

static void
build_clear (Build *b)
{
    size_t nv = b->model ? fsim_model_graph_n_vertices (b->model->graph) : 0;
    for (size_t v = 0; b->out && v < nv; v++)
        g_array_unref (b->out[v]);
    g_free (b->out);
    g_free (b->entity);
    g_free (b->owner);
    g_free (b->share_of);
    g_free (b->group_node);
    g_free (b->scope_node);
    g_free (b->partner_node);
    g_free (b->shown);
    fsim_model_free (b->model);
}

/* entity/owner per vertex and out-edge lists, from the model graph and its index arrays. */
static void
build_index (Build *b)
{
    const FsimScenario *s = b->s;
    const FsimModel *m = b->model;
    size_t nv = fsim_model_graph_n_vertices (m->graph), ne = fsim_model_graph_n_edges (m->graph);
    b->entity = g_new0 (size_t, nv + 1);
    b->owner = g_new0 (size_t, nv + 1);
    b->out = g_new0 (GArray *, nv + 1);
    b->share_of = g_new0 (size_t, ne + 1);
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
    for (size_t v = 0; v < nv; v++)
        b->out[v] = g_array_new (FALSE, FALSE, sizeof (size_t));
    for (size_t e = 0; e < ne; e++) {
        size_t from, to;
        fsim_model_graph_edge_ends (m->graph, e, &from, &to);
        g_array_append_val (b->out[from], e);
    }
}

/* The out-edges of vertex @v of @kind, in the order they were added (transfer full). */
static GArray *
edges_of (const Build *b, size_t v, FsimModelEdgeKind kind)
{
    GArray *edges = g_array_new (FALSE, FALSE, sizeof (size_t));
    for (size_t i = 0; i < b->out[v]->len; i++) {
        size_t e = g_array_index (b->out[v], size_t, i);
        if (fsim_model_graph_edge_kind (b->model->graph, e) == (int) kind)
            g_array_append_val (edges, e);
    }
    return edges;
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

static void
add_fields (Build *b)
{
    const FsimScenario *s = b->s;
    size_t cluster = fsim_i_diagram_cluster (b->d, "Fields, by taxonomy", FALSE);
    g_autofree size_t *max = g_new0 (size_t, s->n_fields + 1);
    g_autofree size_t *count = g_new0 (size_t, s->n_fields + 1);
    b->group_node = g_new0 (size_t, s->n_fields + 1);
    for (size_t f = 0; f < s->n_fields; f++) {
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
        if (count[n]++ < MAX_FIELDS_LISTED) {
            const char *leaf = strlen (s->fields[f].id) > strlen (group)
                                   ? s->fields[f].id + strlen (group) + 1
                                   : s->fields[f].id;
            fsim_i_node_line (node, "%s%s", leaf, s->fields[f].sensitive ? " (sensitive)" : "");
        }
    }
    for (size_t n = 0; n < b->d->nodes->len; n++) {
        FsimINode *node = g_ptr_array_index (b->d->nodes, n);
        if (count[n] > MAX_FIELDS_LISTED)
            fsim_i_node_line (node, "and %zu more", count[n] - MAX_FIELDS_LISTED);
        fsim_i_node_line (node, "%zu users reached", max[n]);
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

static void
add_api (Build *b, size_t a)
{
    const FsimApi *api = &b->s->apis[a];
    g_autofree char *window = window_text (api->active);
    g_autofree char *label =
        g_strdup_printf ("API %s%s%s (%s%s)", api->id, strcmp (api->title, api->id) ? ": " : "",
                         strcmp (api->title, api->id) ? api->title : "", window,
                         fsim_window_contains (api->active, b->day) ? "" : "; inactive on the day");
    size_t cluster = fsim_i_diagram_cluster (b->d, label, FALSE);
    size_t count[FSIM_N_SUBJECTS] = { 0 };

    g_autoptr (GArray) offers = edges_of (b, b->model->api_vertex[a], FSIM_MODEL_EDGE_OFFERS);
    for (size_t i = 0; i < offers->len; i++) {
        size_t sv = head (b, g_array_index (offers, size_t, i));
        const FsimScope *scope = &api->scopes[b->entity[sv]];
        size_t k = scope->subject;
        g_autofree char *id =
            g_strdup_printf ("scopes:%s:%s", api->id, fsim_subject_to_string (scope->subject));
        size_t n = fsim_i_diagram_node (b->d, id, cluster, FSIM_I_NODE_SCOPES, NULL);
        FsimINode *node = g_ptr_array_index (b->d->nodes, n);
        b->scope_node[a * FSIM_N_SUBJECTS + k] = n;
        if (count[k] == 0)
            fsim_i_node_line (node, "%s", subject_titles[k]);
        if (count[k]++ < MAX_SCOPES_LISTED)
            fsim_i_node_line (node, "%s", scope->id);
        g_autoptr (GArray) covers = edges_of (b, sv, FSIM_MODEL_EDGE_COVERS);
        for (size_t j = 0; j < covers->len; j++)
            fsim_i_diagram_edge (
                b->d, b->group_node[b->entity[head (b, g_array_index (covers, size_t, j))]], n,
                (int) k, 0, 0, FALSE, NULL);
    }
    for (size_t k = 0; k < FSIM_N_SUBJECTS; k++)
        if (count[k] > MAX_SCOPES_LISTED) {
            FsimINode *node =
                g_ptr_array_index (b->d->nodes, b->scope_node[a * FSIM_N_SUBJECTS + k]);
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

static int
compare_partners (gconstpointer pa, gconstpointer pb, gpointer data)
{
    size_t a = *(const size_t *) pa, b = *(const size_t *) pb;
    const FsimResult *r = data;
    if (r->partner_reached[a] != r->partner_reached[b])
        return r->partner_reached[a] > r->partner_reached[b] ? -1 : 1;
    if (r->partner_users[a] != r->partner_users[b])
        return r->partner_users[a] > r->partner_users[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* TRUE for the partners drawn one by one: the @top that reach most users (0: all). */
static gboolean *
pick_partners (const FsimResult *r, size_t top)
{
    gboolean *shown = g_new0 (gboolean, r->n_partners + 1);
    g_autoptr (GArray) order =
        g_array_sized_new (FALSE, FALSE, sizeof (size_t), (guint) r->n_partners);
    for (size_t p = 0; p < r->n_partners; p++)
        g_array_append_val (order, p);
    g_array_sort_with_data (order, compare_partners, (gpointer) r);
    for (size_t i = 0; i < r->n_partners; i++)
        shown[g_array_index (order, size_t, i)] = top == 0 || i < top;
    return shown;
}

static void
partner_node (Build *b, size_t p)
{
    const FsimPartner *partner = &b->s->partners[p];
    const FsimResult *r = b->r;
    g_autofree char *id = g_strconcat ("partner:", partner->id, NULL);
    size_t n = fsim_i_diagram_node (b->d, id, b->partners_cluster, FSIM_I_NODE_PARTNER, NULL);
    FsimINode *node = g_ptr_array_index (b->d->nodes, n);
    b->partner_node[p] = n;
    fsim_i_node_line (node, "%s", partner->name);
    fsim_i_node_line (node, "%s%s%s", partner->kind, partner->country ? ", " : "",
                      partner->country ? partner->country : "");
    fsim_i_node_line (node, "%zu users reached, %zu without consent", r->partner_reached[p],
                      r->partner_reached_no_consent[p]);
    fsim_i_node_line (node, "used by %zu", r->partner_users[p]);
    node->muted = r->partner_reached[p] == 0;
}

static void
add_partners (Build *b, size_t top)
{
    gboolean *shown = b->shown = pick_partners (b->r, top);
    size_t other = SIZE_MAX, other_max = 0;
    b->partners_cluster = fsim_i_diagram_cluster (b->d, "Partners", FALSE);
    b->partner_node = g_new0 (size_t, b->s->n_partners + 1);
    for (size_t p = 0; p < b->s->n_partners; p++) {
        if (shown[p]) {
            partner_node (b, p);
            continue;
        }
        if (other == SIZE_MAX)
            other = fsim_i_diagram_node (b->d, "partner:(other)", b->partners_cluster,
                                         FSIM_I_NODE_PARTNER, NULL);
        b->partner_node[p] = other;
        b->n_other++;
        other_max = MAX (other_max, b->r->partner_reached[p]);
    }
    if (other != SIZE_MAX) {
        FsimINode *node = g_ptr_array_index (b->d->nodes, other);
        fsim_i_node_line (node, "%zu other partners", b->n_other);
        fsim_i_node_line (node, "each reaching at most %zu users", other_max);
        node->muted = other_max == 0;
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
    g_autoptr (GArray) offers = edges_of (b, b->model->api_vertex[a], FSIM_MODEL_EDGE_OFFERS);

    for (size_t i = 0; i < offers->len; i++) {
        size_t sv = head (b, g_array_index (offers, size_t, i));
        size_t sc = b->entity[sv], subj = api->scopes[sc].subject;
        const FsimDecision *dec = fsim_decisions_get (b->dec, p, k, sc);
        if (dec->verdict == FSIM_VERDICT_NOT_REQUESTED)
            continue;
        requested[subj] = TRUE;
        if (dec->verdict != FSIM_VERDICT_ALLOWED) {
            if (!reason[subj])
                reason[subj] = blocked_reason (b, dec);
            continue;
        }
        allowed[subj] = TRUE;
        g_autoptr (GArray) covers = edges_of (b, sv, FSIM_MODEL_EDGE_COVERS);
        for (size_t j = 0; j < covers->len; j++) {
            size_t fv = head (b, g_array_index (covers, size_t, j));
            size_t n = at (b, b->r->fp_channel[subj], b->entity[fv], p);
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
        g_autoptr (GArray) integrates =
            edges_of (b, b->model->partner_vertex[p], FSIM_MODEL_EDGE_INTEGRATES);
        for (size_t i = 0; i < integrates->len; i++) {
            size_t a = b->entity[head (b, g_array_index (integrates, size_t, i))];
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
        g_autoptr (GArray) shares =
            edges_of (b, b->model->partner_vertex[q], FSIM_MODEL_EDGE_SHARES);
        for (size_t i = 0; i < shares->len; i++) {
            size_t e = g_array_index (shares, size_t, i);
            const FsimShare *share = &b->s->partners[q].shares[b->share_of[e]];
            size_t r = b->entity[head (b, e)], users = 0;
            gboolean active = fsim_window_contains (share->active, b->day);
            if (b->partner_node[q] == b->partner_node[r])
                continue;
            for (size_t f = 0; active && f < b->s->n_fields; f++)
                if (fsim_bits_get (share->fields, f))
                    users = MAX (users, at (b, b->r->fp_channel[FSIM_CHANNEL_DOWNSTREAM], f, r));
            fsim_i_diagram_edge (b->d, b->partner_node[q], b->partner_node[r],
                                 FSIM_CHANNEL_DOWNSTREAM, users, 0, !active,
                                 active ? NULL : "share not in force");
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
        if (at (b, b->r->fp_users, f, p) == 0)
            continue;
        if (!fsim_bits_get (dest->fields, f)) {
            all = FALSE;
            continue;
        }
        users = MAX (users, at (b, b->r->fp_users, f, p));
        nc = MAX (nc, at (b, b->r->fp_no_consent, f, p));
    }
    *out_users = all ? b->r->partner_reached[p] : users;
    *out_no_consent = all ? b->r->partner_reached_no_consent[p] : nc;
}

static size_t
jurisdiction_cluster (Build *b, size_t *clusters, const FsimDestination *dest)
{
    const char *code = dest->on_device ? "device" : dest->jurisdiction ? dest->jurisdiction : "";
    for (size_t j = 0; j < b->r->n_jurisdictions; j++) {
        if (strcmp (b->r->jurisdictions[j], code) != 0)
            continue;
        if (clusters[j] == SIZE_MAX) {
            g_autofree char *label =
                g_strdup_printf ("%s: %zu users reached, %zu without consent",
                                 dest->on_device ? "On the user's device, not on servers" : code,
                                 b->r->jurisdiction_users[j], b->r->jurisdiction_no_consent[j]);
            clusters[j] = fsim_i_diagram_cluster (b->d, label, dest->on_device);
        }
        return clusters[j];
    }
    g_return_val_if_reached (0);
}

static void
add_destination (Build *b, size_t *clusters, size_t p, size_t i)
{
    const FsimPartner *partner = &b->s->partners[p];
    const FsimDestination *dest = &partner->destinations[i];
    const char *where = dest->on_device ? "device" : dest->jurisdiction;
    size_t cluster = jurisdiction_cluster (b, clusters, dest), users = 0, nc = 0;
    gboolean own = b->shown[p];
    g_autofree char *id = own ? g_strdup_printf ("dest:%s/%s", partner->id, dest->id)
                              : g_strdup_printf ("dest:(other)@%s", where);
    gboolean created = FALSE;
    size_t n = fsim_i_diagram_node (
        b->d, id, cluster, dest->on_device ? FSIM_I_NODE_DEVICE : FSIM_I_NODE_SERVER, &created);
    FsimINode *node = g_ptr_array_index (b->d->nodes, n);
    destination_users (b, p, dest, &users, &nc);
    if (created && own) {
        fsim_i_node_line (node, "%s: %s", partner->id, dest->id);
        fsim_i_node_line (node, "%s", dest->on_device ? "on device" : where);
    } else if (created) {
        fsim_i_node_line (node, "other partners' destinations");
    }
    node->muted = created ? users == 0 : node->muted && users == 0;
    fsim_i_diagram_edge (b->d, b->partner_node[p], n, -1, users, nc, FALSE, NULL);
}

static void
add_destinations (Build *b)
{
    g_autofree size_t *clusters = g_new (size_t, b->r->n_jurisdictions + 1);
    for (size_t j = 0; j < b->r->n_jurisdictions; j++)
        clusters[j] = SIZE_MAX;
    /* create the clusters in jurisdiction order, "device" (on device) last */
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < b->r->n_jurisdictions; j++)
            for (size_t p = 0; p < b->s->n_partners; p++)
                for (size_t i = 0; i < b->s->partners[p].n_destinations; i++) {
                    const FsimDestination *dest = &b->s->partners[p].destinations[i];
                    const char *code = dest->on_device ? "device" : dest->jurisdiction;
                    if (dest->on_device == (pass == 1) &&
                        strcmp (code, b->r->jurisdictions[j]) == 0)
                        add_destination (b, clusters, p, i);
                }
}

static void
add_legend (Build *b)
{
    size_t c = fsim_i_diagram_cluster (b->d, "", FALSE);
    ((FsimICluster *) g_ptr_array_index (b->d->clusters, c))->plain = TRUE;
    size_t i = fsim_i_diagram_node (b->d, "legend", c, FSIM_I_NODE_LEGEND, NULL);
    FsimINode *n = g_ptr_array_index (b->d->nodes, i); /* after the call: it may move nodes */
    fsim_i_node_line (n, "How to read it");
    fsim_i_node_line (n, "Colour: the channel: green self (the user's own use),");
    fsim_i_node_line (n, "  orange a friend's use, purple a friend of a friend's,");
    fsim_i_node_line (n, "  pink onward sharing between partners; grey: storage.");
    fsim_i_node_line (n, "Dashed: without the user's consent. Dotted: nothing flowed.");
    fsim_i_node_line (n, "Width and numbers: users reached (at least; see docs/diagrams.md).");
}

static void
add_title (Build *b)
{
    const FsimScenario *s = b->s;
    g_autofree char *date = fsim_day_format (b->day);
    g_ptr_array_add (b->d->title, g_strdup_printf ("%s%s%s", s->id ? s->id : "(policy file)",
                                                   s->title ? ": " : "", s->title ? s->title : ""));
    g_ptr_array_add (b->d->title,
                     g_strdup_printf ("%s: %zu users, %zu reached, %zu without consent", date,
                                      b->r->n_users, b->r->users_reached,
                                      b->r->users_reached_no_consent));
    if (b->n_other > 0)
        g_ptr_array_add (
            b->d->title,
            g_strdup_printf ("(the %zu partners reaching fewest users are drawn as one)",
                             b->n_other));
}

void
fsim_diagram_write_dot (const FsimScenario *scenario, const FsimDecisions *decisions,
                        const FsimResult *result, const FsimDiagramOptions *options, GString *out)
{
    g_return_if_fail (scenario != NULL && decisions != NULL && result != NULL && out != NULL);
    g_return_if_fail (result->n_partners == scenario->n_partners);
    g_return_if_fail (result->n_fields == scenario->n_fields);
    Build b = {
        .s = scenario, .dec = decisions, .r = result, .day = fsim_decisions_get_day (decisions)
    };
    g_autoptr (FsimIDiagram) d = b.d = fsim_i_diagram_new ();

    b.model = fsim_model_new (scenario);
    build_index (&b);
    add_fields (&b);
    add_apis (&b);
    add_partners (&b, options ? options->top : FSIM_DIAGRAM_DEFAULT_TOP);
    add_access_edges (&b);
    add_shares (&b);
    add_destinations (&b);
    add_legend (&b);
    add_title (&b);
    fsim_i_diagram_write (d, out);
    build_clear (&b);
}

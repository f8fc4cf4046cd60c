/* SPDX-License-Identifier: MIT */
/* sweep-metric.c: the metric expressions of `flowsim sweep` (sweep.h): parse, check, evaluate. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sweep.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-sweep-error-quark, fsim_sweep_error)
/* clang-format on */

/*
 * Grammar (recursive descent, usual precedence, left-associative):
 *   expr   := term (('+' | '-') term)*
 *   term   := factor (('*' | '/') factor)*
 *   factor := NUMBER | COUNT | '(' expr ')' | '-' factor
 *   COUNT  := NAME | GROUP '[' ID ']' '.' NAME
 * An ID may hold any character but ']'; names are checked against the tables below.
 */

typedef enum {
    NODE_NUMBER,
    NODE_COUNT,
    NODE_NEG,
    NODE_ADD,
    NODE_SUB,
    NODE_MUL,
    NODE_DIV,
} NodeKind;

typedef enum {
    GROUP_NONE,
    GROUP_PARTNERS,
    GROUP_FIELDS,
    GROUP_JURISDICTIONS,
    GROUP_KINDS,
    GROUP_ACCOUNTS,
} Group;

typedef struct Node Node;
struct Node {
    NodeKind kind;
    double number;
    Group group;
    char *id;         /* GROUP_* but NONE */
    int count;        /* index into the group's count names */
    size_t degree, k; /* GROUP_ACCOUNTS: accounts[DEGREE,K] */
    Node *a, *b;
};

struct FsimMetric {
    char *label;
    char *text;
    Node *root;
};

static const char *const group_names[] = { "",      "partners", "fields", "jurisdictions",
                                           "kinds", "accounts", NULL };
static const char *const top_counts[] = {
    "users", "friendships", "users_reached", "users_reached_without_consent", "partners_reaching",
    NULL
};
static const char *const partner_counts[] = { "users", "users_reached",
                                              "users_reached_without_consent", NULL };
static const char *const other_counts[] = { "users", "users_without_consent", NULL };
/* accounts[DEGREE,K]: index = 3 * quantity + statistic (sweep-accounts.c) */
static const char *const account_counts[] = { "friends_median",
                                              "friends_min",
                                              "friends_max",
                                              "friends_of_friends_median",
                                              "friends_of_friends_min",
                                              "friends_of_friends_max",
                                              "per_friend_median",
                                              "per_friend_min",
                                              "per_friend_max",
                                              NULL };

static const char *const *
counts_of (Group g)
{
    return g == GROUP_NONE       ? top_counts
           : g == GROUP_PARTNERS ? partner_counts
           : g == GROUP_ACCOUNTS ? account_counts
                                 : other_counts;
}

static void
node_free (Node *n)
{
    if (n == NULL)
        return;
    node_free (n->a);
    node_free (n->b);
    g_free (n->id);
    g_free (n);
}

/* Longer metrics are quoted in part in messages: the characters around the error. */
#define QUOTE_MAX 80

/* @text as a message quotes it: whole up to QUOTE_MAX characters, else the part around @at (a
 * byte of @text; NULL: its start), "..." marking each cut (transfer full). */
static char *
quote_metric (const char *text, const char *at)
{
    glong n = g_utf8_strlen (text, -1);
    if (n <= QUOTE_MAX)
        return g_strdup (text);
    glong pos = at ? g_utf8_pointer_to_offset (text, at) : 0;
    glong start = MAX (0, MIN (pos - QUOTE_MAX / 2, n - QUOTE_MAX));
    glong end = MIN (n, start + QUOTE_MAX);
    g_autofree char *part = g_utf8_substring (text, start, end);
    return g_strconcat (start > 0 ? "..." : "", part, end < n ? "..." : "", NULL);
}

typedef struct {
    const char *text, *p;
    GError **error;
    int depth;
} Parser;

G_GNUC_PRINTF (2, 3) static Node *fail (Parser *ps, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_autofree char *what = g_strdup_vprintf (format, ap);
    va_end (ap);
    g_autofree char *quoted = quote_metric (ps->text, ps->p);
    if (ps->error != NULL && *ps->error == NULL)
        g_set_error (ps->error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_METRIC,
                     "metric '%s', column %d: %s", quoted,
                     (int) g_utf8_pointer_to_offset (ps->text, ps->p) + 1, what);
    return NULL;
}

/* "unexpected 'C'" for the character at @ps->p: the whole character ('ü', not one byte of it,
 * which read '\uFFFD'), or its byte when the text is not UTF-8 there, or the end. */
static Node *
fail_unexpected (Parser *ps)
{
    gunichar c = g_utf8_get_char_validated (ps->p, -1);
    if (*ps->p == '\0')
        return fail (ps, "unexpected end");
    if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isgraph (c))
        return fail (ps, "unexpected byte 0x%02X", (guchar) *ps->p);
    return fail (ps, "unexpected '%.*s'", (int) (g_utf8_next_char (ps->p) - ps->p), ps->p);
}

static void
skip_space (Parser *ps)
{
    while (g_ascii_isspace (*ps->p))
        ps->p++;
}

static char *
read_name (Parser *ps)
{
    const char *start = ps->p;

    while (g_ascii_isalnum (*ps->p) || *ps->p == '_')
        ps->p++;
    return g_strndup (start, (size_t) (ps->p - start));
}

static int
find (const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp (names[i], name) == 0)
            return i;
    return -1;
}

static Node *parse_expr (Parser *ps);

/* "DEGREE,K": two decimal numbers, K from 1 to FSIM_METRIC_MAX_ACCOUNTS. */
static gboolean
parse_accounts (const char *id, size_t *out_degree, size_t *out_k)
{
    g_auto (GStrv) parts = g_strsplit (id, ",", 3);
    guint64 v[2];

    if (g_strv_length (parts) != 2)
        return FALSE;
    for (int i = 0; i < 2; i++)
        if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, i ? 1 : 0,
                                         i ? FSIM_METRIC_MAX_ACCOUNTS : FSIM_METRIC_MAX_DEGREE,
                                         &v[i], NULL))
            return FALSE;
    *out_degree = (size_t) v[0];
    *out_k = (size_t) v[1];
    return TRUE;
}

static Node *
parse_count (Parser *ps)
{
    g_autofree char *name = read_name (ps);
    Node *n = g_new0 (Node, 1);
    g_autofree char *known = NULL;

    n->kind = NODE_COUNT;
    if (*ps->p == '[') {
        int g = find (group_names + 1, name);
        const char *close = strchr (ps->p, ']');
        if (g < 0 || close == NULL || close == ps->p + 1) {
            node_free (n);
            return fail (ps,
                         g < 0 ? "unknown group '%s' (expected partners, fields, "
                                 "jurisdictions or kinds)"
                               : "expected '%s[ID]'",
                         name);
        }
        n->group = (Group) (g + 1);
        n->id = g_strndup (ps->p + 1, (size_t) (close - ps->p - 1));
        if (n->group == GROUP_ACCOUNTS && !parse_accounts (n->id, &n->degree, &n->k)) {
            ps->p++;
            node_free (n);
            return fail (ps,
                         "expected accounts[DEGREE,K]: the K accounts nearest DEGREE friends, "
                         "DEGREE from 0 to %d, K from 1 to %d",
                         FSIM_METRIC_MAX_DEGREE, FSIM_METRIC_MAX_ACCOUNTS);
        }
        ps->p = close + 1;
        if (*ps->p != '.') {
            fail (ps, "expected '.' and a count after '%s[%s]'", name, n->id);
            node_free (n);
            return NULL;
        }
        ps->p++;
        g_free (name);
        name = read_name (ps);
    }
    n->count = find (counts_of (n->group), name);
    if (n->count < 0) {
        known = g_strjoinv (", ", (char **) counts_of (n->group));
        Group g = n->group;
        node_free (n);
        return fail (ps, "unknown count '%s'%s%s (known: %s)", name, g ? " of " : "",
                     group_names[g], known);
    }
    return n;
}

static Node *
binary (NodeKind kind, Node *a, Node *b)
{
    Node *n = g_new0 (Node, 1);

    n->kind = kind;
    n->a = a;
    n->b = b;
    return n;
}

static Node *
parse_factor (Parser *ps)
{
    skip_space (ps);
    if (++ps->depth > 64)
        return fail (ps, "nested too deeply");
    Node *n = NULL;
    if (*ps->p == '(') {
        ps->p++;
        n = parse_expr (ps);
        skip_space (ps);
        if (n != NULL && *ps->p != ')') {
            node_free (n);
            n = fail (ps, "expected ')'");
        } else if (n != NULL) {
            ps->p++;
        }
    } else if (*ps->p == '-') {
        ps->p++;
        Node *a = parse_factor (ps);
        n = a ? binary (NODE_NEG, a, NULL) : NULL;
    } else if (g_ascii_isdigit (*ps->p) || *ps->p == '.') {
        char *end = NULL;
        double v = g_ascii_strtod (ps->p, &end);
        /* decimal only: strtod reads "0x10" as 16 and "1e400" as infinity */
        if (end == ps->p || strspn (ps->p, "0123456789.eE+-") < (size_t) (end - ps->p))
            return fail (ps, "expected a number (decimal digits, as in 0.5 or 1e3)");
        if (!isfinite (v))
            return fail (ps, "too large a number");
        ps->p = end;
        n = g_new0 (Node, 1);
        n->kind = NODE_NUMBER;
        n->number = v;
    } else if (g_ascii_isalpha (*ps->p)) {
        n = parse_count (ps);
    } else {
        n = fail_unexpected (ps);
    }
    ps->depth--;
    return n;
}

static Node *
parse_chain (Parser *ps, gboolean terms)
{
    Node *a = terms ? parse_factor (ps) : parse_chain (ps, TRUE);

    for (;;) {
        skip_space (ps);
        char op = *ps->p;
        if (a == NULL || !(terms ? op == '*' || op == '/' : op == '+' || op == '-'))
            return a;
        ps->p++;
        Node *b = terms ? parse_factor (ps) : parse_chain (ps, TRUE);
        if (b == NULL) {
            node_free (a);
            return NULL;
        }
        a = binary (op == '*'   ? NODE_MUL
                    : op == '/' ? NODE_DIV
                    : op == '+' ? NODE_ADD
                                : NODE_SUB,
                    a, b);
    }
}

static Node *
parse_expr (Parser *ps)
{
    return parse_chain (ps, FALSE);
}

/**
 * fsim_metric_parse:
 * See sweep.h.
 */
FsimMetric *
fsim_metric_parse (const char *label, const char *text, GError **error)
{
    Parser ps = { .text = text, .p = text, .error = error };
    Node *root;

    g_return_val_if_fail (text != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    root = parse_expr (&ps);
    skip_space (&ps);
    if (root != NULL && *ps.p != '\0') {
        node_free (root);
        root = fail_unexpected (&ps);
    }
    if (root == NULL)
        return NULL;
    FsimMetric *m = g_new0 (FsimMetric, 1);
    m->label = g_strdup (label ? label : text);
    m->text = g_strdup (text);
    m->root = root;
    return m;
}

void
fsim_metric_free (FsimMetric *m)
{
    if (m == NULL)
        return;
    node_free (m->root);
    g_free (m->label);
    g_free (m->text);
    g_free (m);
}

const char *
fsim_metric_label (const FsimMetric *m)
{
    g_return_val_if_fail (m != NULL, NULL);
    return m->label;
}

static gboolean
check_node (const FsimMetric *m, const Node *n, const FsimScenario *s, GError **error)
{
    if (n == NULL)
        return TRUE;
    if (n->kind == NODE_COUNT && n->group == GROUP_PARTNERS &&
        fsim_scenario_find_partner (s, n->id) < 0) {
        g_autofree char *quoted = quote_metric (m->text, NULL);
        g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_METRIC,
                     "metric '%s': unknown partner '%s'", quoted, n->id);
        return FALSE;
    }
    if (n->kind == NODE_COUNT && n->group == GROUP_FIELDS &&
        fsim_scenario_find_field (s, n->id) < 0) {
        g_autofree char *quoted = quote_metric (m->text, NULL);
        g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_METRIC,
                     "metric '%s': unknown field '%s'", quoted, n->id);
        return FALSE;
    }
    return check_node (m, n->a, s, error) && check_node (m, n->b, s, error);
}

gboolean
fsim_metric_check (const FsimMetric *m, const FsimScenario *s, GError **error)
{
    g_return_val_if_fail (m != NULL && s != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    return check_node (m, m->root, s, error);
}

/* Index of @id in the NULL-terminated sorted @names, or -1. */
static gssize
find_name (char **names, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp (names[i], id) == 0)
            return (gssize) i;
    return -1;
}

static double
count (const Node *n, const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r,
       GError **error)
{
    gssize i;

    if (n->group == GROUP_NONE && n->count <= 1) /* users, friendships: the population's */
        return (double) (n->count == 0 ? pop->n_users : pop->friends->n_edges);
    if (n->group == GROUP_ACCOUNTS) {
        double v = NAN;
        if (*error == NULL) /* once an error is set, the value is not used */
            (void) fsim_accounts_stat (pop->friends, n->degree, n->k, n->count / 3, n->count % 3,
                                       &v, error);
        return v;
    }
    if (r == NULL) /* fsim_metric_needs_run() said no */
        return NAN;
    switch (n->group) {
    case GROUP_NONE: {
        size_t reaching = 0;
        for (size_t p = 0; p < s->n_partners; p++)
            reaching += r->partner_reached[p] > 0;
        const size_t v[] = { r->n_users, r->n_friendships, r->users_reached,
                             r->users_reached_no_consent, reaching };
        return (double) v[n->count];
    }
    case GROUP_PARTNERS:
        i = fsim_scenario_find_partner (s, n->id);
        if (i < 0)
            return NAN;
        return (double) (n->count == 0   ? r->partner_users[i]
                         : n->count == 1 ? r->partner_reached[i]
                                         : r->partner_reached_no_consent[i]);
    case GROUP_FIELDS:
        i = fsim_scenario_find_field (s, n->id);
        if (i < 0)
            return NAN;
        return (double) (n->count == 0 ? r->field_users[i] : r->field_no_consent[i]);
    case GROUP_JURISDICTIONS:
        i = find_name (r->jurisdictions, r->n_jurisdictions, n->id);
        if (i < 0)
            return 0;
        return (double) (n->count == 0 ? r->jurisdiction_users[i] : r->jurisdiction_no_consent[i]);
    case GROUP_KINDS:
        i = find_name (r->kinds, r->n_kinds, n->id);
        if (i < 0)
            return 0;
        return (double) (n->count == 0 ? r->kind_users[i] : r->kind_no_consent[i]);
    case GROUP_ACCOUNTS:
        break;
    }
    g_return_val_if_reached (NAN);
}

static double
eval (const Node *n, const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r,
      GError **error)
{
    switch (n->kind) {
    case NODE_NUMBER:
        return n->number;
    case NODE_COUNT:
        return count (n, s, pop, r, error);
    case NODE_NEG:
        return -eval (n->a, s, pop, r, error);
    case NODE_ADD:
        return eval (n->a, s, pop, r, error) + eval (n->b, s, pop, r, error);
    case NODE_SUB:
        return eval (n->a, s, pop, r, error) - eval (n->b, s, pop, r, error);
    case NODE_MUL:
        return eval (n->a, s, pop, r, error) * eval (n->b, s, pop, r, error);
    case NODE_DIV: {
        double b = eval (n->b, s, pop, r, error);
        return b == 0 ? NAN : eval (n->a, s, pop, r, error) / b;
    }
    }
    g_return_val_if_reached (NAN);
}

gboolean
fsim_metric_eval (const FsimMetric *m, const FsimScenario *s, const FsimPopulation *pop,
                  const FsimResult *r, double *out_value, GError **error)
{
    g_return_val_if_fail (m != NULL && s != NULL && pop != NULL && out_value != NULL, FALSE);
    g_return_val_if_fail (r != NULL || !fsim_metric_needs_run (m), FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    GError *e = NULL;
    double v = eval (m->root, s, pop, r, &e);

    if (e != NULL) {
        g_autofree char *quoted = quote_metric (m->text, NULL);
        g_propagate_prefixed_error (error, e, "metric '%s': ", quoted);
        return FALSE;
    }
    *out_value = v;
    return TRUE;
}

static gboolean
needs_run (const Node *n)
{
    if (n == NULL)
        return FALSE;
    if (n->kind == NODE_COUNT)
        return n->group != GROUP_ACCOUNTS && !(n->group == GROUP_NONE && n->count <= 1);
    return needs_run (n->a) || needs_run (n->b);
}

gboolean
fsim_metric_needs_run (const FsimMetric *m)
{
    g_return_val_if_fail (m != NULL, TRUE);
    return needs_run (m->root);
}

static void
add_default (GPtrArray *out, const char *text)
{
    FsimMetric *m = fsim_metric_parse (NULL, text, NULL);

    /* ids with ']' cannot be written as a metric; they are left out of the defaults */
    if (m != NULL)
        g_ptr_array_add (out, m);
}

static int
compare_strings (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
fsim_metric_defaults (const FsimScenario *s)
{
    GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) fsim_metric_free);

    g_return_val_if_fail (s != NULL, out);
    add_default (out, "users_reached");
    add_default (out, "users_reached_without_consent");
    for (size_t p = 0; p < s->n_partners; p++) {
        g_autofree char *a = g_strdup_printf ("partners[%s].users_reached", s->partners[p].id);
        g_autofree char *b =
            g_strdup_printf ("partners[%s].users_reached_without_consent", s->partners[p].id);
        add_default (out, a);
        add_default (out, b);
    }
    /* the jurisdictions the destinations name, sorted as the engine sorts them */
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const FsimDestination *dest = &s->partners[p].destinations[d];
            g_hash_table_add (seen, dest->on_device || !dest->jurisdiction ? (gpointer) "device"
                                                                           : dest->jurisdiction);
        }
    g_autofree const char **codes = (const char **) g_hash_table_get_keys_as_array (seen, NULL);
    qsort (codes, g_hash_table_size (seen), sizeof *codes, compare_strings);
    for (size_t j = 0; codes[j]; j++) {
        g_autofree char *a = g_strdup_printf ("jurisdictions[%s].users", codes[j]);
        add_default (out, a);
    }
    for (size_t f = 0; f < s->n_fields; f++) {
        g_autofree char *a = g_strdup_printf ("fields[%s].users", s->fields[f].id);
        add_default (out, a);
    }
    return out;
}

/* SPDX-License-Identifier: MIT */
/* sim.c: the one load -> population -> decisions -> trace pipeline (sim.h). */
#include "config.h"

#include <sys/resource.h>

#include "loader.h"
#include "sim.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-sim-error-quark, fsim_sim_error)
/* clang-format on */

void
fsim_sim_free (FsimSim *sim)
{
    if (!sim)
        return;
    fsim_result_free (sim->result);
    fsim_decisions_free (sim->decisions);
    fsim_population_free (sim->pop);
    fsim_scenario_free (sim->scenario);
    g_free (sim);
}

static void
set_failure (FsimSimFailure *out_failure, FsimSimFailure failure)
{
    if (out_failure)
        *out_failure = failure;
}

FsimSim *
fsim_sim_load (const char *path, const FsimSimOptions *options, GError **error)
{
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const FsimSimOptions none = { 0 };
    const FsimSimOptions *o = options ? options : &none;
    g_autoptr (FsimSim) sim = g_new0 (FsimSim, 1);

    /* a policy file has no date and no population: nothing to simulate (exit 3) */
    sim->scenario = fsim_loader_load_scenario (path, o->sets, error);
    return sim->scenario ? g_steal_pointer (&sim) : NULL;
}

/* The population of fsim_sim_build(), without the decisions. */
static gboolean
build_population (FsimSim *sim, const FsimSimOptions *o, GError **error)
{
    if (o->progress)
        o->progress ("building the population", 0.0, o->progress_data);
    sim->pop = fsim_population_build_threads (sim->scenario, o->threads, error);
    if (sim->pop == NULL)
        return FALSE;
    if (o->progress)
        o->progress ("building the population", 1.0, o->progress_data);
    return TRUE;
}

gboolean
fsim_sim_build (FsimSim *sim, const FsimSimOptions *options, GError **error)
{
    g_return_val_if_fail (sim != NULL && sim->scenario != NULL && sim->pop == NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    const FsimSimOptions none = { 0 };

    if (!build_population (sim, options ? options : &none, error))
        return FALSE;
    sim->decisions = fsim_decisions_try_new (sim->scenario, sim->scenario->date, error);
    return sim->decisions != NULL;
}

gboolean
fsim_sim_trace (FsimSim *sim, const FsimSimOptions *options, GError **error)
{
    g_return_val_if_fail (sim != NULL && sim->result == NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    const FsimSimOptions none = { 0 };
    const FsimSimOptions *o = options ? options : &none;

    sim->result = fsim_engine_run_focused (sim->scenario, sim->pop, sim->decisions, o->focus,
                                           o->threads, o->progress, o->progress_data, error);
    return sim->result != NULL;
}

FsimSim *
fsim_sim_new (const char *path, const FsimSimOptions *options, FsimSimFailure *out_failure,
              GError **error)
{
    g_autoptr (FsimSim) sim = fsim_sim_load (path, options, error);
    if (sim == NULL || !fsim_sim_build (sim, options, error)) {
        set_failure (out_failure, FSIM_SIM_FAILED_INPUT);
        return NULL;
    }
    if (!fsim_sim_trace (sim, options, error)) {
        set_failure (out_failure, FSIM_SIM_FAILED_INTERNAL);
        return NULL;
    }
    return g_steal_pointer (&sim);
}

void
fsim_sim_diff_free (FsimSimDiff *d)
{
    if (!d)
        return;
    fsim_diff_free (d->diff);
    g_free (d->note);
    fsim_sim_free (d->whatif);
    fsim_sim_free (d->base);
    g_free (d);
}

/* diff's two sides, each a step run on its own thread (both(): the base on a new one). */
typedef struct {
    const char *path;
    const FsimSimOptions *options;
    FsimSim *sim; /* the step's input and output */
    GError *error;
} Side;

static gpointer
load_side (gpointer data)
{
    Side *side = data;

    side->sim = fsim_sim_load (side->path, side->options, &side->error);
    return NULL;
}

static gpointer
decide_side (gpointer data)
{
    Side *side = data;
    const FsimScenario *s = side->sim->scenario;

    side->sim->decisions = fsim_decisions_try_new (s, s->date, &side->error);
    return NULL;
}

/* Whether this process's address space is capped (ulimit -v). A new thread then costs more than
 * its stack: glibc gives it an arena of its own, reserving 64 MiB of the cap, and under
 * `ulimit -v 100000` diff's second thread ran out of it in the loader's small allocations, which
 * GLib does not try (SIGSEGV, in GLib's own out-of-memory message). */
static gboolean
address_space_capped (void)
{
    struct rlimit rl;
    return getrlimit (RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
}

/* Runs @step on @base (on a new thread, or here if none can start or the address space is
 * capped) and on @whatif (here) at once. Returns: FALSE with the base's error if it failed,
 * else the what-if's: the messages of the one-after-the-other order. */
static gboolean
both (GThreadFunc step, Side *base, Side *whatif, GError **error)
{
    GThread *t =
        address_space_capped () ? NULL : g_thread_try_new ("flowsim-diff", step, base, NULL);

    if (t == NULL)
        step (base);
    step (whatif);
    if (t != NULL)
        g_thread_join (t);
    GError **first = base->error ? &base->error : &whatif->error;
    if (*first == NULL)
        return TRUE;
    g_propagate_error (error, g_steal_pointer (first));
    g_clear_error (&base->error);
    g_clear_error (&whatif->error);
    return FALSE;
}

/*
 * The two scenarios are loaded at once, and their decisions made at once, each pair on two
 * threads: they are independent, and at the model limits they are most of what diff does
 * besides the trace, which has its own threads. The populations are built one after the
 * other, each on all the threads, so that two generation peaks never meet.
 */
FsimSimDiff *
fsim_sim_diff_prepare (const char *base_path, const char *whatif_path,
                       const FsimSimOptions *whatif_options, FsimSimFailure *out_failure,
                       GError **error)
{
    g_return_val_if_fail (base_path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const char *other = whatif_path ? whatif_path : base_path;
    const FsimSimOptions none = { 0 };
    g_autoptr (FsimSimDiff) d = g_new0 (FsimSimDiff, 1);
    Side base = { .path = base_path }, whatif = { .path = other, .options = whatif_options };

    set_failure (out_failure, FSIM_SIM_FAILED_INPUT);
    gboolean loaded = both (load_side, &base, &whatif, error);
    d->base = base.sim;
    d->whatif = whatif.sim;
    if (!loaded)
        return NULL;
    if (!d->base->scenario->id || !d->whatif->scenario->id) {
        set_failure (out_failure, FSIM_SIM_FAILED_USAGE);
        g_set_error (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT,
                     "%s is a policy file: diff compares scenarios (a date and a population)",
                     d->base->scenario->id ? other : base_path);
        return NULL;
    }
    /* the base runs as it is written, on the what-if's threads */
    const FsimSimOptions base_options = { .threads = whatif_options ? whatif_options->threads : 0 };
    if (!build_population (d->base, &base_options, error) ||
        !build_population (d->whatif, whatif_options ? whatif_options : &none, error) ||
        !both (decide_side, &base, &whatif, error))
        return NULL;
    d->whatif->pop = fsim_diff_population (d->base->scenario, d->base->pop, d->whatif->scenario,
                                           g_steal_pointer (&d->whatif->pop), &d->note, error);
    if (!d->whatif->pop)
        return NULL;
    return g_steal_pointer (&d);
}

gboolean
fsim_sim_diff_compare (FsimSimDiff *d, const FsimFocus *focus, FsimSimFailure *out_failure,
                       GError **error)
{
    g_return_val_if_fail (d != NULL && d->diff == NULL, FALSE);
    d->diff =
        fsim_diff_new_focused (d->base->scenario, d->base->pop, d->whatif->scenario, d->whatif->pop,
                               d->note, focus, d->base->decisions, d->whatif->decisions, error);
    if (!d->diff)
        set_failure (out_failure, FSIM_SIM_FAILED_INTERNAL);
    return d->diff != NULL;
}

FsimSimDiff *
fsim_sim_diff (const char *base_path, const char *whatif_path, const FsimSimOptions *whatif_options,
               FsimSimFailure *out_failure, GError **error)
{
    g_autoptr (FsimSimDiff) d =
        fsim_sim_diff_prepare (base_path, whatif_path, whatif_options, out_failure, error);
    if (!d || !fsim_sim_diff_compare (d, NULL, out_failure, error))
        return NULL;
    return g_steal_pointer (&d);
}

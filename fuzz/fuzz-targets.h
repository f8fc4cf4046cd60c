/* SPDX-License-Identifier: MIT */
/* fuzz-targets.h: one function per input format, shared by the fuzzers and the regression test. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Each runs one input through a loader (and, for "run", the whole pipeline) and aborts if a
 * contract is broken: a crash, a g_warning or g_critical (made fatal by fsim_fuzz_init()), an
 * error that is not a GError of the module's domain with a UTF-8 message, friend lists or
 * attribute tables that break their invariants, or a report that fails the checks of
 * tests/output-check.h. ASan, UBSan and valgrind find the rest. Call fsim_fuzz_init() first.
 *
 *   scenario  the input is a scenario or policy file, w/input.json in the scratch tree (its
 *             include, extends and population.import reach the seed files); text without a
 *             NUL byte is loaded with fsim_loader_load_string(), other text from the file
 *   set       up to 16 `--set PATH=VALUE` overrides, one a line, on w/valid.json
 *   run       a scenario as for "scenario", then (if it loads, with at most 300 generated
 *             users) population, decisions, engine and every report format
 *   edgelist  a SNAP edge list, parsed from memory (not NUL-terminated)
 *   graphml   a GraphML file (w/input.graphml), read through igraph
 *   gml       a GML file (w/input.gml), read through igraph
 */
void fsim_fuzz_scenario (const uint8_t *data, size_t size);
void fsim_fuzz_set (const uint8_t *data, size_t size);
void fsim_fuzz_run (const uint8_t *data, size_t size);
void fsim_fuzz_edgelist (const uint8_t *data, size_t size);
void fsim_fuzz_graphml (const uint8_t *data, size_t size);
void fsim_fuzz_gml (const uint8_t *data, size_t size);

typedef void (*FsimFuzzTarget) (const uint8_t *data, size_t size);

/* The target called @name (one of the above), or NULL. */
FsimFuzzTarget fsim_fuzz_target (const char *name);

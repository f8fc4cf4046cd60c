/* SPDX-License-Identifier: MIT */
/* fuzz-main.c: libFuzzer entry points; built once per target with -DFSIM_FUZZ_TARGET=NAME. */
#include "config.h"

#include "fuzz-targets.h"
#include "fuzz-util.h"

#ifndef FSIM_FUZZ_TARGET
#error "build with -DFSIM_FUZZ_TARGET=fsim_fuzz_NAME (fuzz/meson.build does)"
#endif

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fsim_fuzz_init ();
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    FSIM_FUZZ_TARGET (data, size);
    return 0;
}

#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point for programs that have their own main (SwiftPM executables do):
   parses libFuzzer's flags from argv and calls `callback` with each input. Provided by
   libclang_rt.fuzzer when linked with -sanitize=fuzzer. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

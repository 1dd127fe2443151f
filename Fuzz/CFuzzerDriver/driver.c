#include "CFuzzerDriver.h"

// Weak: a plain `swift build` links without libFuzzer and this is null. `make fuzz` links
// libclang_rt.fuzzer_no_main with --undefined=LLVMFuzzerRunDriver, which defines it. Using
// libFuzzer's driver (not its main) keeps the executable's own main, so one binary can list
// targets, write seeds and replay inputs as well as fuzz.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int tagway_fuzzer_run(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}

int tagway_fuzzer_available(void) { return LLVMFuzzerRunDriver ? 1 : 0; }

#ifndef TAGWAY_CFUZZERDRIVER_H
#define TAGWAY_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver with `callback` as the fuzz target, when the executable was linked
/// with libFuzzer (make fuzz); returns -1 without running anything otherwise (plain builds).
int tagway_fuzzer_run(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// 1 when libFuzzer is linked in.
int tagway_fuzzer_available(void);
#endif

// The target's one translation unit: SwiftPM builds a C target from at least one source file.
// Everything is the header's inline function.
#include "tagway_prefetch.h"

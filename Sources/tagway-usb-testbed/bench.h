/* The testbed's state shared by the scenario runner and main: the umockdev testbed, the
 * emulated devices, and the program under test with the lines it printed. */
#ifndef TAGWAY_TESTBED_BENCH_H
#define TAGWAY_TESTBED_BENCH_H

#include "emudev.h"

#ifdef TAGWAY_TESTBED_AVAILABLE

typedef struct {
    char *verb;
    char *args[3];
    int index;
} Step;

typedef struct {
    UMockdevTestbed *testbed;
    GHashTable *devices;        /* name -> EmuDevice* */
    guint park_ms;
    GPtrArray *steps;           /* Step* */
    guint next_step;
    gboolean sleeping;
    gboolean failed;            /* a step could not run; the child is stopped */
    GPtrArray *output;          /* lines the child printed */
    guint output_cursor;        /* wait-output searches from here */
    GPid child;
    gboolean child_running;
    gboolean stop_sent;
} Bench;

/* Splits the words before "--" into steps; FALSE with a message when a verb or its arguments
 * are wrong. */
gboolean scenario_parse(Bench *bench, char **words, int count, GError **error);
/* Runs steps until one has to wait; called again whenever something it may wait for changes. */
void scenario_run(Bench *bench);
gboolean scenario_finished(Bench *bench);

#endif /* TAGWAY_TESTBED_AVAILABLE */
#endif

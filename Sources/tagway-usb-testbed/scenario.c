/* The scenario: steps run in order; waits hold the next step until the emulated device or
 * the program under test reaches a state, so tests sequence events without guessing delays. */
#include "bench.h"
#include "typing.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifdef TAGWAY_TESTBED_AVAILABLE

typedef enum { STEP_DONE, STEP_WAIT, STEP_FAIL } StepResult;

typedef struct {
    const char *verb;
    int arity;
    const char *help;
} Verb;

static const Verb verbs[] = {
    {"device", 2, "device NAME FILE: an emulated USB device described by a .umockdev file (not plugged)"},
    {"plug", 1, "plug NAME: add the device (\"add\" uevents)"},
    {"unplug", 1, "unplug NAME: remove the device mid-transfer (\"remove\" uevents)"},
    {"type", 3, "type NAME LAYOUT TEXT: boot-keyboard reports typing TEXT (C escapes) on LAYOUT"},
    {"report", 2, "report NAME HEX: one raw input report"},
    {"pos", 3, "pos NAME AIM TEXT: HID POS scanned-data reports carrying TEXT"},
    {"wait-reading", 1, "wait-reading NAME: until the program has an interrupt transfer pending"},
    {"wait-drained", 1, "wait-drained NAME: until every queued report was delivered"},
    {"wait-output", 1, "wait-output TEXT: until the program prints a line containing TEXT"},
    {"sleep", 1, "sleep MS"},
    {"stop", 0, "stop: send SIGTERM to the program"},
};

gboolean scenario_parse(Bench *bench, char **words, int count, GError **error)
{
    int i = 0;
    while (i < count) {
        const Verb *verb = NULL;
        for (gsize v = 0; v < G_N_ELEMENTS(verbs); v++)
            if (strcmp(verbs[v].verb, words[i]) == 0) verb = &verbs[v];
        if (!verb) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown step '%s'", words[i]);
            return FALSE;
        }
        if (i + verb->arity > count - 1) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "step needs arguments: %s", verb->help);
            return FALSE;
        }
        Step *step = g_new0(Step, 1);
        step->verb = g_strdup(words[i]);
        for (int a = 0; a < verb->arity; a++) step->args[a] = g_strcompress(words[i + 1 + a]);
        step->index = (int)bench->steps->len + 1;
        g_ptr_array_add(bench->steps, step);
        i += 1 + verb->arity;
    }
    return TRUE;
}

static EmuDevice *device_named(Bench *bench, const char *name, GString *why)
{
    EmuDevice *dev = g_hash_table_lookup(bench->devices, name);
    if (!dev) g_string_printf(why, "no device named %s", name);
    return dev;
}

static gboolean sleep_over(gpointer data)
{
    Bench *bench = data;
    bench->sleeping = FALSE;
    bench->next_step++;
    scenario_run(bench);
    return G_SOURCE_REMOVE;
}

static StepResult queue_reports(EmuDevice *dev, GPtrArray *reports)
{
    for (guint r = 0; r < reports->len; r++) {
        gsize length = 0;
        const guint8 *bytes = g_bytes_get_data(reports->pdata[r], &length);
        emu_device_queue_report(dev, bytes, length);
    }
    g_ptr_array_unref(reports);
    return STEP_DONE;
}

static StepResult run_step(Bench *bench, Step *step, GString *why)
{
    const char *verb = step->verb;
    GError *error = NULL;
    if (strcmp(verb, "device") == 0) {
        EmuDevice *dev = emu_device_load(step->args[0], step->args[1], bench->park_ms, &error);
        if (!dev || !emu_device_attach(dev, bench->testbed, &error)) goto gerror;
        g_hash_table_insert(bench->devices, dev->name, dev);
        return STEP_DONE;
    }
    if (strcmp(verb, "sleep") == 0) {
        bench->sleeping = TRUE;
        g_timeout_add((guint)g_ascii_strtoull(step->args[0], NULL, 10), sleep_over, bench);
        return STEP_WAIT;
    }
    if (strcmp(verb, "stop") == 0) {
        if (bench->child_running && !bench->stop_sent) kill(bench->child, SIGTERM);
        bench->stop_sent = TRUE;
        return STEP_DONE;
    }
    if (strcmp(verb, "wait-output") == 0) {
        for (guint l = bench->output_cursor; l < bench->output->len; l++) {
            if (strstr(bench->output->pdata[l], step->args[0])) {
                bench->output_cursor = l + 1;
                return STEP_DONE;
            }
        }
        g_string_printf(why, "the program exited without printing %s", step->args[0]);
        return bench->child_running ? STEP_WAIT : STEP_FAIL;
    }
    EmuDevice *dev = device_named(bench, step->args[0], why);
    if (!dev) return STEP_FAIL;
    if (strcmp(verb, "plug") == 0) {
        if (!emu_device_plug(dev, bench->testbed, &error)) goto gerror;
        return STEP_DONE;
    }
    if (strcmp(verb, "unplug") == 0) {
        emu_device_unplug(dev, bench->testbed);
        return STEP_DONE;
    }
    if (strcmp(verb, "type") == 0) {
        GPtrArray *reports = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
        if (!typing_reports(step->args[1], step->args[2], reports, &error)) {
            g_ptr_array_unref(reports);
            goto gerror;
        }
        return queue_reports(dev, reports);
    }
    if (strcmp(verb, "pos") == 0) {
        GPtrArray *reports = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
        pos_reports(step->args[1], step->args[2], reports);
        return queue_reports(dev, reports);
    }
    if (strcmp(verb, "report") == 0) {
        gsize length = strlen(step->args[1]) / 2;
        guint8 report[256] = { 0 };
        for (gsize i = 0; i < length && i < sizeof report; i++)
            report[i] = (guint8)(g_ascii_xdigit_value(step->args[1][2 * i]) << 4 | g_ascii_xdigit_value(step->args[1][2 * i + 1]));
        emu_device_queue_report(dev, report, MIN(length, sizeof report));
        return STEP_DONE;
    }
    gboolean reached = strcmp(verb, "wait-reading") == 0 ? emu_device_is_reading(dev) : emu_device_is_drained(dev);
    if (reached) return STEP_DONE;
    g_string_printf(why, "the program exited before %s %s", verb, dev->name);
    return bench->child_running ? STEP_WAIT : STEP_FAIL;

gerror:
    g_string_assign(why, error->message);
    g_error_free(error);
    return STEP_FAIL;
}

void scenario_run(Bench *bench)
{
    static gboolean running;
    if (running) return;   /* a step's own notification must not run the next step inside it */
    running = TRUE;
    GString *why = g_string_new(NULL);
    while (!bench->failed && !bench->sleeping && bench->next_step < bench->steps->len) {
        Step *step = bench->steps->pdata[bench->next_step];
        StepResult result = run_step(bench, step, why);
        if (result == STEP_WAIT) break;
        if (result == STEP_FAIL) {
            g_printerr("[testbed] step %d (%s %s) failed: %s\n", step->index, step->verb,
                       step->args[0] ? step->args[0] : "", why->str);
            bench->failed = TRUE;
            if (bench->child_running && !bench->stop_sent) kill(bench->child, SIGTERM);
            bench->stop_sent = TRUE;
            break;
        }
        g_printerr("[testbed] step %d: %s %s\n", step->index, step->verb, step->args[0] ? step->args[0] : "");
        bench->next_step++;
    }
    g_string_free(why, TRUE);
    running = FALSE;
}

gboolean scenario_finished(Bench *bench)
{
    return bench->next_step >= bench->steps->len;
}

#endif /* TAGWAY_TESTBED_AVAILABLE */

/* tagway-usb-testbed: emulated USB readers for tests that run the real libusb and libudev.
 *
 *   tagway-usb-testbed [--park-ms N] [--timeout-ms N] STEP... -- PROGRAM [ARGS...]
 *
 * Builds a umockdev testbed (a fake /sys and /dev), runs the leading "device" and "plug" steps,
 * starts PROGRAM with LD_PRELOAD=libumockdev-preload.so.0 and UMOCKDEV_DIR set so that its
 * libusb and libudev see the emulated devices, then runs the remaining steps (see scenario.c)
 * while relaying PROGRAM's stdout line by line. At the end it prints one JSON line per device
 * ({"testbed":"device",...}: delivered reports, kernel-driver state) and one for PROGRAM
 * ({"testbed":"child",...}: exit status and CPU time), and exits with PROGRAM's status, 124 on
 * --timeout-ms, or 125 when a step failed. */
#include "bench.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef TAGWAY_TESTBED_AVAILABLE

static Bench bench;
static GMainLoop *loop;
static int child_status;
static gboolean output_closed, timed_out;
static gint64 started_at, ended_at;

static void maybe_quit(void)
{
    if (!bench.child_running && output_closed) g_main_loop_quit(loop);
}

static void state_changed(void) { scenario_run(&bench); }

static gboolean on_output(GIOChannel *channel, GIOCondition condition, gpointer data)
{
    (void)condition; (void)data;
    gchar *line = NULL;
    GIOStatus status;
    while ((status = g_io_channel_read_line(channel, &line, NULL, NULL, NULL)) == G_IO_STATUS_NORMAL) {
        fputs(line, stdout);
        if (!g_str_has_suffix(line, "\n")) fputc('\n', stdout);
        fflush(stdout);
        g_ptr_array_add(bench.output, g_strchomp(line));
    }
    scenario_run(&bench);
    if (status == G_IO_STATUS_AGAIN) return G_SOURCE_CONTINUE;
    output_closed = TRUE;
    maybe_quit();
    return G_SOURCE_REMOVE;
}

static void on_child_exit(GPid pid, gint status, gpointer data)
{
    (void)data;
    child_status = status;
    ended_at = g_get_monotonic_time();
    bench.child_running = FALSE;
    g_spawn_close_pid(pid);
    scenario_run(&bench);
    maybe_quit();
}

static gboolean on_timeout(gpointer data)
{
    (void)data;
    g_printerr("[testbed] timed out; killing the program\n");
    timed_out = TRUE;
    if (bench.child_running) kill(bench.child, SIGKILL);
    return G_SOURCE_REMOVE;
}

/* uevents from this process reach the program only when this process has the preload library. */
static void ensure_preloaded(char **argv)
{
    gchar *maps = NULL;
    gboolean loaded = g_file_get_contents("/proc/self/maps", &maps, NULL, NULL) && strstr(maps, "libumockdev-preload");
    g_free(maps);
    if (loaded || g_getenv("TAGWAY_TESTBED_REEXEC")) return;
    const char *old = g_getenv("LD_PRELOAD");
    gchar *preload = old && *old ? g_strconcat(old, ":libumockdev-preload.so.0", NULL) : g_strdup("libumockdev-preload.so.0");
    g_setenv("LD_PRELOAD", preload, TRUE);
    g_setenv("TAGWAY_TESTBED_REEXEC", "1", TRUE);
    execv("/proc/self/exe", argv);
    perror("[testbed] re-exec with libumockdev-preload");
}

static int usage(const char *message)
{
    g_printerr("%s\nusage: tagway-usb-testbed [--park-ms N] [--timeout-ms N] STEP... -- PROGRAM [ARGS...]\n", message);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--check") == 0) return 0;   /* "built with umockdev" */
    ensure_preloaded(argv);
    guint timeout_ms = 60000;
    bench.park_ms = 50;
    int first_step = 1, separator = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { separator = i; break; }
    }
    if (separator < 0 || separator + 1 >= argc) return usage("missing -- PROGRAM");
    while (first_step < separator && g_str_has_prefix(argv[first_step], "--")) {
        if (first_step + 1 >= separator) return usage("option needs a value");
        guint value = (guint)g_ascii_strtoull(argv[first_step + 1], NULL, 10);
        if (strcmp(argv[first_step], "--park-ms") == 0) bench.park_ms = value;
        else if (strcmp(argv[first_step], "--timeout-ms") == 0) timeout_ms = value;
        else return usage("unknown option");
        first_step += 2;
    }

    bench.steps = g_ptr_array_new();
    bench.output = g_ptr_array_new_with_free_func(g_free);
    bench.devices = g_hash_table_new(g_str_hash, g_str_equal);
    GError *error = NULL;
    if (!scenario_parse(&bench, argv + first_step, separator - first_step, &error)) return usage(error->message);

    bench.testbed = umockdev_testbed_new();
    gchar *root = umockdev_testbed_get_root_dir(bench.testbed);
    g_printerr("[testbed] root %s\n", root);
    emu_set_observer(state_changed);

    /* Devices declared and plugged before any other step are there when the program starts. */
    guint setup = 0;
    while (setup < bench.steps->len) {
        const char *verb = ((Step *)bench.steps->pdata[setup])->verb;
        if (strcmp(verb, "device") != 0 && strcmp(verb, "plug") != 0) break;
        setup++;
    }
    GPtrArray *all_steps = bench.steps;
    bench.steps = g_ptr_array_new();
    for (guint i = 0; i < setup; i++) g_ptr_array_add(bench.steps, all_steps->pdata[i]);
    scenario_run(&bench);
    if (bench.failed) return 125;
    bench.steps = all_steps;

    gchar **env = g_get_environ();
    const char *old = g_getenv("LD_PRELOAD");
    env = g_environ_setenv(env, "LD_PRELOAD", old && *old ? old : "libumockdev-preload.so.0", TRUE);
    env = g_environ_setenv(env, "UMOCKDEV_DIR", root, TRUE);
    env = g_environ_unsetenv(env, "TAGWAY_TESTBED_REEXEC");
    int output_fd = -1;
    if (!g_spawn_async_with_pipes(NULL, argv + separator + 1, env,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                                  NULL, NULL, &bench.child, NULL, &output_fd, NULL, &error)) {
        g_printerr("[testbed] cannot start %s: %s\n", argv[separator + 1], error->message);
        return 127;
    }
    started_at = g_get_monotonic_time();
    bench.child_running = TRUE;
    loop = g_main_loop_new(NULL, FALSE);
    GIOChannel *channel = g_io_channel_unix_new(output_fd);
    g_io_channel_set_flags(channel, G_IO_FLAG_NONBLOCK, NULL);
    g_io_add_watch(channel, G_IO_IN | G_IO_HUP | G_IO_ERR, on_output, NULL);
    g_child_watch_add(bench.child, on_child_exit, NULL);
    g_timeout_add(timeout_ms, on_timeout, NULL);
    scenario_run(&bench);
    g_main_loop_run(loop);

    GHashTableIter iter;
    gpointer name, dev;
    g_hash_table_iter_init(&iter, bench.devices);
    while (g_hash_table_iter_next(&iter, &name, &dev)) emu_device_print_summary(dev);
    struct rusage usage_of_child;
    getrusage(RUSAGE_CHILDREN, &usage_of_child);
    long cpu_ms = usage_of_child.ru_utime.tv_sec * 1000 + usage_of_child.ru_utime.tv_usec / 1000 +
                  usage_of_child.ru_stime.tv_sec * 1000 + usage_of_child.ru_stime.tv_usec / 1000;
    int rc = WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 128 + WTERMSIG(child_status);
    printf("{\"testbed\":\"child\",\"exit\":%d,\"cpuMs\":%ld,\"wallMs\":%ld,\"stepsDone\":%u,\"steps\":%u}\n", rc, cpu_ms,
           (long)((ended_at - started_at) / 1000), bench.next_step, bench.steps->len);
    fflush(stdout);
    g_object_unref(bench.testbed);
    if (timed_out) return 124;
    if (bench.failed || !scenario_finished(&bench)) return 125;
    return rc;
}

#else /* built without libumockdev-dev */

#include <stdio.h>

int main(void)
{
    /* --check included: the tests ask this whether the emulation was built in. */
    fputs("tagway-usb-testbed: built without umockdev; install libumockdev-dev and umockdev, then rebuild\n", stderr);
    return 77;
}
#endif

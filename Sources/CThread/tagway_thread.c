#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "tagway_thread.h"

int tagway_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)gettid(), nice);
}

int tagway_set_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

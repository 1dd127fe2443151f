#ifndef TAGWAY_THREAD_H
#define TAGWAY_THREAD_H

/// Sets the nice value of the calling thread alone (Linux keeps one per thread, by its tid,
/// which Swift's Glibc module does not expose). Returns 0, or -1 with errno set.
int tagway_set_thread_nice(int nice);

/// Names the calling thread (at most 15 bytes are kept), as `top -H` and /proc show it.
/// Returns 0 or an error number.
int tagway_set_thread_name(const char *name);

#endif

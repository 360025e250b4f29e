/* Test apps that print each call's outcome, for a line-by-line comparison of a native run with a
 * simulated one: E() catches a call's errno at once, res() writes the result as text. */
#ifndef CALL_RESULTS_H
#define CALL_RESULTS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A call's result with its errno caught at once: the value, or -errno. */
static inline long E(long r)
{
    return r < 0 ? -errno : r;
}

/* A result of E as text: the value, or the errno's name (16 results may be in use at once). */
static inline const char *res(long r)
{
    static char out[16][64];
    static int next;
    char *s = out[next++ & 15];
    if (r < 0)
        snprintf(s, 64, "%s", strerrorname_np((int)-r));
    else
        snprintf(s, 64, "%ld", r);
    return s;
}

#endif

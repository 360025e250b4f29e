/* LD_PRELOAD library: times the calls a network program blocks in (accept, accept4, connect,
 * poll, ppoll, select, pselect) on the process's realtime clock -- the virtual one under
 * `simterpose run`, the machine's under `emulate` -- and prints one line per call on stderr:
 *   CALL name start=SECONDS end=SECONDS ret=R
 * so that a program's blocking times can be compared between both (bin/bench-fidelity's netcat rows). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define TIMED(name, ret_type, params, args)                              \
    ret_type name params                                                 \
    {                                                                    \
        static ret_type(*real) params;                                   \
        if (!real)                                                       \
            real = (ret_type(*) params)dlsym(RTLD_NEXT, #name);          \
        double start = now_s();                                          \
        ret_type result_ = real args;                                          \
        dprintf(2, "CALL %s start=%.9f end=%.9f ret=%ld\n", #name, start, now_s(), (long)result_); \
        return result_;                                                  \
    }

TIMED(accept, int, (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l))
TIMED(accept4, int, (int fd, struct sockaddr *a, socklen_t *l, int flags), (fd, a, l, flags))
TIMED(connect, int, (int fd, const struct sockaddr *a, socklen_t l), (fd, a, l))
TIMED(poll, int, (struct pollfd *f, nfds_t n, int timeout), (f, n, timeout))
TIMED(ppoll, int, (struct pollfd *f, nfds_t n, const struct timespec *t, const sigset_t *m), (f, n, t, m))
TIMED(select, int, (int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t), (n, r, w, e, t))
TIMED(pselect, int, (int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t, const sigset_t *m),
      (n, r, w, e, t, m))

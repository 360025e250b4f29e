/* Futex waits with a timeout, as libc and programs make them. Each case prints
 *   RESULT case=NAME ret=OUTCOME t=SECONDS
 * where OUTCOME is 0, an errno name, or a count, and SECONDS the CLOCK_MONOTONIC time the case
 * took (under the simulation: simulated time).
 *   cond_realtime_expires  pthread_cond_timedwait, absolute CLOCK_REALTIME deadline 0.2 s ahead
 *   cond_monotonic_signalled  pthread_cond_clockwait(MONOTONIC, 1 s); another thread signals at 0.3 s
 *   sem_expires            sem_timedwait, 0.25 s
 *   sem_posted             sem_clockwait(MONOTONIC, 1 s); another thread posts at 0.1 s
 *   join_in_time           pthread_timedjoin_np(1 s) on a thread that ends at 0.2 s
 *   join_expires           pthread_timedjoin_np(0.1 s) on a thread that ends at 0.4 s
 *   wait_interrupted       futex(FUTEX_WAIT, 1 s) cut by SIGUSR1 (a handler, no SA_RESTART) at 0.15 s
 *   wait_changed           futex(FUTEX_WAIT, 1 s) on a word that holds another value: EAGAIN
 *   wait_past              futex(FUTEX_WAIT_BITSET, deadline 0): ETIMEDOUT
 *   wake_mixed             two timed waiters and one without a timeout; FUTEX_WAKE(INT_MAX) at 0.1 s
 *                          returns 3 and all three return 0
 *   requeue                two timed waiters on A; FUTEX_CMP_REQUEUE(A→B, wake 1, move 1) at 0.1 s returns 2,
 *                          FUTEX_WAKE(B) at 0.2 s returns 1, and both return 0
 *   wake_op                a timed waiter on B; FUTEX_WAKE_OP(A, B, SET 1 if it was 0) at 0.1 s returns 1,
 *                          the waiter returns 0 and B holds 1
 *   shared_posted          sem_clockwait(MONOTONIC, 1 s) on a process-shared semaphore in MAP_SHARED memory;
 *                          a forked child posts at 0.1 s */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct timespec ahead(clockid_t clock, double seconds)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    long ns = ts.tv_nsec + (long)(seconds * 1e9);
    ts.tv_sec += ns / 1000000000L;
    ts.tv_nsec = ns % 1000000000L;
    return ts;
}

static void pause_for(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds, .tv_nsec = (long)((seconds - (time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static const char *outcome(int r)
{
    static char buf[32];
    switch (r) {
    case ETIMEDOUT: return "ETIMEDOUT";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    default: snprintf(buf, sizeof buf, "%d", r); return buf;
    }
}

static void report(const char *name, const char *ret, double since)
{
    printf("RESULT case=%s ret=%s t=%.3f\n", name, ret, mono() - since);
    fflush(stdout);
}

static long futex(atomic_int *word, int op, int val, const struct timespec *ts, int val3)
{
    return syscall(SYS_futex, word, op, val, ts, NULL, val3);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int flag;
static sem_t sem;

static void *signaller(void *arg)
{
    (void)arg;
    pause_for(0.3);
    pthread_mutex_lock(&lock);
    flag = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *poster(void *arg)
{
    (void)arg;
    pause_for(0.1);
    sem_post(&sem);
    return NULL;
}

static void *sleeper(void *arg)
{
    pause_for(*(double *)arg);
    return NULL;
}

static pthread_t main_thread;

static void *interrupter(void *arg)
{
    (void)arg;
    pause_for(0.15);
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

static void on_usr1(int sig)
{
    (void)sig;
}

static atomic_int word, word_a, word_b;

static long futex2(atomic_int *w, int op, int val, long val2, atomic_int *w2, int val3)
{
    return syscall(SYS_futex, w, op, val, (void *)val2, w2, val3);
}

static void *waiter_on(void *w)
{
    struct timespec one = {.tv_sec = 1};
    long r = futex(w, FUTEX_WAIT_PRIVATE, 0, &one, 0);
    return (void *)(long)(r == 0 ? 0 : errno);
}

static int join_all(pthread_t *ts, int n)
{
    int all_zero = 1;
    for (int i = 0; i < n; i++) {
        void *res;
        pthread_join(ts[i], &res);
        all_zero &= res == NULL;
    }
    return all_zero;
}

static void *timed_waiter(void *arg)
{
    struct timespec one = {.tv_sec = 1};
    long r = futex(&word, FUTEX_WAIT_PRIVATE, 0, arg ? &one : NULL, 0);
    return (void *)(long)(r == 0 ? 0 : errno);
}

int main(void)
{
    double t0 = mono();
    pthread_mutex_lock(&lock);
    struct timespec d = ahead(CLOCK_REALTIME, 0.2);
    int r = pthread_cond_timedwait(&cond, &lock, &d);
    pthread_mutex_unlock(&lock);
    report("cond_realtime_expires", outcome(r), t0);

    pthread_t th;
    t0 = mono();
    pthread_create(&th, NULL, signaller, NULL);
    pthread_mutex_lock(&lock);
    d = ahead(CLOCK_MONOTONIC, 1);
    r = 0;
    while (!flag && r == 0)
        r = pthread_cond_clockwait(&cond, &lock, CLOCK_MONOTONIC, &d);
    pthread_mutex_unlock(&lock);
    pthread_join(th, NULL);
    report("cond_monotonic_signalled", outcome(r), t0);

    sem_init(&sem, 0, 0);
    t0 = mono();
    d = ahead(CLOCK_REALTIME, 0.25);
    r = sem_timedwait(&sem, &d) == 0 ? 0 : errno;
    report("sem_expires", outcome(r), t0);

    t0 = mono();
    pthread_create(&th, NULL, poster, NULL);
    d = ahead(CLOCK_MONOTONIC, 1);
    r = sem_clockwait(&sem, CLOCK_MONOTONIC, &d) == 0 ? 0 : errno;
    pthread_join(th, NULL);
    report("sem_posted", outcome(r), t0);

    double short_life = 0.2, long_life = 0.4;
    t0 = mono();
    pthread_create(&th, NULL, sleeper, &short_life);
    d = ahead(CLOCK_REALTIME, 1);
    r = pthread_timedjoin_np(th, NULL, &d);
    report("join_in_time", outcome(r), t0);

    t0 = mono();
    pthread_create(&th, NULL, sleeper, &long_life);
    d = ahead(CLOCK_REALTIME, 0.1);
    r = pthread_timedjoin_np(th, NULL, &d);
    report("join_expires", outcome(r), t0);
    pthread_join(th, NULL);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    main_thread = pthread_self();
    t0 = mono();
    pthread_create(&th, NULL, interrupter, NULL);
    struct timespec one = {.tv_sec = 1};
    r = futex(&word, FUTEX_WAIT_PRIVATE, 0, &one, 0) == 0 ? 0 : errno;
    pthread_join(th, NULL);
    report("wait_interrupted", outcome(r), t0);

    t0 = mono();
    r = futex(&word, FUTEX_WAIT_PRIVATE, 7, &one, 0) == 0 ? 0 : errno;
    report("wait_changed", outcome(r), t0);

    t0 = mono();
    struct timespec zero = {0};
    r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &zero, FUTEX_BITSET_MATCH_ANY) == 0 ? 0 : errno;
    report("wait_past", outcome(r), t0);

    t0 = mono();
    pthread_t w[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&w[i], NULL, timed_waiter, i < 2 ? &one : NULL);
    pause_for(0.1);
    long woken = futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, 0);
    int all_zero = 1;
    for (int i = 0; i < 3; i++) {
        void *res;
        pthread_join(w[i], &res);
        all_zero &= res == NULL;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%ld/%s", woken, all_zero ? "all0" : "not-all0");
    report("wake_mixed", buf, t0);

    t0 = mono();
    for (int i = 0; i < 2; i++)
        pthread_create(&w[i], NULL, waiter_on, &word_a);
    pause_for(0.1);
    long moved = futex2(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word_b, 0);
    pause_for(0.1);
    woken = futex(&word_b, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
    snprintf(buf, sizeof buf, "%ld/%ld/%s", moved, woken, join_all(w, 2) ? "all0" : "not-all0");
    report("requeue", buf, t0);

    t0 = mono();
    word_b = 0;
    pthread_create(&w[0], NULL, waiter_on, &word_b);
    pause_for(0.1);
    woken = futex2(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
                   FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));
    snprintf(buf, sizeof buf, "%ld/%s/b=%d", woken, join_all(w, 1) ? "all0" : "not-all0", word_b);
    report("wake_op", buf, t0);

    sem_t *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sem_init(shared, 1, 0);
    t0 = mono();
    pid_t child = fork();
    if (child == 0) {
        pause_for(0.1);
        sem_post(shared);
        _exit(0);
    }
    d = ahead(CLOCK_MONOTONIC, 1);
    r = sem_clockwait(shared, CLOCK_MONOTONIC, &d) == 0 ? 0 : errno;
    waitpid(child, NULL, 0);
    report("shared_posted", outcome(r), t0);
    return 0;
}

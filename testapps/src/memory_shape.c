/* A program with a known memory shape, for memtrace's tests. Sizes are distinct so that each
 * event can be told apart in a trace:
 *   brk        heap +256 KiB, +128 KiB, -128 KiB (sbrk)
 *   anon       mmap 64 MiB (touched), munmap
 *   file       map DIR/a (12 KiB) private, close it; open DIR/b (reuses the fd), map 20 KiB; unmap both
 *   SysV       shmget 1.25 MiB, shmat, shmdt, IPC_RMID
 *   POSIX      shm_open /memtrace_shape_PID 2 MiB, mmap MAP_SHARED, munmap, shm_unlink
 *   mremap     anon 1 MiB grown to 4 MiB (may move)
 *   mprotect   reserve 2 MiB PROT_NONE, open 512 KiB read-write
 *   madvise    MADV_DONTNEED on 1 MiB of touched anon memory
 *   thread     one thread maps 3 MiB anon, touches it, unmaps it
 *   signal     SIGUSR1 to itself (a handler counts it)
 *   done       creates DIR/done last (a test that detached sees the program ran to its end)
 * Usage: memory_shape DIR            (DIR: a writable directory for the two files)
 *        memory_shape threads N      (N threads, each maps and unmaps 1 MiB + its index pages)
 *        memory_shape fork-exec      (forks; the child execs `memory_shape child`; the parent waits)
 *        memory_shape child          (maps and unmaps 5 MiB, exits 0)
 * Exits 0 when every step worked, 1 otherwise (with the failed step on stderr). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define KiB 1024L
#define MiB (1024L * 1024L)

static int failed;

static void check(int ok, const char *what)
{
    if (!ok) {
        perror(what);
        failed = 1;
    }
}

static void write_file(const char *path, long size)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    check(fd >= 0, path);
    check(ftruncate(fd, size) == 0, "ftruncate");
    close(fd);
}

static void *map_anon(long size, int prot)
{
    void *p = mmap(NULL, (size_t)size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap anon");
    return p;
}

static void *thread_maps(void *arg)
{
    long size = (long)arg;
    char *p = map_anon(size, PROT_READ | PROT_WRITE);
    memset(p, 1, (size_t)size);
    check(munmap(p, (size_t)size) == 0, "munmap in thread");
    return NULL;
}

static volatile sig_atomic_t usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }

static int shape(const char *dir)
{
    /* brk */
    check(sbrk(256 * KiB) != (void *)-1, "sbrk +256K");
    check(sbrk(128 * KiB) != (void *)-1, "sbrk +128K");
    check(sbrk(-128 * KiB) != (void *)-1, "sbrk -128K");

    /* a large anonymous mapping */
    char *big = map_anon(64 * MiB, PROT_READ | PROT_WRITE);
    memset(big, 1, 64 * MiB);
    check(munmap(big, 64 * MiB) == 0, "munmap 64M");

    /* file mappings, the second through a reused fd */
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    write_file(a, 12 * KiB);
    write_file(b, 20 * KiB);
    int fd = open(a, O_RDONLY);
    check(fd >= 0, "open a");
    void *fa = mmap(NULL, 12 * KiB, PROT_READ, MAP_PRIVATE, fd, 0);
    check(fa != MAP_FAILED, "mmap a");
    close(fd);
    int fd2 = open(b, O_RDONLY);
    check(fd2 == fd, "open b reuses a's fd");
    void *fb = mmap(NULL, 20 * KiB, PROT_READ, MAP_PRIVATE, fd2, 0);
    check(fb != MAP_FAILED, "mmap b");
    close(fd2);
    check(munmap(fa, 12 * KiB) == 0, "munmap a");
    check(munmap(fb, 20 * KiB) == 0, "munmap b");

    /* SysV shared memory */
    int id = shmget(IPC_PRIVATE, (size_t)(1280 * KiB), IPC_CREAT | 0600);
    check(id >= 0, "shmget");
    char *sv = shmat(id, NULL, 0);
    check(sv != (void *)-1, "shmat");
    sv[0] = 1;
    check(shmdt(sv) == 0, "shmdt");
    shmctl(id, IPC_RMID, NULL);

    /* POSIX shared memory */
    char name[64];
    snprintf(name, sizeof name, "/memtrace_shape_%d", (int)getpid());
    int sfd = shm_open(name, O_CREAT | O_RDWR, 0600);
    check(sfd >= 0, "shm_open");
    check(ftruncate(sfd, 2 * MiB) == 0, "ftruncate shm");
    char *ps = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
    check(ps != MAP_FAILED, "mmap shm");
    close(sfd);
    ps[0] = 1;
    check(munmap(ps, 2 * MiB) == 0, "munmap shm");
    shm_unlink(name);

    /* mremap: grow */
    char *r = map_anon(1 * MiB, PROT_READ | PROT_WRITE);
    r = mremap(r, 1 * MiB, 4 * MiB, MREMAP_MAYMOVE);
    check(r != MAP_FAILED, "mremap");
    check(munmap(r, 4 * MiB) == 0, "munmap remapped");

    /* mprotect: a reservation partly opened */
    char *res = map_anon(2 * MiB, PROT_NONE);
    check(mprotect(res, 512 * KiB, PROT_READ | PROT_WRITE) == 0, "mprotect");
    check(munmap(res, 2 * MiB) == 0, "munmap reservation");

    /* madvise(MADV_DONTNEED) on touched memory */
    char *m = map_anon(1 * MiB, PROT_READ | PROT_WRITE);
    memset(m, 1, 1 * MiB);
    check(madvise(m, 1 * MiB, MADV_DONTNEED) == 0, "madvise");
    check(munmap(m, 1 * MiB) == 0, "munmap advised");

    /* a thread that maps and unmaps */
    pthread_t t;
    check(pthread_create(&t, NULL, thread_maps, (void *)(3 * MiB)) == 0, "pthread_create");
    pthread_join(t, NULL);

    /* a signal */
    signal(SIGUSR1, on_usr1);
    kill(getpid(), SIGUSR1);
    check(usr1 == 1, "SIGUSR1 handled");

    /* the end, for a test that detached: DIR/done says the program ran to its end */
    char done[4096];
    snprintf(done, sizeof done, "%s/done", dir);
    write_file(done, 0);
    return failed;
}

static int threads(int n)
{
    pthread_t t[64];
    if (n > 64)
        n = 64;
    for (long i = 0; i < n; i++)
        check(pthread_create(&t[i], NULL, thread_maps, (void *)(1 * MiB + i * 4096)) == 0, "pthread_create");
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    return failed;
}

static int child(void)
{
    char *p = map_anon(5 * MiB, PROT_READ | PROT_WRITE);
    memset(p, 1, 5 * MiB);
    check(munmap(p, 5 * MiB) == 0, "munmap in child");
    return failed;
}

static int fork_exec(const char *self)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(self, self, "child", (char *)NULL);
        _exit(127);
    }
    check(pid > 0, "fork");
    char *p = map_anon(6 * MiB, PROT_READ | PROT_WRITE);
    check(munmap(p, 6 * MiB) == 0, "munmap in parent");
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child");
    return failed;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "threads") == 0)
        return threads(atoi(argv[2]));
    if (argc == 2 && strcmp(argv[1], "fork-exec") == 0)
        return fork_exec(argv[0]);
    if (argc == 2 && strcmp(argv[1], "child") == 0)
        return child();
    if (argc == 2)
        return shape(argv[1]);
    fprintf(stderr, "usage: memory_shape DIR | threads N | fork-exec | child\n");
    return 2;
}

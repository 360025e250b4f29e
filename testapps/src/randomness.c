/* What a program can see of randomness and of its address space layout.
 *
 * usage: randomness             prints one line:
 *   RESULT urandom=HEX getrandom=HEX at_random=HEX stack=ADDR heap=ADDR libc=ADDR
 *        (16 bytes each from a read of /dev/urandom, getrandom(2), getauxval(AT_RANDOM);
 *         the addresses of a stack variable, a malloc'ed block and a libc function)
 * usage: randomness fds FILE    follows a /dev/urandom fd through dup, close, fork and
 *        exec (FD_CLOEXEC); FILE is any readable file whose first line is printed whenever a
 *        descriptor number that was /dev/urandom's is reused for it:
 *   RESULT first=HEX dup=HEX reused_after_close=LINE child=HEX parent=HEX
 *   RESULT inherited=HEX reused_after_exec=LINE   (printed by the exec'ed image) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

static void hex(char *out, const unsigned char *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", bytes[i]);
    }
}

/* n bytes read from fd, as hex; "error" if the read is short. */
static const char *read_hex(int fd, size_t n) {
    static char out[8][65];
    static int next;
    char *o = out[next++ % 8];
    unsigned char b[32];
    if (read(fd, b, n) != (ssize_t)n) {
        return "error";
    }
    hex(o, b, n);
    return o;
}

/* Opens FILE and prints whether it got the expected descriptor and its first line. */
static const char *reused(const char *file, int expected_fd) {
    static char line[2][128];
    static int next;
    char *l = line[next++ % 2];
    int fd = open(file, O_RDONLY);
    if (fd != expected_fd) {
        snprintf(l, 128, "fd%d-not-fd%d", fd, expected_fd);
    } else {
        ssize_t n = read(fd, l, 127);
        l[n > 0 ? n : 0] = 0;
        l[strcspn(l, "\n")] = 0;
        for (char *p = l; *p; p++) {
            if (*p == ' ') {
                *p = '_';
            }
        }
    }
    close(fd);
    return l;
}

static int fds(const char *self, const char *file) {
    int fd = open("/dev/urandom", O_RDONLY);
    int d = dup(fd);
    const char *first = read_hex(fd, 8);
    const char *dupped = read_hex(d, 8);
    close(fd);
    const char *after_close = reused(file, fd);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("RESULT child=%s\n", read_hex(d, 8));
        return 0;
    }
    waitpid(child, NULL, 0);
    printf("RESULT first=%s dup=%s reused_after_close=%s parent=%s\n", first, dupped, after_close, read_hex(d, 8));
    fflush(stdout);
    int c = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    char cs[16], ds[16];
    snprintf(cs, sizeof cs, "%d", c);
    snprintf(ds, sizeof ds, "%d", d);
    execl(self, self, "after-exec", file, cs, ds, (char *)NULL);
    perror("execl");
    return 1;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "fds") == 0) {
        return fds(argv[0], argv[2]);
    }
    if (argc == 5 && strcmp(argv[1], "after-exec") == 0) {
        const char *inherited = read_hex(atoi(argv[4]), 8);
        printf("RESULT inherited=%s reused_after_exec=%s\n", inherited, reused(argv[2], atoi(argv[3])));
        return 0;
    }
    unsigned char u[16], g[16];
    char uh[33], gh[33], ah[33];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, u, sizeof u) != sizeof u || getrandom(g, sizeof g, 0) != sizeof g) {
        perror("randomness");
        return 1;
    }
    close(fd);
    hex(uh, u, 16);
    hex(gh, g, 16);
    hex(ah, (const unsigned char *)getauxval(AT_RANDOM), 16);
    int local = 0;
    char *block = malloc(16);
    printf("RESULT urandom=%s getrandom=%s at_random=%s stack=%p heap=%p libc=%p\n", uh, gh, ah, (void *)&local,
           (void *)block, (void *)&printf);
    free(block);
    return 0;
}

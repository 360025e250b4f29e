/* Prints the inputs a replay must reproduce: the wall clock, getrandom and /dev/urandom bytes,
 * its pid, the contents of a file (argv[1]), the time-stamp counter, and the greeting a TCP
 * server on 127.0.0.1:argv[2] sends. Exits with status 7. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static void hex(const char *label, const unsigned char *b, size_t n) {
    printf("%s ", label);
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: replay_inputs FILE PORT\n");
        return 2;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("clock %lld.%09ld\n", (long long) ts.tv_sec, ts.tv_nsec);
    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) != sizeof r) return 3;
    hex("getrandom", r, sizeof r);
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, r, sizeof r) != sizeof r) return 4;
    close(fd);
    hex("urandom", r, sizeof r);
    printf("pid %d\n", (int) getpid());
    printf("tsc %llu\n", (unsigned long long) __rdtsc());
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 5; }
    char line[256];
    while (fgets(line, sizeof line, f)) printf("file: %s", line);
    fclose(f);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(s, (struct sockaddr *) &a, sizeof a) != 0) { perror("connect"); return 6; }
    char buf[256];
    ssize_t n, total = 0;
    while ((n = read(s, buf + total, sizeof buf - 1 - total)) > 0) total += n;
    buf[total] = 0;
    printf("server: %s", buf);
    close(s);
    fprintf(stderr, "done\n");
    return 7;
}

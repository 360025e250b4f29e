/* The 2012 Simterpose benchmark: COUNT sends of SIZE bytes from a client to a server that reads
 * them all. The receiver checks the byte pattern and prints the total and its clock span.
 * usage: tcp_sends server PORT COUNT SIZE | tcp_sends client HOST PORT COUNT SIZE */
#include "tcp_common.h"

int main(int argc, char **argv)
{
    int server = argc == 5 && strcmp(argv[1], "server") == 0;
    int client = argc == 6 && strcmp(argv[1], "client") == 0;
    if (!server && !client) {
        fprintf(stderr, "usage: %s server PORT COUNT SIZE | client HOST PORT COUNT SIZE\n", argv[0]);
        return 2;
    }
    long count = atol(argv[client ? 4 : 3]);
    size_t size = (size_t)atol(argv[client ? 5 : 4]);
    unsigned char *buf = malloc(size ? size : 1);
    uint64_t total = (uint64_t)count * size;
    if (server) {
        int lfd = listen_on(atoi(argv[2]), 1);
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            die("accept");
        double start = now_s();
        uint64_t got = 0, bad = 0;
        while (got < total) {
            size_t want = total - got < size ? (size_t)(total - got) : size;
            size_t n = recv_all(fd, buf, want);
            for (size_t i = 0; i < n; i++)
                bad += buf[i] != pattern_byte(got + i);
            got += n;
            if (n < want)
                break;
        }
        printf("RESULT bytes=%llu bad=%llu span=%.9f\n", (unsigned long long)got,
               (unsigned long long)bad, now_s() - start);
        close(fd);
        close(lfd);
        return got == total && bad == 0 ? 0 : 1;
    }
    int fd = connect_to(argv[2], atoi(argv[3]));
    uint64_t off = 0;
    for (long k = 0; k < count; k++) {
        for (size_t i = 0; i < size; i++)
            buf[i] = pattern_byte(off + i);
        send_all(fd, buf, size);
        off += size;
    }
    close(fd);
    printf("RESULT sent=%llu\n", (unsigned long long)off);
    return 0;
}

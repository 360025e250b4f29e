/* Accepts COUNT connections on PORT (one thread each); each connection's bytes are read to EOF
 * and written to OUTDIR/conn-K.bin (or only counted without OUTDIR). Prints one RESULT line per
 * connection with its times on the process's clock (the virtual one under simulation).
 * usage: tcp_server PORT [COUNT [OUTDIR]] */
#include "tcp_common.h"
#include <pthread.h>

struct conn {
    int fd, index;
    double accepted;
    const char *outdir;
};

static void *serve(void *arg)
{
    struct conn *c = arg;
    FILE *out = NULL;
    if (c->outdir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/conn-%d.bin", c->outdir, c->index);
        out = fopen(path, "wb");
        if (!out)
            die(path);
    }
    static __thread unsigned char buf[1 << 16];
    uint64_t total = 0;
    double first = -1;
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("recv");
        }
        if (n == 0)
            break;
        if (first < 0)
            first = now_s();
        if (out && fwrite(buf, 1, (size_t)n, out) != (size_t)n)
            die("fwrite");
        total += (uint64_t)n;
    }
    double eof = now_s();
    if (out)
        fclose(out);
    close(c->fd);
    printf("RESULT conn=%d bytes=%llu accepted=%.9f first_byte=%.9f eof=%.9f\n", c->index,
           (unsigned long long)total, c->accepted, first, eof);
    fflush(stdout);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [COUNT [OUTDIR]]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    int count = argc > 2 ? atoi(argv[2]) : 1;
    const char *outdir = argc > 3 ? argv[3] : NULL;
    double start = now_s();
    int lfd = listen_on(port, count);
    printf("LISTENING port=%d at=%.9f\n", port, start);
    fflush(stdout);
    pthread_t threads[count];
    struct conn conns[count];
    for (int i = 0; i < count; i++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            die("accept");
        conns[i] = (struct conn){.fd = fd, .index = i, .accepted = now_s(), .outdir = outdir};
        pthread_create(&threads[i], NULL, serve, &conns[i]);
    }
    for (int i = 0; i < count; i++)
        pthread_join(threads[i], NULL);
    close(lfd);
    printf("DONE at=%.9f\n", now_s());
    return 0;
}

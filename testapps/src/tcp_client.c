/* Connects to HOST:PORT, sends BYTES bytes of the deterministic pattern (or the contents of
 * FILE), shuts down its sending side, waits for the server's close, and prints a RESULT line:
 * when connect returned, when the last byte was handed to the kernel, when EOF came back.
 * usage: tcp_client HOST PORT BYTES [FILE] */
#include "tcp_common.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s HOST PORT BYTES [FILE]\n", argv[0]);
        return 2;
    }
    uint64_t bytes = strtoull(argv[3], NULL, 10);
    FILE *in = NULL;
    if (argc > 4 && !(in = fopen(argv[4], "rb")))
        die(argv[4]);
    double start = now_s();
    int fd = connect_to(argv[1], atoi(argv[2]));
    double connected = now_s();
    static unsigned char buf[1 << 16];
    uint64_t sent = 0;
    while (sent < bytes) {
        size_t chunk = bytes - sent < sizeof buf ? (size_t)(bytes - sent) : sizeof buf;
        if (in) {
            chunk = fread(buf, 1, chunk, in);
            if (chunk == 0)
                break;
        } else {
            for (size_t i = 0; i < chunk; i++)
                buf[i] = pattern_byte(sent + i);
        }
        send_all(fd, buf, chunk);
        sent += chunk;
    }
    double sent_at = now_s();
    shutdown(fd, SHUT_WR);
    unsigned char c;
    ssize_t n;
    while ((n = recv(fd, &c, 1, 0)) > 0)
        ;
    double closed = now_s();
    close(fd);
    printf("RESULT bytes=%llu start=%.9f connected=%.9f sent=%.9f closed=%.9f\n",
           (unsigned long long)sent, start, connected, sent_at, closed);
    return 0;
}

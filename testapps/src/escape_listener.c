/*
 * Listens on one interface with an AF_PACKET socket and prints, one per line, the route named in
 * every frame that carries "SIMTERPOSE-ESCAPE <route>" (UDP datagram or raw frame alike), until
 * killed. Used by the sandbox conformance test inside a network namespace it creates.
 *
 *   escape_listener IFACE
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s IFACE\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) {
        perror("socket(AF_PACKET)");
        return 1;
    }
    struct sockaddr_ll at;
    memset(&at, 0, sizeof at);
    at.sll_family = AF_PACKET;
    at.sll_protocol = htons(ETH_P_ALL);
    at.sll_ifindex = (int) if_nametoindex(argv[1]);
    if (at.sll_ifindex == 0 || bind(fd, (struct sockaddr *) &at, sizeof at) < 0) {
        perror(argv[1]);
        return 1;
    }
    printf("listening\n");
    static const char tag[] = "SIMTERPOSE-ESCAPE ";
    unsigned char frame[65536];
    for (;;) {
        ssize_t n = recv(fd, frame, sizeof frame, 0);
        if (n < 0) return 1;
        unsigned char *hit = memmem(frame, (size_t) n, tag, sizeof tag - 1);
        if (hit != NULL) {
            unsigned char *word = hit + sizeof tag - 1, *end = word;
            while (end < frame + n && *end > ' ' && *end < 127) end++;
            printf("seen %.*s\n", (int) (end - word), word);
        }
    }
}

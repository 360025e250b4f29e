/* Resolves host names through libc (getaddrinfo, gethostbyname) and prints what the program
 * sees of its own host: gethostname, uname's nodename, /etc/hostname.
 * usage: names NAME...   prints one line per name and per lookup:
 *   RESULT lookup=getaddrinfo name=N addr=A.B.C.D   (addr=fail:<message> on failure)
 *   RESULT lookup=gethostbyname name=N addr=A.B.C.D
 * then: RESULT gethostname=H nodename=H etc_hostname=H */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

static void by_getaddrinfo(const char *name) {
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        printf("RESULT lookup=getaddrinfo name=%s addr=fail:%d\n", name, rc);
        return;
    }
    char buf[INET_ADDRSTRLEN];
    struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
    printf("RESULT lookup=getaddrinfo name=%s addr=%s\n", name, buf);
    freeaddrinfo(res);
}

static void by_gethostbyname(const char *name) {
    struct hostent *h = gethostbyname(name);
    if (h == NULL || h->h_addrtype != AF_INET || h->h_addr_list[0] == NULL) {
        printf("RESULT lookup=gethostbyname name=%s addr=fail:%d\n", name, h_errno);
        return;
    }
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, h->h_addr_list[0], buf, sizeof buf);
    printf("RESULT lookup=gethostbyname name=%s addr=%s\n", name, buf);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        by_getaddrinfo(argv[i]);
        by_gethostbyname(argv[i]);
    }
    char host[256] = "";
    if (gethostname(host, sizeof host) != 0) {
        strcpy(host, "error");
    }
    struct utsname u;
    uname(&u);
    char etc[256] = "missing";
    FILE *f = fopen("/etc/hostname", "r");
    if (f != NULL) {
        if (fgets(etc, sizeof etc, f) == NULL) {
            strcpy(etc, "empty");
        }
        etc[strcspn(etc, "\n")] = 0;
        fclose(f);
    }
    printf("RESULT gethostname=%s nodename=%s etc_hostname=%s\n", host, u.nodename, etc);
    return 0;
}

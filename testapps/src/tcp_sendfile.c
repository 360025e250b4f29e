/* Connects to HOST:PORT and sends FILE with sendfile(2): the first half from the file position
 * (offset NULL: the kernel advances the position), the second half from an explicit offset
 * (the position stays put). Prints what sendfile returned in total, the file position after
 * both halves and the final offset, then closes.
 * usage: tcp_sendfile HOST PORT FILE */
#include "tcp_common.h"
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s HOST PORT FILE\n", argv[0]);
        return 2;
    }
    int file = open(argv[3], O_RDONLY);
    if (file < 0)
        die("open");
    struct stat st;
    if (fstat(file, &st) < 0)
        die("fstat");
    int fd = connect_to(argv[1], atoi(argv[2]));
    off_t half = st.st_size / 2;
    long long sent = 0;
    while (sent < half) {
        ssize_t n = sendfile(fd, file, NULL, half - sent);
        if (n <= 0)
            die("sendfile (position)");
        sent += n;
    }
    off_t offset = half;
    while (offset < st.st_size) {
        ssize_t n = sendfile(fd, file, &offset, st.st_size - offset + 4096); /* asks past the end */
        if (n <= 0)
            die("sendfile (offset)");
        sent += n;
    }
    printf("RESULT sent=%lld pos=%lld offset=%lld\n", sent, (long long)lseek(file, 0, SEEK_CUR),
           (long long)offset);
    close(fd);
    return 0;
}

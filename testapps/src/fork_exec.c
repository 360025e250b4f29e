/* Forks a child; the child forks a grandchild that execs "hello" (path in argv[1]) while the
 * child exits 3; the parent waits for the child and exits with 10 + the child's status. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fork_exec PATH_TO_HELLO\n");
        return 2;
    }
    pid_t child = fork();
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            execl(argv[1], argv[1], (char *)NULL);
            _exit(127);
        }
        int st;
        waitpid(grandchild, &st, 0);
        _exit(3);
    }
    int status;
    waitpid(child, &status, 0);
    return 10 + WEXITSTATUS(status);
}

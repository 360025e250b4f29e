/* Statically linked hello: no ld.so, no vDSO lookups through libc's dynamic path. */
#include <unistd.h>

int main(void)
{
    write(1, "hello static\n", 13);
    return 0;
}

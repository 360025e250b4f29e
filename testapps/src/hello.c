/* Prints one line and exits 0: the smallest program to trace. */
#include <stdio.h>

int main(void)
{
    puts("hello from a traced program");
    return 0;
}

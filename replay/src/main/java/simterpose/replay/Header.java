package simterpose.replay;

import java.util.List;

/**
 * How the recorded program started: its first process's pid, argv and environment (as the
 * new image found them on its stack), working directory, executable, and the initial stack from
 * the exec's stack pointer up to the stack's end (argv, envp, auxv and the strings and
 * AT_RANDOM bytes they point to), which a replay writes back so the program starts from the
 * same bytes. ASLR is off for both runs, so the stack is at the same address.
 *
 * @param auxv the auxiliary vector's (type, value) pairs
 */
public record Header(int pid, List<String> argv, List<String> env, String cwd, Executable executable,
                     long stackPointer, byte[] initialStack, List<long[]> auxv) {
    public Header {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        auxv = List.copyOf(auxv);
    }
}

package simterpose.tracer.syscall;

/**
 * How one syscall argument is printed, strace style. Kinds whose name starts with {@code O} are
 * out-parameters: the kernel fills them, so they are read at syscall exit; all others are read at
 * entry (the tracee may change its memory before the exit). {@link Decoders} holds the code.
 */
public enum Arg {
    // plain values
    INT, UINT, LONG, SIZE, HEX, PTR, FD, DIRFD,
    // strings and buffers
    PATH, STR, IBUF, OBUF, ORANDOM, OPATH, ARGV, ENVP,
    // flag sets and enumerations
    OFLAGS, OMODE, OFLAGS0, MODE, ATFLAGS, ACCESS, PROT, MAPFLAGS, MREMAPFLAGS, MADV, WHENCE,
    AF, SOCKTYPE, SOCKPROTO, SOCKFLAGS, MSGFLAGS, SHUTHOW, SOCKLEVEL, SOCKOPT,
    SIG, SIGHOW, CLOCKID, TIMERFLAGS, WAITOPTS, RLIMITRES, ARCHCODE, PRCTLOP, GRNDFLAGS, EPOLLOP,
    // structures
    ISOCKADDR, OSOCKADDR, OSOCKLEN, ISOCKOPTVAL, OSOCKOPTVAL, ISIGSET, OSIGSET, ISIGACTION, OSIGACTION,
    ITIMESPEC, OTIMESPEC, OTIMEVAL, IIOVEC, OIOVEC, OSTAT, STATXFLAGS, STATXMASK, OSTATX, OFDPAIR, ODIRENTS, OUTSNAME, OWSTATUS,
    IRLIMIT, ORLIMIT, IPOLLFDS, OSYSINFO,
    // out-structures printed as their address (strace decodes them; we only need to know the
    // kernel writes them: {@link MemoryEffects} says how many bytes)
    ORUSAGE, OTMS, OTIME, OITIMERVAL, OINT, OCPUSET, OEPOLLEVENTS, OSTATFS, OGROUPS, OMSGHDR, OSIGINFO,
    // calls whose later arguments depend on an earlier one: this kind prints them all,
    // the following SKIP kinds print nothing
    CLONE, FUTEXOP, FCNTLCMD, IOCTLREQ, SKIP,
    // struct clone_args: read at exit, when the kernel has also written the parent's tid
    CLONE3;

    /**
     * Kinds printed from the register alone (a number, a flag set, an address): decoding them
     * reads no tracee memory, so it may wait until the thread runs again.
     */
    private static final java.util.Set<Arg> FROM_REGISTER = java.util.EnumSet.of(
            INT, UINT, LONG, SIZE, HEX, PTR, FD, DIRFD, OFLAGS, OMODE, OFLAGS0, MODE, ATFLAGS, ACCESS,
            STATXFLAGS, STATXMASK, PROT, MAPFLAGS, MREMAPFLAGS, MADV, WHENCE, AF, SOCKTYPE, SOCKPROTO,
            SOCKFLAGS, MSGFLAGS, SHUTHOW, SOCKLEVEL, SOCKOPT, SIG, SIGHOW, CLOCKID, TIMERFLAGS, WAITOPTS,
            RLIMITRES, ARCHCODE, PRCTLOP, GRNDFLAGS, EPOLLOP, IOCTLREQ, SKIP,
            ORUSAGE, OTMS, OTIME, OITIMERVAL, OINT, OCPUSET, OEPOLLEVENTS, OSTATFS, OGROUPS, OMSGHDR, OSIGINFO);

    /** True when decoding this kind reads tracee memory (at entry, or at exit for out-parameters). */
    public boolean readsMemory() {
        return !FROM_REGISTER.contains(this);
    }

    /** True for out-parameters, decoded once the kernel has written them. */
    public boolean atExit() {
        return this == CLONE3 || name().startsWith("O") && this != OFLAGS && this != OMODE && this != OFLAGS0;
    }
}

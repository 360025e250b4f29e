package simterpose.bindings;

import java.lang.foreign.MemorySegment;

/**
 * errno values of Linux x86_64: symbolic names and libc's description.
 * Names come from one table (index = errno) so decoders and messages agree.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ECHILD = 10,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EINVAL = 22,
            EPIPE = 32, ENOSYS = 38, ENOTSOCK = 88, EADDRINUSE = 98, EADDRNOTAVAIL = 99,
            ENETUNREACH = 101, ECONNRESET = 104, ENOTCONN = 107, ETIMEDOUT = 110,
            ECONNREFUSED = 111, EINPROGRESS = 115,
            ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516;

    /** Socket and descriptor errors the simulated kernel returns (Linux x86_64 numbers). */
    public static final int EBADF = 9, EMFILE = 24, ENOTTY = 25, EDESTADDRREQ = 89, EMSGSIZE = 90,
            EPROTOTYPE = 91, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, ESOCKTNOSUPPORT = 94, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, ECONNABORTED = 103, ENOBUFS = 105, EISCONN = 106, ESHUTDOWN = 108,
            EHOSTUNREACH = 113, EALREADY = 114;

    private static final String[] NAMES = {
        "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
        "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
        "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
        "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG",
        "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP", "41", "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC",
        "EL3HLT", "EL3RST", "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL",
        "ENOANO", "EBADRQC", "EBADSLT", "58", "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR",
        "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO", "EMULTIHOP",
        "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC", "ELIBBAD",
        "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS", "ENOTSOCK",
        "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT",
        "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE",
        "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET",
        "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED",
        "EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM",
        "ENAVAIL", "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED",
        "ENOKEY", "EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE",
        "ERFKILL", "EHWPOISON",
    };

    /** Symbolic name, e.g. {@code ENOENT}; kernel-internal restart codes included. */
    public static String name(int errno) {
        if (errno >= 0 && errno < NAMES.length) {
            return NAMES[errno];
        }
        return switch (errno) {
            case ERESTARTSYS -> "ERESTARTSYS";
            case ERESTARTNOINTR -> "ERESTARTNOINTR";
            case ERESTARTNOHAND -> "ERESTARTNOHAND";
            case 515 -> "ENOIOCTLCMD";
            case ERESTART_RESTARTBLOCK -> "ERESTART_RESTARTBLOCK";
            case 517 -> "EPROBE_DEFER";
            case 518 -> "EOPENSTALE";
            case 519 -> "ENOPARAM";
            default -> Integer.toString(errno);
        };
    }

    /** errno number for a symbolic name, or -1 if unknown. */
    public static int byName(String name) {
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** char *strerror(int), called through {@link CCall} (no downcall handle of its own to link at start-up). */
    private static final MemorySegment STRERROR = CCall.function("strerror");

    /** libc's text for errno (strerror), e.g. "No such file or directory". */
    public static String describe(int errno) {
        return switch (errno) {
            case ERESTARTSYS, ERESTARTNOINTR -> "To be restarted";
            case ERESTARTNOHAND -> "To be restarted if no handler";
            case ERESTART_RESTARTBLOCK -> "Interrupted by signal";
            default -> {
                long text = CCall.call(STRERROR, errno, 0, 0, 0, 0, 0);
                yield MemorySegment.ofAddress(text).reinterpret(256).getString(0);
            }
        };
    }
}

package simterpose.tracer.addressspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The few other {@code /proc} facts memory accounting needs. Each returns a neutral value if the process is gone. */
public final class ProcFs {
    private ProcFs() {}

    /** {@code start_brk} (field 47 of {@code /proc/PID/stat}): where the brk area begins; 0 if unknown. */
    public static long startBrk(int pid) {
        return statField(pid, 47);
    }

    /** The thread group (process) of a thread, from {@code /proc/TID/status}; -1 if gone. */
    public static int tgid(int tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(tid), "status"))) {
                if (line.startsWith("Tgid:")) {
                    return Integer.parseInt(line.substring(5).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return -1;
    }

    /** The program a process runs ({@code /proc/PID/exe}); null if gone. */
    public static String exe(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** What fd {@code fd} of {@code pid} names ({@code /proc/PID/fd/FD}); null if not open. */
    public static String fdPath(int pid, long fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "fd", Long.toString(fd))).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The size in bytes of SysV shared memory segment {@code shmid} ({@code /proc/sysvipc/shm}); -1 if none. */
    public static long sysvShmSize(long shmid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sysvipc/shm"));
            // header: key shmid perms size cpid lpid nattch ...
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 3 && f[1].equals(Long.toString(shmid))) {
                    return Long.parseLong(f[3]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no SysV IPC here
        }
        return -1;
    }

    /** Resident bytes of a process ({@code /proc/PID/statm}, second field, × page size); -1 if gone. */
    public static long residentBytes(int pid) {
        try {
            String[] f = Files.readString(Path.of("/proc", Integer.toString(pid), "statm")).strip().split(" ");
            return Long.parseLong(f[1]) * AddressSpace.PAGE;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statField(int pid, int field) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseUnsignedLong(f[field - 3]); // fields 1 (pid) and 2 (comm) precede ')'
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

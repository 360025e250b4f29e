package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EINVAL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * A process's table of <em>virtual</em> fds: fd number → open file description + FD_CLOEXEC.
 * The numbers are chosen by the mediation layer (it keeps a real placeholder fd open in the
 * tracee under each number, so real and virtual fds never collide); this table only records the
 * number it is given. Real fds (files, pipes) are not in it.
 *
 * <p>The threads of a process share one table (CLONE_FILES); a fork gets a copy whose entries
 * share the open file descriptions ({@link #forkCopy()}); exec drops the FD_CLOEXEC entries
 * ({@link #exec()}). Closing the last fd of a description releases its file.
 *
 * <p>Threading: engine thread or the running actor only.
 */
public final class FdTable {
    /** One fd: the description it refers to and its FD_CLOEXEC flag. */
    public record Entry(OpenFile file, boolean cloexec) {}

    private final TreeMap<Integer, Entry> entries = new TreeMap<>();
    /** Processes using this table (more than one after clone with CLONE_FILES but not CLONE_THREAD). */
    private int users = 1;
    /** fds installed or closed so far: a program opening and closing files makes progress. */
    private long changes;

    /** Records {@code fd → file}; an fd already there is closed first (as dup2 does). */
    public void install(int fd, OpenFile file, boolean cloexec) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        file.retain();
        changes++;
        Entry old = entries.put(fd, new Entry(file, cloexec));
        if (old != null) {
            old.file().drop();
        }
    }

    public OpenFile get(int fd) {
        Entry e = entries.get(fd);
        return e == null ? null : e.file();
    }

    public boolean contains(int fd) {
        return entries.containsKey(fd);
    }

    /** How many times an fd was installed or closed (the poll family's progress test, {@code BusyPoll}). */
    public long changes() {
        return changes;
    }

    /** The fds in use, ascending. */
    public NavigableSet<Integer> fds() {
        return Collections.unmodifiableNavigableSet(entries.navigableKeySet());
    }

    /** close(fd): EBADF if it is not a virtual fd of this table. */
    public SysResult<Integer> close(int fd) {
        Entry e = entries.remove(fd);
        if (e == null) {
            return SysResult.errno(EBADF);
        }
        changes++;
        e.file().drop();
        return SysResult.done(0);
    }

    /**
     * dup, fcntl(F_DUPFD / F_DUPFD_CLOEXEC): {@code newFd} is the free number the caller chose
     * (lowest free ≥ the F_DUPFD argument, counting real fds too).
     */
    public SysResult<Integer> dup(int oldFd, int newFd, boolean cloexec) {
        Entry e = entries.get(oldFd);
        if (e == null) {
            return SysResult.errno(EBADF);
        }
        install(newFd, e.file(), cloexec);
        return SysResult.done(newFd);
    }

    /** dup2: same fd → itself untouched; otherwise {@code newFd} is closed first; FD_CLOEXEC cleared. */
    public SysResult<Integer> dup2(int oldFd, int newFd) {
        Entry e = entries.get(oldFd);
        if (e == null) {
            return SysResult.errno(EBADF);
        }
        if (oldFd != newFd) {
            install(newFd, e.file(), false);
        }
        return SysResult.done(newFd);
    }

    /** dup3: like dup2 but EINVAL for the same fd or flags other than O_CLOEXEC. */
    public SysResult<Integer> dup3(int oldFd, int newFd, int flags) {
        if (oldFd == newFd || (flags & ~LinuxNet.O_CLOEXEC) != 0) {
            return SysResult.errno(EINVAL);
        }
        Entry e = entries.get(oldFd);
        if (e == null) {
            return SysResult.errno(EBADF);
        }
        install(newFd, e.file(), (flags & LinuxNet.O_CLOEXEC) != 0);
        return SysResult.done(newFd);
    }

    /** fcntl(F_GETFD). */
    public SysResult<Integer> fdFlags(int fd) {
        Entry e = entries.get(fd);
        return e == null ? SysResult.errno(EBADF) : SysResult.done(e.cloexec() ? LinuxNet.FD_CLOEXEC : 0);
    }

    /** fcntl(F_SETFD). */
    public SysResult<Integer> setFdFlags(int fd, int flags) {
        Entry e = entries.get(fd);
        if (e == null) {
            return SysResult.errno(EBADF);
        }
        entries.put(fd, new Entry(e.file(), (flags & LinuxNet.FD_CLOEXEC) != 0));
        return SysResult.done(0);
    }

    /** The table a forked child starts with: same fds, same descriptions (shared offsets and flags). */
    public FdTable forkCopy() {
        FdTable copy = new FdTable();
        for (var en : entries.entrySet()) {
            en.getValue().file().retain();
            copy.entries.put(en.getKey(), en.getValue());
        }
        return copy;
    }

    /** execve: closes the FD_CLOEXEC fds; returns their numbers (the caller closes the placeholders). */
    public List<Integer> exec() {
        List<Integer> closed = new ArrayList<>();
        for (var en : List.copyOf(entries.entrySet())) {
            if (en.getValue().cloexec()) {
                closed.add(en.getKey());
                close(en.getKey());
            }
        }
        return closed;
    }

    /** One more process uses this very table (CLONE_FILES). */
    FdTable share() {
        users++;
        return this;
    }

    /** A process using this table exited: the last one out closes every fd. */
    void leave() {
        if (--users == 0) {
            closeAll();
        }
    }

    /** Closes every fd, in ascending order. */
    public void closeAll() {
        for (int fd : List.copyOf(entries.keySet())) {
            close(fd);
        }
    }
}

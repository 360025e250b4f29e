package simterpose.tracer.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Expected lines are copied from strace 6.1 traces of small programs on this machine. */
class SyscallFormatterTest {
    private final FakeMemory mem = new FakeMemory();
    private final SyscallFormatter fmt = new SyscallFormatter();

    private String line(String name, long ret, long... args) {
        PendingCall call = fmt.onEntry(42, SyscallTable.byName(name).orElseThrow().number(), args, mem);
        return fmt.onExit(call, ret, mem);
    }

    private static byte[] sockaddrIn(int port, int a, int b, int c, int d) {
        return new byte[] {2, 0, (byte) (port >> 8), (byte) port, (byte) a, (byte) b, (byte) c, (byte) d,
            0, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void pathsFlagsAndAlignment() {
        long path = mem.putString("/etc/ld.so.cache");
        assertThat(line("openat", 3, -100, path, 02000000, 0))
                .isEqualTo("openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3");
        long tmp = mem.putString("/tmp/x.tmp");
        assertThat(line("openat", 5, -100, tmp, 01 | 0100 | 01000, 0644))
                .isEqualTo("openat(AT_FDCWD, \"/tmp/x.tmp\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 5");
        assertThat(line("brk", 0x555ec7b2c000L, 0)).isEqualTo("brk(NULL)                               = 0x555ec7b2c000");
        assertThat(line("close", 0, 3)).isEqualTo("close(3)                                = 0");
        assertThat(line("listen", 0, 3, 5)).isEqualTo("listen(3, 5)                            = 0");
    }

    @Test
    void errorsPrintTheErrnoNameAndText() {
        long path = mem.putString("/etc/ld.so.preload");
        assertThat(line("access", -2, path, 4))
                .isEqualTo("access(\"/etc/ld.so.preload\", R_OK)      = -1 ENOENT (No such file or directory)");
        assertThat(line("close", -9, -1)).isEqualTo("close(-1)                               = -1 EBADF (Bad file descriptor)");
        assertThat(line("nanosleep", -514, mem.putLongs(1, 0), 0))
                .isEqualTo("nanosleep({tv_sec=1, tv_nsec=0}, NULL)  = ? ERESTARTNOHAND (To be restarted if no handler)");
    }

    @Test
    void memoryMappingsPrintProtAndMapFlags() {
        assertThat(line("mmap", 0x7f01750c2000L, 0, 8192, 3, 0x22, -1, 0))
                .isEqualTo("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f01750c2000");
        assertThat(line("mmap", 0x7f964d798000L, 0x7f964d798000L, 1400832, 5, 0x812, 3, 0x26000))
                .isEqualTo("mmap(0x7f964d798000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f964d798000");
        assertThat(line("mprotect", 0, 0x7f964d941000L, 16384, 1))
                .isEqualTo("mprotect(0x7f964d941000, 16384, PROT_READ) = 0");
    }

    @Test
    void readBuffersAreDecodedAtExitAndCutAtStrsize() {
        byte[] elf = new byte[832];
        byte[] head = {0x7f, 'E', 'L', 'F', 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, '>', 0, 1, 0, 0, 0, 0x10, 't', 2,
            0, 0, 0, 0, 0};
        long buf = mem.put(new byte[832]);
        PendingCall call = fmt.onEntry(1, 0, new long[] {3, buf, 832}, mem);
        System.arraycopy(head, 0, elf, 0, head.length);
        mem.poke(buf, elf); // the kernel fills the buffer between entry and exit
        assertThat(fmt.onExit(call, 832, mem)).isEqualTo(
                "read(3, \"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0\"..., 832) = 832");
        byte[] msg = "hello\0world\1\u00108".getBytes(StandardCharsets.ISO_8859_1);
        byte[] sixteen = java.util.Arrays.copyOf("hello\0world\1\u0010" .getBytes(StandardCharsets.ISO_8859_1), 16);
        sixteen[13] = '8';
        sixteen[14] = '9';
        long w = mem.put(sixteen);
        assertThat(line("write", 16, 7, w, 16)).isEqualTo("write(7, \"hello\\0world\\1\\2089\\0\", 16)   = 16");
        assertThat(msg).isNotEmpty();
        assertThat(line("read", -11, 6, w, 100)).isEqualTo("read(6, 0x" + Long.toHexString(w) + ", 100)            = -1 EAGAIN (Resource temporarily unavailable)");
        SyscallFormatter small = new SyscallFormatter(4);
        PendingCall c2 = small.onEntry(1, 1, new long[] {1, mem.putString("hello\n"), 6}, mem);
        assertThat(small.onExit(c2, 6, mem)).startsWith("write(1, \"hell\"..., 6)");
    }

    @Test
    void socketCallsPrintDomainsAndAddresses() {
        assertThat(line("socket", 3, 2, 1 | 02000000, 0)).isEqualTo("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3");
        assertThat(line("socket", 8, 1, 1, 0)).isEqualTo("socket(AF_UNIX, SOCK_STREAM, 0)         = 8");
        long sin = mem.put(sockaddrIn(8080, 127, 0, 0, 1));
        assertThat(line("bind", 0, 3, sin, 16)).isEqualTo(
                "bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");
        byte[] six = new byte[28];
        six[0] = 10;
        six[3] = 80;
        six[23] = 1;
        assertThat(line("connect", 0, 4, mem.put(six), 28)).isEqualTo(
                "connect(4, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0");
        byte[] un = new byte[19];
        un[0] = 1;
        System.arraycopy("/tmp/nosuch.sock".getBytes(StandardCharsets.US_ASCII), 0, un, 2, 16);
        assertThat(line("connect", -2, 8, mem.put(un), 19)).isEqualTo(
                "connect(8, {sa_family=AF_UNIX, sun_path=\"/tmp/nosuch.sock\"}, 19) = -1 ENOENT (No such file or directory)");
    }

    @Test
    void acceptShowsThePeerAndTheLengthChange() {
        long addr = mem.put(new byte[128]);
        long len = mem.putInts(128);
        PendingCall call = fmt.onEntry(1, 43, new long[] {3, addr, len}, mem);
        mem.poke(addr, sockaddrIn(51234, 127, 0, 0, 1));
        mem.poke(len, new byte[] {16, 0, 0, 0});
        assertThat(fmt.onExit(call, 5, mem)).isEqualTo(
                "accept(3, {sa_family=AF_INET, sin_port=htons(51234), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 5");
        long len16 = mem.putInts(16);
        long a2 = mem.put(sockaddrIn(8080, 127, 0, 0, 1));
        assertThat(line("getsockname", 0, 3, a2, len16)).isEqualTo(
                "getsockname(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0");
    }

    @Test
    void timeStructsIovecsAndSignals() {
        assertThat(line("clock_nanosleep", 0, 0, 0, mem.putLongs(0, 1000), 0))
                .isEqualTo("clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0");
        long ts = mem.put(new byte[16]);
        PendingCall call = fmt.onEntry(1, 228, new long[] {1, ts}, mem);
        mem.poke(ts, java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(12).putLong(345).array());
        assertThat(fmt.onExit(call, 0, mem)).isEqualTo("clock_gettime(CLOCK_MONOTONIC, {tv_sec=12, tv_nsec=345}) = 0");
        long iov = mem.putLongs(mem.putString("ab"), 2, mem.putString("c\n"), 2);
        assertThat(line("writev", 4, 5, iov, 2))
                .isEqualTo("writev(5, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"c\\n\", iov_len=2}], 2) = 4");
        long set = mem.putLongs((1L << 1) | (1L << 14));
        assertThat(line("rt_sigprocmask", 0, 0, set, 0, 8)).isEqualTo("rt_sigprocmask(SIG_BLOCK, [INT TERM], NULL, 8) = 0");
        long act = mem.putLongs(0x5642a4785dc0L, 0x04000000, 0x7f964d7ae050L, ~((1L << 31) | (1L << 32)));
        assertThat(line("rt_sigaction", 0, 17, act, 0, 8)).isEqualTo(
                "rt_sigaction(SIGCHLD, {sa_handler=0x5642a4785dc0, sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER, sa_restorer=0x7f964d7ae050}, NULL, 8) = 0");
    }

    @Test
    void statPipeFcntlAndProcessCalls() {
        long st = mem.put(new byte[144]);
        PendingCall call = fmt.onEntry(1, 262, new long[] {3, mem.putString(""), st, 0x1000}, mem);
        byte[] filled = new byte[144];
        filled[24] = (byte) 0xa4; // st_mode = S_IFREG|0644 = 0100644
        filled[25] = (byte) 0x81;
        filled[48] = (byte) 0x8b; // st_size = 39307
        filled[49] = (byte) 0x99;
        mem.poke(st, filled);
        assertThat(fmt.onExit(call, 0, mem))
                .isEqualTo("newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=39307, ...}, AT_EMPTY_PATH) = 0");
        long fds = mem.put(new byte[8]);
        PendingCall pipe = fmt.onEntry(1, 293, new long[] {fds, 0}, mem);
        mem.poke(fds, new byte[] {6, 0, 0, 0, 7, 0, 0, 0});
        assertThat(fmt.onExit(pipe, 0, mem)).isEqualTo("pipe2([6, 7], 0)                        = 0");
        assertThat(line("fcntl", 0, 5, 2, 1)).isEqualTo("fcntl(5, F_SETFD, FD_CLOEXEC)           = 0");
        assertThat(line("fcntl", 1, 5, 1)).isEqualTo("fcntl(5, F_GETFD)                       = 0x1 (flags FD_CLOEXEC)");
        assertThat(line("fcntl", 0x8001, 5, 3)).isEqualTo("fcntl(5, F_GETFL)                       = 0x8001 (flags O_WRONLY|O_LARGEFILE)");
        assertThat(line("lseek", 4, 5, 0, 1)).isEqualTo("lseek(5, 0, SEEK_CUR)                   = 4");
        assertThat(line("clone", 6057, 0x1200011, 0, 0, 0x7f964d76fa10L, 0)).isEqualTo(
                "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f964d76fa10) = 6057");
        long argv = mem.putLongs(mem.putString("sh"), mem.putString("-c"), mem.putString("echo a | cat; ls /nonexist"), 0);
        long envp = mem.putLongs(mem.putString("A=1"), mem.putString("B=2"), 0);
        assertThat(line("execve", 0, mem.putString("/usr/bin/sh"), argv, envp)).isEqualTo(
                "execve(\"/usr/bin/sh\", [\"sh\", \"-c\", \"echo a | cat; ls /nonexist\"], 0x" + Long.toHexString(envp)
                        + " /* 2 vars */) = 0");
        PendingCall exit = fmt.onEntry(1, 231, new long[] {0}, mem);
        assertThat(fmt.noReturn(exit, 0)).isEqualTo("exit_group(0)                           = ?");
        long status = mem.putInts(0);
        assertThat(line("wait4", 6057, -1, status, 0, 0)).isEqualTo(
                "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 6057");
        assertThat(line("futex", 0, 0x7f00L, 0x189, 0, 0, 0, -1)).isEqualTo(
                "futex(0x7f00, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY) = 0");
        assertThat(line("prlimit64", 0, 0, 3, 0, mem.putLongs(8192 * 1024, -1))).isEqualTo(
                "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
        assertThat(line("getrandom", 8, mem.put(new byte[] {(byte) 0xd7, (byte) 0xad, (byte) 0xef, (byte) 0xe4,
            (byte) 0xf2, (byte) 0x9e, 0x1c, 0x2a}), 8, 1)).isEqualTo(
                "getrandom(\"\\xd7\\xad\\xef\\xe4\\xf2\\x9e\\x1c\\x2a\", 8, GRND_NONBLOCK) = 8");
    }

    @Test
    void clone3ShowsItsArgumentsAndTheTidWrittenBack() {
        long tidWord = mem.putInts(0);
        long args = mem.putLongs(0x3d0f00, 0, tidWord, tidWord, 0, 0x7f4a0a640000L, 0x7fff80, 0x7f4a0ae406c0L);
        PendingCall call = fmt.onEntry(1, 435, new long[] {args, 88}, mem);
        mem.poke(tidWord, new byte[] {(byte) 0x2e, 0x70, 0, 0}); // 28718
        assertThat(fmt.onExit(call, 28718, mem)).isEqualTo("clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
                + "|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x"
                + Long.toHexString(tidWord) + ", parent_tid=0x" + Long.toHexString(tidWord)
                + ", exit_signal=0, stack=0x7f4a0a640000, stack_size=0x7fff80, tls=0x7f4a0ae406c0}"
                + " => {parent_tid=[28718]}, 88) = 28718");
    }

    @Test
    void statxNamesItsMaskAndSummarisesTheResult() {
        long buf = mem.put(new byte[256]);
        PendingCall call = fmt.onEntry(1, 332, new long[] {-100, mem.putString("/"), 0x900, 0x25e, buf}, mem);
        byte[] result = new byte[256];
        result[0] = (byte) 0xff; // stx_mask = 0x17ff
        result[1] = 0x17;
        result[9] = 0x20; // stx_attributes = 0x2000
        result[28] = (byte) 0xed; // stx_mode = 040755
        result[29] = 0x41;
        result[41] = 0x10; // stx_size = 4096
        mem.poke(buf, result);
        assertThat(fmt.onExit(call, 0, mem)).isEqualTo("statx(AT_FDCWD, \"/\", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW"
                + "|AT_NO_AUTOMOUNT, STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_MTIME|STATX_SIZE, {stx_mask="
                + "STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFDIR|0755, "
                + "stx_size=4096, ...}) = 0");
    }

    @Test
    void pollShowsRequestedEventsAndWhatHappened() {
        long fds = mem.put(new byte[] {3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0});
        PendingCall call = fmt.onEntry(1, 7, new long[] {fds, 2, 1000}, mem);
        mem.poke(fds + 14, new byte[] {0x11, 0}); // fd 4: POLLIN|POLLHUP
        assertThat(fmt.onExit(call, 1, mem)).isEqualTo(
                "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN}], 2, 1000) = 1 ([{fd=4, revents=POLLIN|POLLHUP}])");
        PendingCall idle = fmt.onEntry(1, 7, new long[] {fds, 1, 0}, mem);
        assertThat(fmt.onExit(idle, 0, mem)).isEqualTo("poll([{fd=3, events=POLLIN}], 1, 0)     = 0 (Timeout)");
    }

    @Test
    void unknownNumbersAndUndecodedRowsPrintHex() {
        PendingCall call = fmt.onEntry(1, 999, new long[] {1, 0, 0x20, 0, 0, 0}, mem);
        assertThat(fmt.onExit(call, -38, mem)).isEqualTo(
                "syscall_0x3e7(0x1, 0, 0x20, 0, 0, 0)    = -1 ENOSYS (Function not implemented)");
        assertThat(line("mseal", 0, 0x1000, 0x2000, 0)).isEqualTo("mseal(0x1000, 0x2000, 0)                = 0");
    }

    @Test
    void unreadableMemoryPrintsTheAddress() {
        assertThat(line("openat", -14, -100, 0xdead0000L, 0, 0))
                .isEqualTo("openat(AT_FDCWD, 0xdead0000, O_RDONLY)  = -1 EFAULT (Bad address)");
    }
}

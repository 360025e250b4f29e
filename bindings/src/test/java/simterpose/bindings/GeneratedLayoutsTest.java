package simterpose.bindings;

import org.junit.jupiter.api.Test;
import simterpose.bindings.linux.Linux;
import simterpose.bindings.linux.iovec;
import simterpose.bindings.linux.seccomp_data;
import simterpose.bindings.linux.siginfo_t;
import simterpose.bindings.linux.sock_filter;
import simterpose.bindings.linux.sock_fprog;
import simterpose.bindings.linux.user_regs_struct;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated constants and layouts carry the x86_64 kernel ABI values that the tracer relies
 * on (numbers from the kernel's uapi headers and man pages, written out here independently).
 */
class GeneratedLayoutsTest {
    @Test
    void ptraceRequestsOptionsAndEventsHaveTheirKernelValues() {
        assertThat(Linux.PTRACE_SEIZE()).isEqualTo(0x4206);
        assertThat(Linux.PTRACE_INTERRUPT()).isEqualTo(0x4207);
        assertThat(Linux.PTRACE_GETEVENTMSG()).isEqualTo(0x4201);
        assertThat(Linux.PTRACE_GETREGS()).isEqualTo(12);
        assertThat(Linux.PTRACE_CONT()).isEqualTo(7);
        assertThat(Linux.PTRACE_O_EXITKILL()).isEqualTo(1 << 20);
        assertThat(Linux.PTRACE_O_TRACESECCOMP()).isEqualTo(0x80);
        assertThat(Linux.PTRACE_O_TRACESYSGOOD()).isEqualTo(1);
        assertThat(Linux.PTRACE_EVENT_EXEC()).isEqualTo(4);
        assertThat(Linux.PTRACE_EVENT_SECCOMP()).isEqualTo(7);
        assertThat(Linux.PTRACE_EVENT_STOP()).isEqualTo(128);
    }

    @Test
    void seccompBpfAuditAndPrctlConstantsHaveTheirKernelValues() {
        assertThat(Linux.SECCOMP_RET_TRACE()).isEqualTo(0x7ff00000);
        assertThat(Linux.SECCOMP_RET_ALLOW()).isEqualTo(0x7fff0000);
        assertThat(Linux.SECCOMP_RET_KILL_PROCESS()).isEqualTo(0x80000000);
        assertThat(Linux.SECCOMP_SET_MODE_FILTER()).isEqualTo(1);
        // EM_X86_64 (62) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE; a negative int in Java, as in BPF's k.
        assertThat(Linux.AUDIT_ARCH_X86_64()).isEqualTo(0xC000003E);
        assertThat(Linux.BPF_LD() | Linux.BPF_W() | Linux.BPF_ABS()).isEqualTo(0x20);
        assertThat(Linux.BPF_JMP() | Linux.BPF_JEQ() | Linux.BPF_K()).isEqualTo(0x15);
        assertThat(Linux.BPF_RET() | Linux.BPF_K()).isEqualTo(0x06);
        assertThat(Linux.PR_SET_NO_NEW_PRIVS()).isEqualTo(38);
        assertThat(Linux.PR_SET_TSC()).isEqualTo(26);
        assertThat(Linux.PR_TSC_SIGSEGV()).isEqualTo(2);
        assertThat(Linux.PR_SET_PDEATHSIG()).isEqualTo(1);
        assertThat(Linux.ADDR_NO_RANDOMIZE()).isEqualTo(0x0040000);
        assertThat(Linux.AT_SYSINFO_EHDR()).isEqualTo(33);
    }

    @Test
    void waitSignalAndOpenFlagsHaveTheirKernelValues() {
        assertThat(Linux.__WALL()).isEqualTo(0x40000000);
        assertThat(Linux.__WNOTHREAD()).isEqualTo(0x20000000);
        assertThat(Linux.WNOHANG()).isEqualTo(1);
        assertThat(Linux.WUNTRACED()).isEqualTo(2);
        assertThat(Linux.WCONTINUED()).isEqualTo(8);
        assertThat(Linux.SIGKILL()).isEqualTo(9);
        assertThat(Linux.SIGSTOP()).isEqualTo(19);
        assertThat(Linux.SIGCONT()).isEqualTo(18);
        assertThat(Linux.SIGCHLD()).isEqualTo(17);
        assertThat(Linux.SIGSYS()).isEqualTo(31);
        assertThat(Linux.SYS_SECCOMP()).isEqualTo(1);
        assertThat(Linux.O_CLOEXEC()).isEqualTo(0x80000);
        assertThat(Linux.O_CREAT()).isEqualTo(0x40);
        assertThat(Linux.O_TRUNC()).isEqualTo(0x200);
        assertThat(Linux.O_APPEND()).isEqualTo(0x400);
        assertThat(Linux.O_WRONLY()).isEqualTo(1);
        assertThat(Linux.CLONE_FILES()).isEqualTo(0x400);
        assertThat(Linux.CLONE_THREAD()).isEqualTo(0x10000);
    }

    @Test
    void userRegsStructMatchesTheX8664PtraceLayout() {
        assertThat(user_regs_struct.sizeof()).isEqualTo(216);
        assertThat(user_regs_struct.r15$offset()).isZero();
        assertThat(user_regs_struct.rax$offset()).isEqualTo(80);
        assertThat(user_regs_struct.rip$offset()).isEqualTo(128);
        assertThat(user_regs_struct.orig_rax$offset()).isEqualTo(120);
        assertThat(user_regs_struct.rdi$offset()).isEqualTo(112);
        assertThat(user_regs_struct.rsp$offset()).isEqualTo(152);
        assertThat(user_regs_struct.fs_base$offset()).isEqualTo(168);
    }

    @Test
    void seccompAndBpfStructsMatchTheKernelLayout() {
        assertThat(seccomp_data.sizeof()).isEqualTo(64);
        assertThat(seccomp_data.nr$offset()).isZero();
        assertThat(seccomp_data.arch$offset()).isEqualTo(4);
        assertThat(seccomp_data.instruction_pointer$offset()).isEqualTo(8);
        assertThat(seccomp_data.args$offset()).isEqualTo(16);
        assertThat(sock_filter.sizeof()).isEqualTo(8);
        assertThat(sock_filter.k$offset()).isEqualTo(4);
        assertThat(sock_fprog.sizeof()).isEqualTo(16);
        assertThat(sock_fprog.filter$offset()).isEqualTo(8);
    }

    @Test
    void siginfoAndIovecHaveTheirAbiSizes() {
        assertThat(siginfo_t.sizeof()).isEqualTo(128);
        assertThat(siginfo_t.si_signo$offset()).isZero();
        assertThat(siginfo_t.si_code$offset()).isEqualTo(8);
        assertThat(iovec.sizeof()).isEqualTo(16);
        assertThat(iovec.iov_len$offset()).isEqualTo(8);
    }
}

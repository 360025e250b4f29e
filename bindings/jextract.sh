#!/bin/sh
# Regenerates bindings/src/main/java/simterpose/bindings/linux from src/main/native/simterpose_linux.h.
# Usage: bindings/jextract.sh            (jextract on PATH)
#        JEXTRACT=/path/to/jextract bindings/jextract.sh
# Only the symbols listed below are generated: add a name here (and, if needed, its header to
# simterpose_linux.h), re-run, and commit the regenerated sources together with this script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
header="$here/src/main/native/simterpose_linux.h"
out="$here/src/main/java"
pkg_dir="$out/simterpose/bindings/linux"

jextract=${JEXTRACT:-jextract}
if ! command -v "$jextract" >/dev/null 2>&1; then
    cat >&2 <<MSG
jextract.sh: cannot find jextract ('$jextract').
  Get a build for JDK 25 from https://jdk.java.net/jextract/ (or build https://github.com/openjdk/jextract
  against libclang), then run:  JEXTRACT=/path/to/jextract/bin/jextract bindings/jextract.sh
MSG
    exit 1
fi

# Functions: tracing, launching (posix_spawn and the calls a spawned child needs), tracee shaping.
functions="
ptrace waitpid kill tgkill process_vm_readv process_vm_writev
posix_spawn posix_spawnp
posix_spawn_file_actions_init posix_spawn_file_actions_destroy
posix_spawn_file_actions_addopen posix_spawn_file_actions_addclose posix_spawn_file_actions_adddup2
posix_spawn_file_actions_addchdir_np posix_spawn_file_actions_addclosefrom_np
posix_spawnattr_init posix_spawnattr_destroy posix_spawnattr_setflags posix_spawnattr_setpgroup
posix_spawnattr_setsigmask posix_spawnattr_setsigdefault
sigemptyset sigfillset sigaddset
ioctl prctl sched_setaffinity sched_getaffinity personality
setpgid getpid getppid gettid open close read write unlink mkfifo pipe pipe2 dup2
"
vars="environ"
structs="user_regs_struct iovec sock_filter sock_fprog seccomp_data seccomp_notif seccomp_notif_resp sched_param"
unions="sigval"  # siginfo_t carries a union sigval
typedefs="siginfo_t __sigset_t sigset_t cpu_set_t posix_spawn_file_actions_t posix_spawnattr_t pid_t"
constants="
PTRACE_TRACEME PTRACE_PEEKTEXT PTRACE_PEEKDATA PTRACE_PEEKUSER PTRACE_POKETEXT PTRACE_POKEDATA
PTRACE_POKEUSER PTRACE_CONT PTRACE_KILL PTRACE_SINGLESTEP PTRACE_GETREGS PTRACE_SETREGS
PTRACE_ATTACH PTRACE_DETACH PTRACE_SYSCALL PTRACE_SETOPTIONS PTRACE_GETEVENTMSG
PTRACE_GETSIGINFO PTRACE_SETSIGINFO PTRACE_GETREGSET PTRACE_SETREGSET PTRACE_SEIZE
PTRACE_INTERRUPT PTRACE_LISTEN PTRACE_GETSIGMASK PTRACE_SETSIGMASK PTRACE_GET_SYSCALL_INFO
PTRACE_O_TRACESYSGOOD PTRACE_O_TRACEFORK PTRACE_O_TRACEVFORK PTRACE_O_TRACECLONE
PTRACE_O_TRACEEXEC PTRACE_O_TRACEVFORKDONE PTRACE_O_TRACEEXIT PTRACE_O_TRACESECCOMP
PTRACE_O_EXITKILL PTRACE_O_SUSPEND_SECCOMP
PTRACE_EVENT_FORK PTRACE_EVENT_VFORK PTRACE_EVENT_CLONE PTRACE_EVENT_EXEC
PTRACE_EVENT_VFORK_DONE PTRACE_EVENT_EXIT PTRACE_EVENT_SECCOMP PTRACE_EVENT_STOP
WNOHANG WUNTRACED WSTOPPED WEXITED WCONTINUED WNOWAIT __WALL __WNOTHREAD __WCLONE
SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2
SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG
SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS __SIGRTMIN __SIGRTMAX
SI_USER SI_KERNEL SI_TKILL SYS_SECCOMP
CLD_EXITED CLD_KILLED CLD_DUMPED CLD_TRAPPED CLD_STOPPED CLD_CONTINUED
POSIX_SPAWN_RESETIDS POSIX_SPAWN_SETPGROUP POSIX_SPAWN_SETSIGDEF POSIX_SPAWN_SETSIGMASK
POSIX_SPAWN_SETSCHEDPARAM POSIX_SPAWN_SETSCHEDULER POSIX_SPAWN_USEVFORK POSIX_SPAWN_SETSID
O_RDONLY O_WRONLY O_RDWR O_CREAT O_EXCL O_TRUNC O_APPEND O_NONBLOCK O_CLOEXEC
PR_SET_PDEATHSIG PR_GET_PDEATHSIG PR_SET_NAME PR_GET_NAME PR_SET_SECCOMP PR_GET_SECCOMP
PR_SET_TSC PR_GET_TSC PR_TSC_ENABLE PR_TSC_SIGSEGV PR_SET_NO_NEW_PRIVS PR_GET_NO_NEW_PRIVS
PR_SET_PTRACER PR_SET_CHILD_SUBREAPER
ADDR_NO_RANDOMIZE
CLONE_VM CLONE_FS CLONE_FILES CLONE_SIGHAND CLONE_PIDFD CLONE_PTRACE CLONE_VFORK CLONE_PARENT
CLONE_THREAD CLONE_NEWNS CLONE_SYSVSEM CLONE_SETTLS CLONE_PARENT_SETTID CLONE_CHILD_CLEARTID
CLONE_UNTRACED CLONE_CHILD_SETTID
BPF_LD BPF_LDX BPF_ST BPF_STX BPF_ALU BPF_JMP BPF_RET BPF_MISC
BPF_W BPF_H BPF_B BPF_IMM BPF_ABS BPF_IND BPF_MEM BPF_LEN BPF_MSH
BPF_ADD BPF_SUB BPF_MUL BPF_DIV BPF_OR BPF_AND BPF_LSH BPF_RSH BPF_NEG BPF_MOD BPF_XOR
BPF_JA BPF_JEQ BPF_JGT BPF_JGE BPF_JSET BPF_K BPF_X BPF_A BPF_TAX BPF_TXA BPF_MAXINSNS
SECCOMP_MODE_DISABLED SECCOMP_MODE_STRICT SECCOMP_MODE_FILTER
SECCOMP_SET_MODE_STRICT SECCOMP_SET_MODE_FILTER SECCOMP_GET_ACTION_AVAIL SECCOMP_GET_NOTIF_SIZES
SECCOMP_FILTER_FLAG_TSYNC SECCOMP_FILTER_FLAG_LOG SECCOMP_FILTER_FLAG_SPEC_ALLOW
SECCOMP_FILTER_FLAG_NEW_LISTENER SECCOMP_FILTER_FLAG_TSYNC_ESRCH
SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL_THREAD SECCOMP_RET_KILL SECCOMP_RET_TRAP
SECCOMP_RET_ERRNO SECCOMP_RET_USER_NOTIF SECCOMP_RET_TRACE SECCOMP_RET_LOG SECCOMP_RET_ALLOW
SECCOMP_RET_ACTION_FULL SECCOMP_RET_ACTION SECCOMP_RET_DATA
SECCOMP_USER_NOTIF_FLAG_CONTINUE SECCOMP_IOCTL_NOTIF_RECV SECCOMP_IOCTL_NOTIF_SEND
SECCOMP_IOCTL_NOTIF_ID_VALID
AUDIT_ARCH_X86_64
AT_NULL AT_IGNORE AT_PHDR AT_PAGESZ AT_ENTRY AT_RANDOM AT_EXECFN AT_SYSINFO_EHDR
"

args=""
for f in $functions; do args="$args --include-function $f"; done
for v in $vars; do args="$args --include-var $v"; done
for s in $structs; do args="$args --include-struct $s"; done
for u in $unions; do args="$args --include-union $u"; done
for t in $typedefs; do args="$args --include-typedef $t"; done
for c in $constants; do args="$args --include-constant $c"; done

# A re-run must give exactly what is committed: drop the old package first.
rm -rf "$pkg_dir"
# shellcheck disable=SC2086  # $args is a list of flag/name pairs without spaces
"$jextract" --target-package simterpose.bindings.linux --header-class-name Linux \
    --output "$out" $args "$header"
echo "jextract.sh: generated $(ls "$pkg_dir" | wc -l) files in $pkg_dir"

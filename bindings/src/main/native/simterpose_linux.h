/*
 * The single C header jextract reads to generate simterpose.bindings.linux (see ../../../jextract.sh).
 * It only includes system headers; jextract.sh's --include-* filters pick the few symbols we use.
 * Linux x86_64, glibc. _GNU_SOURCE exposes tgkill, process_vm_readv/writev, pipe2, environ.
 */
#ifndef SIMTERPOSE_LINUX_H
#define SIMTERPOSE_LINUX_H

#define _GNU_SOURCE 1

/* Tracing: ptrace requests, PTRACE_O_* options and PTRACE_EVENT_* codes (glibc makes these
 * enum members, which jextract turns into constants just like macros). */
#include <sys/ptrace.h>
#include <sys/user.h>          /* struct user_regs_struct (PTRACE_GETREGS/SETREGS) */
#include <sys/wait.h>          /* waitpid, WNOHANG, WUNTRACED, __WALL, __WNOTHREAD */
#include <signal.h>            /* kill, tgkill, siginfo_t, SIG*, sigset_t helpers */
#include <sys/uio.h>           /* process_vm_readv/writev, struct iovec */

/* Launching: posix_spawn and what the child does before exec. */
#include <spawn.h>
#include <unistd.h>            /* setpgid, getpid, getppid, close, pipe, pipe2, dup2, environ */
#include <fcntl.h>             /* open, O_* */
#include <sys/stat.h>          /* mkfifo */

/* Shaping the tracee: affinity, personality, prctl. */
#include <sched.h>             /* sched_setaffinity, cpu_set_t, CLONE_* */
#include <sys/personality.h>   /* personality, ADDR_NO_RANDOMIZE */
#include <sys/prctl.h>         /* PR_SET_NO_NEW_PRIVS, PR_SET_TSC, PR_TSC_SIGSEGV, ... */

/* Seccomp filters built in Java and injected into the tracee. */
#include <linux/filter.h>      /* struct sock_filter, struct sock_fprog, BPF_* */
#include <sys/ioctl.h>         /* ioctl, and _IOWR which linux/seccomp.h uses without including */
#include <linux/seccomp.h>     /* SECCOMP_RET_*, SECCOMP_SET_MODE_FILTER, struct seccomp_data */
#include <linux/audit.h>       /* AUDIT_ARCH_X86_64 */
#include <linux/auxvec.h>      /* AT_SYSINFO_EHDR, AT_IGNORE, AT_RANDOM (auxv rewriting) */

/* si_code of a SIGSYS raised by SECCOMP_RET_TRAP: defined only in the kernel's
 * asm-generic/siginfo.h, which clashes with glibc's signal.h; an enum lets jextract see it. */
#ifndef SYS_SECCOMP
enum { SYS_SECCOMP = 1 };
#endif

#endif /* SIMTERPOSE_LINUX_H */

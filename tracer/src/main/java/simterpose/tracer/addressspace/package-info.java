/**
 * A model of one process's address space, kept up to date from the syscalls that change it
 * (brk, mmap, munmap, mremap, mprotect, shmat, shmdt) and seeded from {@code /proc/PID/maps}.
 * It counts mapped bytes by kind (heap, anonymous, file-backed by name, shared, reserved), the
 * same way {@link simterpose.tracer.addressspace.ProcMaps} classifies the kernel's own list, so
 * the two can be compared at any stop. Pure data: no ptrace, no threads.
 */
package simterpose.tracer.addressspace;

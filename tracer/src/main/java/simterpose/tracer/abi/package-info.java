/**
 * Typed views of the Linux x86_64 structs that syscalls pass by pointer: one record per struct,
 * each with the one reader (and writer, where a syscall answers through it) over
 * {@link simterpose.tracer.memory.TraceeMemory}. The trace printers read them here; the
 * simulator's handlers are to read them here too, so each struct's layout is written once.
 *
 * <p>Layouts: from the jextract bindings where the header has the struct ({@code struct iovec});
 * the others ({@code timespec}, {@code timeval}, {@code itimerspec}, {@code sockaddr_*},
 * {@code msghdr}, {@code pollfd}, {@code epoll_event}) are not in
 * {@code bindings/src/main/native/simterpose_linux.h} and jextract is not installed to
 * regenerate it, so each record states its x86_64 offsets once, with the header they come from.
 * All integers are little-endian, except the port, flow info and addresses of
 * {@code sockaddr_in/in6}, which are in network order.
 *
 * <p>Readers return null when the tracee's memory cannot be read there (the syscall would get
 * EFAULT); writers return false then.
 */
package simterpose.tracer.abi;

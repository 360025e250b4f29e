/**
 * {@code simterpose emulate}: a deployment run for real, natively and untraced, on this machine's
 * kernel, with the platform's links emulated in user space — the ground truth a prediction of
 * {@code run} is checked against.
 *
 * <p>Implementation overview.
 * <ul>
 *   <li>{@link simterpose.emulator.Emulator} orchestrates a run on its caller's thread: checks
 *       ({@link simterpose.emulator.Preflight}), one {@link simterpose.emulator.HostNamespace} and one
 *       {@link simterpose.emulator.Tun} per host that runs an actor, the
 *       {@link simterpose.emulator.LinkRelay}, then the actors' start and kill dates, and the
 *       teardown whatever ends the run.</li>
 *   <li>Processes (keepers, {@code ip}, actors) are started only by the
 *       {@link simterpose.emulator.Spawner}'s thread, so their parent-death signal follows the
 *       tool's life; they are not traced, so {@link java.lang.ProcessBuilder} is fine here.</li>
 *   <li>The relay's threads (one reader per TUN device, one relay) own the packets; the caller's
 *       thread only starts and stops them.</li>
 * </ul>
 * Only platform types come from the simulator (hosts, links, routes, addresses, the report
 * record); nothing here touches ptrace.
 */
package simterpose.emulator;

package simterpose.simulator.mediation.tracee;

/** The simulator's answer to one syscall, given its decoded call context. */
@FunctionalInterface
public interface Handler {
    public HandlerResult handle(Call call);
}

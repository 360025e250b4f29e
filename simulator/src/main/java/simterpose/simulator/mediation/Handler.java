package simterpose.simulator.mediation;

/** The simulator's answer to one syscall, given its decoded call context. */
@FunctionalInterface
interface Handler {
    HandlerResult handle(Call call);
}

/**
 * What a traced program is in the code: a {@code DeployedActor} (one actor of the deployment)
 * owns {@code ProcessState}s (thread groups, each with its virtual process), which own
 * {@code TracedThread}s: state machines driven by their stops on the tracer's owner thread,
 * waiting in simulated time through {@link simterpose.simulator.engine.Wait} continuations. A
 * syscall being mediated is a {@code Call}; what its handler decides is a
 * {@code HandlerResult}; what a thread sees of its run is a {@code RunContext}. Imports neither
 * {@code run} nor {@code handlers}.
 */
package simterpose.simulator.mediation.tracee;

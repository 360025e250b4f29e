/**
 * Orchestration of a run: {@code Runner} (the entry point), {@code Run} (the scheduler loop on
 * the tracer's owner thread, and the {@code RunContext} its traced threads see),
 * {@code ActorPreparation} (each actor's program, environment, directory and outputs, checked
 * before anything launches), {@code Watchdog} (the caller's thread: parks natively blocked
 * tracees, prints progress, turns Ctrl-C into the end of the run) and {@code EndOfRun} (threads
 * whose process died, deadlock detection, the report). May import everything below it:
 * {@code handlers}, {@code tracee}, the kernel, the engine, the tracer.
 */
package simterpose.simulator.mediation.run;

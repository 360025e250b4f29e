package simterpose.tracer;

import java.util.Set;

/**
 * A child-JVM main for {@link NoTraceeOutlivesTheToolTest}: launches {@code sleeper} under a
 * tracer, prints its pid, then waits until the JVM is killed or interrupted.
 * Args: path of sleeper.
 */
public final class TraceForever {
    public static void main(String[] args) throws Exception {
        Tracer tracer = Tracer.open(TracerOptions.filter(Set.of(35, 230))); // nanosleep, clock_nanosleep
        Tracee t = tracer.launch(new LaunchSpec(java.util.List.of(args[0], "6000"), null, null, null,
                java.nio.file.Path.of("/dev/null"), null), stop -> Resume.CONTINUE);
        System.out.println(t.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

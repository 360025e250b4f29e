package simterpose.simulator.mediation.tracee;

/**
 * One thread's last readiness answers, for the spin rule ({@code handlers.SpinGuard}): the date
 * and the process's call count when it last answered, that answer, and how many times in a row.
 */
public final class SpinState {
    public double date = -1;
    public long calls = -1;
    public byte[] answer;
    public int repeats;
}

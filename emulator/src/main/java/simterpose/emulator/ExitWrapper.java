package simterpose.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells an actor's exit status from its death by a signal. {@code nsenter} passes on its child's
 * end as its own (the same exit status, or the same signal raised on itself) and the JDK reports
 * a death by signal n as the status 128 + n: a program that exits 130 and one killed by SIGINT
 * look the same from here. So the actor runs as the child of a small Perl program (perl-base is
 * part of every Debian system) that waits for it, writes the signal's number to a file of its
 * own when it died of one, and exits with the program's status (128 + n after a signal, as a
 * shell says it).
 *
 * <p>It also holds the program until its start date: the child takes a shared lock on the
 * actor's {@link StartGate} file (which the emulator holds exclusively until the date) just
 * before its exec, so the program's start is not delayed by the launch of the wrapper itself.
 */
final class ExitWrapper {
    private ExitWrapper() {}

    // ARGV: the signal file, the gate file, then the program and its arguments; argv[0] is passed as given.
    // flock(.., 1) is LOCK_SH: it waits while the emulator holds the gate (a gate already deleted: no wait)
    private static final String SCRIPT = """
            my $file = shift;
            my $gate = shift;
            my $pid = fork;
            die "fork: $!\\n" unless defined $pid;
            if ($pid == 0) {
                if (open(my $g, '<', $gate)) { flock($g, 1); close $g; }
                exec { $ARGV[0] } @ARGV or do { print STDERR "$ARGV[0]: $!\\n"; exit 127 }
            }
            waitpid($pid, 0);
            my $status = $?;
            if (my $signal = $status & 127) {
                if (open(my $out, '>', $file)) { print {$out} "$signal\n"; close $out; }
                exit 128 + $signal;
            }
            exit $status >> 8;
            """;

    /**
     * The prefix that runs a program under the wrapper, which starts it once {@code gate} is
     * released and writes {@code signalFile} if it dies of a signal.
     */
    static List<String> command(Path signalFile, Path gate) {
        return List.of("perl", "-e", SCRIPT, signalFile.toString(), gate.toString());
    }

    /** The signal the program died of, or 0 if it exited (or the wrapper itself was killed). */
    static int signalOf(Path signalFile) {
        try {
            return Integer.parseInt(Files.readString(signalFile).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}

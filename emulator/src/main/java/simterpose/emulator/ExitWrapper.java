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
 */
final class ExitWrapper {
    private ExitWrapper() {}

    // ARGV: the signal file, then the program and its arguments; argv[0] is passed as given
    private static final String SCRIPT = """
            my $file = shift;
            my $pid = fork;
            die "fork: $!\\n" unless defined $pid;
            if ($pid == 0) { exec { $ARGV[0] } @ARGV or do { print STDERR "$ARGV[0]: $!\\n"; exit 127 } }
            waitpid($pid, 0);
            my $status = $?;
            if (my $signal = $status & 127) {
                if (open(my $out, '>', $file)) { print {$out} "$signal\n"; close $out; }
                exit 128 + $signal;
            }
            exit $status >> 8;
            """;

    /** The prefix that runs a program under the wrapper, which writes {@code signalFile} if it dies of a signal. */
    static List<String> command(Path signalFile) {
        return List.of("perl", "-e", SCRIPT, signalFile.toString());
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

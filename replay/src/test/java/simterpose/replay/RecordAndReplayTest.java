package simterpose.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simterpose.tracer.LaunchSpec;

/** Real programs recorded natively, then replayed from the recording alone. */
@Timeout(120)
class RecordAndReplayTest {
    @TempDir
    Path tmp;

    static String app(String name) {
        String dir = System.getProperty("simterpose.testapps",
                Path.of("..", "testapps", "target", "bin").toAbsolutePath().normalize().toString());
        return Path.of(dir, name).toString();
    }

    /** Records {@code argv} with its stdout and stderr in files; returns the recording's directory. */
    private Recorded record(String... argv) throws Exception {
        Path dir = tmp.resolve("rec");
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        Recorder.Result r = Recorder.record(LaunchSpec.of(argv).withStdout(out).withStderr(err), dir, -1);
        return new Recorded(dir, r, Files.readString(out), Files.readString(err));
    }

    private record Recorded(Path dir, Recorder.Result result, String stdout, String stderr) {}

    private record Replayed(Replayer.Outcome outcome, String stdout, String stderr) {}

    private static Replayed replay(Path dir, List<String> command) throws Exception {
        RecordingFile.Recording rec = RecordingFile.read(dir.resolve(RecordingFile.NAME));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Replayer.Outcome o = Replayer.replay(rec, Replayer.launchSpec(rec.header(), command), out, err, -1);
        return new Replayed(o, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void replayGivesTheRecordedClockRandomnessPidFileAndServerGreetingWithoutFileOrServer() throws Exception {
        Path file = tmp.resolve("data.txt");
        Files.writeString(file, "first line\nsecond line\n");
        Recorded rec;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                    o.write("hello from the test's server\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the test fails on the missing greeting
                }
            });
            rec = record(app("replay_inputs"), file.toString(), Integer.toString(server.getLocalPort()));
            serving.join();
        }
        assertThat(rec.result().exitStatus()).isEqualTo(7);
        assertThat(rec.stdout()).contains("file: second line", "server: hello from the test's server", "getrandom ", "tsc ");
        Files.delete(file); // and the server is closed: the replay needs neither

        for (int run = 0; run < 2; run++) {
            Replayed r = replay(rec.dir(), List.of());
            assertThat(r.outcome().divergence()).as("divergence").isNull();
            assertThat(r.stdout()).isEqualTo(rec.stdout());
            assertThat(r.stderr()).isEqualTo(rec.stderr());
            assertThat(r.outcome().exitStatus()).isEqualTo(7);
        }
    }

    @Test
    void replayWithOtherArgumentsReportsWhereItDiverges() throws Exception {
        Path file = tmp.resolve("data.txt");
        Files.writeString(file, "content\n");
        Recorded rec;
        String port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                    o.write("hi\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // fine
                }
            });
            port = Integer.toString(server.getLocalPort());
            rec = record(app("replay_inputs"), file.toString(), port);
        }
        // an argument of the same length: the stack keeps its layout, so the first call that
        // differs is the open of the other file
        Path other = tmp.resolve("else.txt");
        Replayed r = replay(rec.dir(), List.of(app("replay_inputs"), other.toString(), port));
        assertThat(r.outcome().divergence()).as(r.toString()).isNotNull();
        assertThat(r.outcome().divergence().recorded()).contains("data.txt");
        assertThat(r.outcome().divergence().actual()).contains("else.txt");
        assertThat(r.outcome().divergence().report()).contains("thread " + rec.result().pid(), "syscall #");
    }

    @Test
    void aStaticProgramReplays() throws Exception {
        Recorded rec = record(app("clock_static"));
        Replayed r = replay(rec.dir(), List.of());
        assertThat(r.outcome().divergence()).isNull();
        assertThat(r.stdout()).isEqualTo(rec.stdout()).startsWith("realtime=");
    }

    @Test
    void aPythonProgramReplays() throws Exception {
        Recorded rec = record("/usr/bin/python3", "-c",
                "import os, time, random; print(time.time(), os.urandom(8).hex(), os.getpid(), random.random())");
        assertThat(rec.result().exitStatus()).isZero();
        for (int run = 0; run < 2; run++) {
            Replayed r = replay(rec.dir(), List.of());
            assertThat(r.outcome().divergence()).as("divergence").isNull();
            assertThat(r.stdout()).isEqualTo(rec.stdout());
        }
    }

    @Test
    void aTwoThreadProgramReplaysInTheRecordedOrder() throws Exception {
        Recorded rec = record(app("replay_threads"));
        assertThat(rec.stdout()).contains("worker 2", "main 2", "joined");
        for (int run = 0; run < 2; run++) {
            Replayed r = replay(rec.dir(), List.of());
            assertThat(r.outcome().divergence()).as("divergence").isNull();
            assertThat(r.stdout()).isEqualTo(rec.stdout());
        }
    }

    @Test
    void signalsThatInterruptAndRestartABlockedReadReplayWithoutWaitingForTheAlarm() throws Exception {
        Recorded rec = record(app("signals")); // alarm(1) interrupts read(); its handler raises SIGUSR1
        assertThat(rec.stdout()).isEqualTo("read=1 usr1=1 alarm=1\n");
        long start = System.nanoTime();
        Replayed r = replay(rec.dir(), List.of());
        assertThat(r.outcome().divergence()).as("divergence").isNull();
        assertThat(r.stdout()).isEqualTo(rec.stdout());
        assertThat(System.nanoTime() - start).as("the alarm's second is not waited for").isLessThan(900_000_000L);
    }

    static List<String> lines(String s) {
        return new ArrayList<>(s.lines().toList());
    }
}

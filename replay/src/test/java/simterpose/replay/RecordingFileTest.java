package simterpose.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording format: what is written reads back the same; a damaged file is one clear error. */
class RecordingFileTest {
    @TempDir
    Path tmp;

    private final Header header = new Header(42, List.of("/bin/prog", "a"), List.of("HOME=/root"), "/tmp",
            new Executable("/bin/prog", 1234, "ab".repeat(32), "cafe"), 0x7fffffffe000L, new byte[] {1, 2, 3},
            List.of(new long[] {6, 4096}, new long[] {25, 0x7fffffffe100L}));

    private final List<Event> events = List.of(
            new Event.MappedFile(42, "/lib/libc.so.6", 2_000_000),
            new Event.Entry(42, 257, new long[] {-100, 0x7fffffffd000L, 0, 0}, List.of("/etc/hosts"), 0xdeadbeef),
            new Event.Exit(42, -2, List.of()),
            new Event.Entry(42, 0, new long[] {3, 0x555555559000L, 4096}, List.of(), 0),
            new Event.Exit(42, 5, List.of(new Event.Write(0x555555559000L, "hello".getBytes()))),
            new Event.Signal(42, 14, 0x401000),
            new Event.Rdtsc(42, Long.MAX_VALUE - 1),
            new Event.Exec(42, "/bin/other"),
            new Event.ThreadGone(43, 0));

    private Path write() throws Exception {
        Path file = tmp.resolve(RecordingFile.NAME);
        try (RecordingFile.Writer w = new RecordingFile.Writer(file, header)) {
            for (Event e : events) {
                w.write(e);
            }
            w.finish(7);
        }
        return file;
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        RecordingFile.Recording r = RecordingFile.read(write());
        assertThat(r.exitStatus()).isEqualTo(7);
        assertThat(r.header().argv()).isEqualTo(header.argv());
        assertThat(r.header().executable()).isEqualTo(header.executable());
        assertThat(r.header().initialStack()).isEqualTo(header.initialStack());
        assertThat(r.header().auxv()).hasSize(2);
        assertThat(r.events()).hasSize(events.size());
        Event.Entry open = (Event.Entry) r.events().get(1);
        assertThat(open.args()).containsExactly(-100, 0x7fffffffd000L, 0, 0);
        assertThat(open.strings()).containsExactly("/etc/hosts");
        assertThat(open.inputCrc()).isEqualTo(0xdeadbeef);
        Event.Exit read = (Event.Exit) r.events().get(4);
        assertThat(read.result()).isEqualTo(5);
        assertThat(new String(read.writes().getFirst().bytes())).isEqualTo("hello");
        assertThat(r.events().get(6)).isEqualTo(events.get(6));
    }

    @Test
    void aTruncatedOrForeignFileIsOneClearError() throws Exception {
        Path file = write();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 6));
        assertThatThrownBy(() -> RecordingFile.read(file)).isInstanceOf(RecordingFile.FormatException.class)
                .hasMessageContaining("truncated");
        all[11] = 9; // version 9
        Files.write(file, all);
        assertThatThrownBy(() -> RecordingFile.read(file)).hasMessageContaining("format version 9");
    }
}

package simterpose.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** trace's output writer gives the bytes the JDK's UTF-8 writer gives. */
class Utf8OutputTest {
    @Test
    void writesTheSameBytesAsAnOutputStreamWriterForAsciiAccentsSurrogatesAndLongLines() throws Exception {
        String[] pieces = {"getppid()", " = 1234", "\n", "open(\"/tmp/caf\u00e9\", O_RDONLY)", "\ud83d\ude00 emoji",
                "lone \ud83d surrogate", "x".repeat(70_000), "", "\u20ac"};
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        try (Writer a = new Utf8Output(ours); Writer b = new OutputStreamWriter(jdk, StandardCharsets.UTF_8)) {
            for (String p : pieces) {
                a.write(p);
                b.write(p);
                a.write('|');
                b.write('|');
                a.write(p, 0, p.length() / 2);
                b.write(p, 0, p.length() / 2);
                a.write(p.toCharArray(), p.length() / 2, p.length() - p.length() / 2);
                b.write(p.toCharArray(), p.length() / 2, p.length() - p.length() / 2);
            }
            a.write('\u00e9');
            b.write('\u00e9');
            a.flush();
            b.flush();
            assertThat(ours.toByteArray()).isEqualTo(jdk.toByteArray());
        }
    }
}

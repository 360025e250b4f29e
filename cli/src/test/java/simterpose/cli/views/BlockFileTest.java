package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block file holds exactly the bytes written, in order, whatever their pieces and the blocks' sizes. */
class BlockFileTest {
    @TempDir Path dir;

    @Test
    void theFileIsTheBytesWrittenAcrossGrowingBlocksAndAnUnalignedEnd() throws Exception {
        Random random = new Random(15);
        for (int total : new int[] {0, 1, 4095, 4096, 65_536 + 7, 9 << 20}) { // empty, one partial block, many blocks
            for (int inFlight : new int[] {8, 1}) { // 8: blocks written at once by both background threads (9 MB: 2 MB blocks, huge pages)
                Path file = dir.resolve("f" + total + "-" + inFlight);
                Files.write(file, new byte[100_000]); // an older, longer file is replaced
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                try (BlockFile out = new BlockFile(file, inFlight)) {
                    int written = 0;
                    while (written < total) {
                        byte[] piece = new byte[Math.min(total - written, 1 + random.nextInt(70_000))];
                        random.nextBytes(piece);
                        if (random.nextBoolean()) {
                            out.write(piece, 0, piece.length);
                        } else {
                            out.write(MemorySegment.ofArray(piece), 0, piece.length);
                        }
                        expected.write(piece);
                        written += piece.length;
                    }
                }
                assertThat(Files.readAllBytes(file)).as("%d bytes, %d in flight", total, inFlight)
                        .isEqualTo(expected.toByteArray());
            }
        }
    }
}

package simterpose.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who the recorded program was: its path, size, SHA-256 and ELF build id (the
 * {@code NT_GNU_BUILD_ID} note, "" when it has none), so a replay can say whether it runs the same
 * binary.
 */
public record Executable(String path, long size, String sha256, String buildId) {
    private static final int PT_NOTE = 4, NT_GNU_BUILD_ID = 3;

    public static Executable of(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return new Executable(file.toString(), Files.size(file), HexFormat.of().formatHex(sha.digest()), buildId(file));
    }

    /** True when both name the same bytes. */
    public boolean sameBinary(Executable other) {
        return size == other.size && sha256.equals(other.sha256);
    }

    /** The build id from the program headers' PT_NOTE segments of an ELF64 file, or "". */
    static String buildId(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < 64) {
                return "";
            }
            ByteBuffer elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            if (elf.getInt(0) != 0x464c457f || elf.get(4) != 2) { // "\x7fELF", ELFCLASS64
                return "";
            }
            long phoff = elf.getLong(0x20);
            int phentsize = Short.toUnsignedInt(elf.getShort(0x36)), phnum = Short.toUnsignedInt(elf.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                int ph = (int) (phoff + (long) i * phentsize);
                if (elf.getInt(ph) != PT_NOTE) {
                    continue;
                }
                int at = (int) elf.getLong(ph + 8), end = at + (int) elf.getLong(ph + 0x20);
                while (at + 12 <= end) {
                    int namesz = elf.getInt(at), descsz = elf.getInt(at + 4), type = elf.getInt(at + 8);
                    int name = at + 12, desc = name + align4(namesz);
                    if (type == NT_GNU_BUILD_ID && namesz == 4 && elf.getInt(name) == 0x00554e47) { // "GNU\0"
                        byte[] id = new byte[descsz];
                        elf.get(desc, id);
                        return HexFormat.of().formatHex(id);
                    }
                    at = desc + align4(descsz);
                }
            }
            return "";
        }
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}

package simterpose.tracer.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import simterpose.tracer.LaunchException;

/**
 * Checks that a file is something this machine's execve would run as an x86_64 program: a
 * 64-bit little-endian x86_64 ELF executable or shared object whose program interpreter
 * (PT_INTERP, the dynamic loader) exists, or a {@code #!} script whose interpreter passes the
 * same check (at most four levels, as the kernel's binfmt_script allows). Anything else would
 * fail only after launch (exit 126/127 from the shell that launches it), or, for an i386 ELF,
 * run under an ABI the seccomp filter refuses; so it is refused before anything is launched.
 */
public final class ExecutableFormat {
    private ExecutableFormat() {}

    private static final int MAX_SCRIPT_DEPTH = 4;
    private static final int HEADER_BYTES = 256; // the kernel's BINPRM_BUF_SIZE
    private static final int EM_X86_64 = 62, ET_EXEC = 2, ET_DYN = 3, PT_INTERP = 3;
    private static final int MAX_PROGRAM_HEADERS = 4096;

    /** @throws LaunchException naming {@code program} and what is wrong with {@code file} */
    public static void check(String program, Path file) {
        check(program, file, 0);
    }

    private static void check(String program, Path file, int depth) {
        byte[] head = head(program, file);
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            Path interpreter = interpreter(program, file, head);
            if (depth >= MAX_SCRIPT_DEPTH) {
                throw new LaunchException("cannot run '" + program + "': more than " + MAX_SCRIPT_DEPTH + " nested #! interpreters");
            }
            if (!Files.isRegularFile(interpreter) || !Files.isExecutable(interpreter)) {
                throw new LaunchException("cannot run '" + program + "': its #! interpreter " + interpreter
                        + (Files.exists(interpreter) ? " is not an executable file" : " does not exist"));
            }
            check(program, interpreter, depth + 1);
            return;
        }
        if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            elf(program, file, head);
            return;
        }
        throw new LaunchException("cannot run '" + program + "': " + file
                + " is neither an ELF program nor a script starting with #! (execve fails with ENOEXEC)");
    }

    private static byte[] head(String program, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEADER_BYTES);
        } catch (IOException e) {
            throw new LaunchException("cannot run '" + program + "': cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The interpreter path of a {@code #!} line: its first word, as binfmt_script reads it. */
    private static Path interpreter(String program, Path file, byte[] head) {
        int end = 2;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        String line = new String(head, 2, end - 2, StandardCharsets.ISO_8859_1).strip();
        String first = line.isEmpty() ? "" : line.split("[ \t]+", 2)[0];
        if (first.isEmpty()) {
            throw new LaunchException("cannot run '" + program + "': " + file + " has an empty #! line");
        }
        return file.toAbsolutePath().getParent().resolve(first).normalize();
    }

    private static void elf(String program, Path file, byte[] head) {
        String what = "cannot run '" + program + "': " + file;
        if (head.length < 64) {
            throw new LaunchException(what + " is a truncated ELF file");
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head[4] != 2 || head[5] != 1) {
            throw new LaunchException(what + " is not a 64-bit little-endian ELF program (simterpose runs x86_64 programs only)");
        }
        int type = h.getShort(16) & 0xffff, machine = h.getShort(18) & 0xffff;
        if (machine != EM_X86_64) {
            throw new LaunchException(what + " is an ELF program for machine " + machine + ", not x86_64 (62)");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new LaunchException(what + " is an ELF file of type " + type + ", not an executable");
        }
        long phoff = h.getLong(32);
        int phentsize = h.getShort(54) & 0xffff, phnum = h.getShort(56) & 0xffff;
        if (phnum == 0 || phnum > MAX_PROGRAM_HEADERS || phentsize < 56 || phoff <= 0) {
            throw new LaunchException(what + " is a corrupt ELF program (no valid program headers)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer table = ByteBuffer.allocate(phnum * phentsize).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, table, phoff);
            if (table.hasRemaining()) {
                throw new LaunchException(what + " is a corrupt ELF program (its program headers lie past its end)");
            }
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (table.getInt(at) == PT_INTERP) {
                    long offset = table.getLong(at + 8), size = table.getLong(at + 32);
                    if (size <= 1 || size > 4096 || offset < 0) {
                        throw new LaunchException(what + " is a corrupt ELF program (bad PT_INTERP)");
                    }
                    ByteBuffer name = ByteBuffer.allocate((int) size);
                    readFully(ch, name, offset);
                    String loader = new String(name.array(), 0, name.position(), StandardCharsets.ISO_8859_1);
                    int nul = loader.indexOf('\0');
                    Path interp = Path.of(nul >= 0 ? loader.substring(0, nul) : loader);
                    if (!Files.isRegularFile(interp)) {
                        throw new LaunchException(what + " needs the program interpreter " + interp + ", which does not exist");
                    }
                }
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new LaunchException(what + " is a corrupt ELF program (" + e.getMessage() + ")");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = ch.read(into, position + into.position());
            if (n < 0) {
                return;
            }
        }
    }
}

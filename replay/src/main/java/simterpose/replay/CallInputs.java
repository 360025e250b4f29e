package simterpose.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.Arg;
import simterpose.tracer.syscall.Syscall;

/**
 * What a syscall reads from the process's memory at its entry, as recorded and checked: the
 * strings its table row marks PATH or STR (kept whole, for the divergence report) and a CRC-32
 * over the buffers it marks IBUF, IIOVEC or ISOCKADDR (write's data, a destination address).
 * Read the same way by the recorder and the replayer.
 */
final class CallInputs {
    private CallInputs() {}

    private static final int PATH_MAX = 4096;

    static List<String> strings(Syscall sc, long[] a, TraceeMemory mem) {
        List<String> out = new ArrayList<>(0);
        List<Arg> kinds = sc.args();
        for (int i = 0; i < kinds.size(); i++) {
            if ((kinds.get(i) == Arg.PATH || kinds.get(i) == Arg.STR) && a[i] != 0) {
                TraceeMemory.CString s = mem.readCString(a[i], PATH_MAX);
                out.add(s == null ? "?" : new String(s.bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** CRC-32 of the buffers the call reads, 0 when it reads none. */
    static int crc(Syscall sc, long[] a, TraceeMemory mem) {
        CRC32 crc = null;
        List<Arg> kinds = sc.args();
        for (int i = 0; i < kinds.size(); i++) {
            Arg kind = kinds.get(i);
            if (kind == Arg.IBUF || kind == Arg.ISOCKADDR) {
                crc = crc == null ? new CRC32() : crc;
                update(crc, mem, a[i], a[i + 1]);
            } else if (kind == Arg.IIOVEC && a[i] != 0) {
                crc = crc == null ? new CRC32() : crc;
                int count = (int) Math.min(Math.max(a[i + 1], 0), 1024);
                byte[] vec = mem.readFully(a[i], count * 16);
                for (int v = 0; vec != null && v < count; v++) {
                    update(crc, mem, le64(vec, v * 16), le64(vec, v * 16 + 8));
                }
            }
        }
        return crc == null ? 0 : (int) crc.getValue();
    }

    private static void update(CRC32 crc, TraceeMemory mem, long address, long length) {
        long left = Math.min(Math.max(length, 0), 1L << 30);
        byte[] chunk = new byte[(int) Math.min(left, 1 << 20)];
        while (left > 0 && address != 0) {
            int n = (int) Math.min(left, chunk.length);
            int got = mem.read(address, chunk, 0, n);
            crc.update(chunk, 0, Math.max(got, 0));
            if (got < n) {
                return;
            }
            address += n;
            left -= n;
        }
    }

    static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}

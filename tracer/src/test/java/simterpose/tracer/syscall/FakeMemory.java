package simterpose.tracer.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import simterpose.tracer.memory.TraceeMemory;

/** A tracee address space made of a few mapped regions; everything else is unreadable. */
final class FakeMemory implements TraceeMemory {
    private final TreeMap<Long, byte[]> regions = new TreeMap<>();
    private long next = 0x7ffd_0000_1000L;

    /** Maps bytes at a fresh address and returns it. */
    long put(byte[] bytes) {
        long at = next;
        regions.put(at, bytes.clone());
        next += (bytes.length + 0x1000L) & ~0xfffL;
        next += 0x1000; // an unmapped gap after each region
        return at;
    }

    long putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return put(z);
    }

    long putLongs(long... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bb.putLong(v);
        }
        return put(bb.array());
    }

    long putInts(int... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bb.putInt(v);
        }
        return put(bb.array());
    }

    /** Overwrites part of a mapped region (the kernel writing an out-parameter). */
    void poke(long address, byte[] bytes) {
        write(address, bytes, 0, bytes.length);
    }

    @Override
    public int read(long address, byte[] dst, int offset, int length) {
        int n = 0;
        while (n < length) {
            Map.Entry<Long, byte[]> r = regions.floorEntry(address + n);
            if (r == null || address + n >= r.getKey() + r.getValue().length) {
                break;
            }
            int from = (int) (address + n - r.getKey());
            int count = Math.min(length - n, r.getValue().length - from);
            System.arraycopy(r.getValue(), from, dst, offset + n, count);
            n += count;
        }
        return n;
    }

    @Override
    public int write(long address, byte[] src, int offset, int length) {
        Map.Entry<Long, byte[]> r = regions.floorEntry(address);
        if (r == null) {
            return 0;
        }
        int from = (int) (address - r.getKey());
        int count = Math.max(0, Math.min(length, r.getValue().length - from));
        System.arraycopy(src, offset, r.getValue(), from, count);
        return count;
    }

    @Override
    public CString readCString(long address, int maxBytes) {
        byte[] one = new byte[1];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < maxBytes; i++) {
            if (read(address + i, one, 0, 1) != 1) {
                return i == 0 ? null : new CString(out.toByteArray(), false);
            }
            if (one[0] == 0) {
                return new CString(out.toByteArray(), false);
            }
            out.write(one[0]);
        }
        boolean more = read(address + maxBytes, one, 0, 1) == 1 && one[0] != 0;
        return new CString(out.toByteArray(), more);
    }
}

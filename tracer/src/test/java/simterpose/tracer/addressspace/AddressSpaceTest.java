package simterpose.tracer.addressspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The address-space model's splits and replacements, which memtrace's totals rest on. */
class AddressSpaceTest {
    private static final long P = AddressSpace.PAGE;

    @Test
    void aFixedMappingReplacesWhatItOverlapsAndAnUnmapSplitsARegion() {
        AddressSpace s = new AddressSpace();
        s.map(new Region(0, 10 * P, Kind.FILE, "/lib/libc.so.6", true));
        s.map(new Region(8 * P, 10 * P, Kind.ANON, "", true)); // .bss over the file's tail
        assertThat(s.totals().file()).isEqualTo(8 * P);
        assertThat(s.totals().anon()).isEqualTo(2 * P);
        List<Region> removed = s.unmap(2 * P, 4 * P);
        assertThat(removed).containsExactly(new Region(2 * P, 4 * P, Kind.FILE, "/lib/libc.so.6", true));
        assertThat(s.regions()).extracting(Region::start).containsExactly(0L, 4 * P, 8 * P);
        assertThat(s.totals().files()).containsEntry("/lib/libc.so.6", 6 * P);
    }

    @Test
    void protectMovesBytesBetweenUsableAndReservedAndCountsOnlyRealChanges() {
        AddressSpace s = new AddressSpace();
        s.map(new Region(0, 16 * P, Kind.ANON, "", false));
        assertThat(s.protect(4 * P, 8 * P, true)).isEqualTo(4 * P);
        assertThat(s.protect(4 * P, 8 * P, true)).isZero(); // already usable
        assertThat(s.totals().anon()).isEqualTo(4 * P);
        assertThat(s.totals().reserved()).isEqualTo(12 * P);
        assertThat(s.protect(0, 16 * P, false)).isEqualTo(-4 * P);
        assertThat(s.totals().reserved()).isEqualTo(16 * P);
    }

    @Test
    void aMoveKeepsKindAndNameAtTheNewPlaceAndSize() {
        AddressSpace s = new AddressSpace();
        s.map(new Region(0, 4 * P, Kind.SHARED, "/dev/shm/x", true));
        Region moved = s.move(0, 4 * P, 100 * P, 6 * P + 1);
        assertThat(moved).isEqualTo(new Region(100 * P, 107 * P, Kind.SHARED, "/dev/shm/x", true));
        assertThat(s.regionAt(0)).isNull();
        assertThat(s.totals().shared()).isEqualTo(7 * P);
    }

    @Test
    void procMapsLinesAreClassifiedAsTheModelCountsThem() {
        List<Region> r = ProcMaps.parse(List.of(
                "55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0                          [heap]",
                "7f0000000000-7f0000001000 r--p 00000000 08:01 1234                       /usr/lib/libc.so.6",
                "7f0000001000-7f0000003000 ---p 00001000 08:01 1234                       /usr/lib/libc.so.6",
                "7f0000003000-7f0000004000 rw-p 00000000 00:00 0 ",
                "7f0000004000-7f0000005000 rw-s 00000000 00:01 5                          /SYSV00000000 (deleted)",
                "Size:                  4 kB",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]"));
        assertThat(r).extracting(Region::kind).containsExactly(Kind.HEAP, Kind.FILE, Kind.FILE, Kind.ANON, Kind.SHARED, Kind.OTHER);
        Totals t = Totals.of(r);
        assertThat(t).isEqualTo(new Totals(0x21000, P, P, P, 2 * P, java.util.Map.of("/usr/lib/libc.so.6", P)));
    }
}

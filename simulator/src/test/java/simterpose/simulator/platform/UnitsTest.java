package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void bandwidthInBytesWithDecimalAndBinaryPrefixes() throws Exception {
        assertThat(Units.bandwidth("1Bps")).isEqualTo(1.0);
        assertThat(Units.bandwidth("2kBps")).isEqualTo(2000.0);
        assertThat(Units.bandwidth("41.279125MBps")).isEqualTo(41.279125 * 1e6);
        assertThat(Units.bandwidth("1.5GBps")).isEqualTo(1.5e9);
        assertThat(Units.bandwidth("1TBps")).isEqualTo(1e12);
        assertThat(Units.bandwidth("1KiBps")).isEqualTo(1024.0);
        assertThat(Units.bandwidth("1MiBps")).isEqualTo(1024.0 * 1024);
        assertThat(Units.bandwidth("3GiBps")).isEqualTo(3.0 * 1024 * 1024 * 1024);
        assertThat(Units.bandwidth("1EBps")).isEqualTo(1e18);
    }

    @Test
    void sizesInBytesOrBitsWithDecimalAndBinaryPrefixes() throws Exception {
        assertThat(Units.size("1000")).isEqualTo(1000.0);
        assertThat(Units.size("1MB")).isEqualTo(1e6);
        assertThat(Units.size("4KiB")).isEqualTo(4096.0);
        assertThat(Units.size("1EB")).isEqualTo(1e18);
        assertThat(Units.size("8b")).isEqualTo(1.0);
        assertThatThrownBy(() -> Units.size("10parsecs")).isInstanceOf(Units.UnitException.class)
                .hasMessageContaining("unknown unit 'parsecs'");
    }

    @Test
    void bandwidthInBitsIsDividedByEight() throws Exception {
        assertThat(Units.bandwidth("8bps")).isEqualTo(1.0);
        assertThat(Units.bandwidth("1Gbps")).isEqualTo(1.25e8);
        assertThat(Units.bandwidth("1kbps")).isEqualTo(125.0);
        assertThat(Units.bandwidth("1Kibps")).isEqualTo(128.0);
    }

    @Test
    void bareNumberIsTheDefaultUnitAndExponentsAreRead() throws Exception {
        assertThat(Units.bandwidth("1000")).isEqualTo(1000.0);
        assertThat(Units.bandwidth("1e3kBps")).isEqualTo(1e6);
        assertThat(Units.time("2.5")).isEqualTo(2.5);
        assertThat(Units.speed("100")).isEqualTo(100.0);
        assertThat(Units.time("0")).isEqualTo(0.0);
    }

    @Test
    void prefixedValuesAreBitIdenticalToSimGridsRepeatedMultiplication() throws Exception {
        // SimGrid computes "50us" as 50 * 1e-6 (not 50e-6) and "M" as 1000.0 * 1000.0.
        assertThat(Units.time("50us")).isEqualTo(50 * 1e-6).isNotEqualTo(50e-6);
        assertThat(Units.bandwidth("125MBps")).isEqualTo(125 * (1000.0 * 1000.0));
    }

    @Test
    void upperCaseKiloIsNotAUnit() {
        assertThatThrownBy(() -> Units.bandwidth("1KBps")).isInstanceOf(Units.UnitException.class)
                .hasMessageContaining("unknown unit 'KBps'");
        assertThatThrownBy(() -> Units.speed("1Kf")).hasMessageContaining("unknown unit 'Kf'");
    }

    @Test
    void timeUnitsFromPicosecondsToWeeks() throws Exception {
        assertThat(Units.time("1ps")).isEqualTo(1e-12);
        assertThat(Units.time("1ns")).isEqualTo(1e-9);
        assertThat(Units.time("1us")).isEqualTo(1e-6);
        assertThat(Units.time("1ms")).isEqualTo(1e-3);
        assertThat(Units.time("1s")).isEqualTo(1.0);
        assertThat(Units.time("2m")).isEqualTo(120.0);
        assertThat(Units.time("1h")).isEqualTo(3600.0);
        assertThat(Units.time("1d")).isEqualTo(86400.0);
        assertThat(Units.time("1w")).isEqualTo(604800.0);
        assertThatThrownBy(() -> Units.time("1sec")).hasMessageContaining("unknown unit 'sec'");
        assertThatThrownBy(() -> Units.time("1Ms")).hasMessageContaining("unknown unit 'Ms'");
    }

    @Test
    void speedUnitsAbbreviatedAndLong() throws Exception {
        assertThat(Units.speed("1f")).isEqualTo(1.0);
        assertThat(Units.speed("98.095Mf")).isEqualTo(98.095 * 1e6);
        assertThat(Units.speed("1Gf")).isEqualTo(1e9);
        assertThat(Units.speed("1kf")).isEqualTo(1000.0);
        assertThat(Units.speed("1flops")).isEqualTo(1.0);
        assertThat(Units.speed("2megaflops")).isEqualTo(2e6);
        assertThat(Units.speed("1kiloflops")).isEqualTo(1000.0);
        // Long prefixes go with the long unit only, as in SimGrid.
        assertThatThrownBy(() -> Units.speed("1Mflops")).hasMessageContaining("unknown unit 'Mflops'");
        assertThatThrownBy(() -> Units.speed("1Mif")).hasMessageContaining("unknown unit");
    }

    @Test
    void powerStateListsAreCommaSeparatedAndTrimmed() throws Exception {
        assertThat(Units.speeds("100Mf, 50Mf,20Mf")).containsExactly(1e8, 5e7, 2e7);
        assertThat(Units.speeds("1Gf")).containsExactly(1e9);
        assertThatThrownBy(() -> Units.speeds("1Gf,")).hasMessageContaining("expected a speed");
    }

    @Test
    void notANumberIsRejected() {
        assertThatThrownBy(() -> Units.bandwidth("fast")).hasMessageContaining("expected a bandwidth");
        assertThatThrownBy(() -> Units.time("")).hasMessageContaining("expected a time");
        assertThatThrownBy(() -> Units.time("inf")).hasMessageContaining("time");
        assertThatThrownBy(() -> Units.bandwidth("1e999Bps")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Units.time("1e-400s")).hasMessageContaining("out of range");
    }
}

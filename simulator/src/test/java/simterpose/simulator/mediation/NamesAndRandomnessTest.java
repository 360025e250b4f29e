package simterpose.simulator.mediation;

import simterpose.simulator.mediation.run.Runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simterpose.simulator.kernel.Addresses;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.PlatformLoader;

/**
 * Real programs see the platform's names (libc's resolver reads the platform's /etc/hosts,
 * uname and gethostname give the simulated host) and seeded randomness (/dev/urandom,
 * getrandom, AT_RANDOM), with ASLR off: the same seed repeats a run byte for byte.
 */
class NamesAndRandomnessTest {
    @TempDir
    Path dir;

    /** alice and carol get assigned addresses, bob has an explicit one; names runs on alice and carol. */
    private Platform threeHosts(String... names) throws Exception {
        StringBuilder actors = new StringBuilder();
        for (String host : List.of("alice", "carol")) {
            actors.append("  <actor host=\"").append(host).append("\" function=\"").append(Scenario.app("names")).append("\">\n");
            for (String n : names) {
                actors.append("    <argument value=\"").append(n).append("\"/>\n");
            }
            actors.append("  </actor>\n");
        }
        Path file = dir.resolve("three.xml");
        Files.writeString(file, """
                <?xml version='1.0'?>
                <!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
                <platform version="4.1">
                  <zone id="world" routing="Full">
                    <host id="alice" speed="1Gf"/>
                    <host id="bob" speed="1Gf"><prop id="ip" value="192.168.7.9"/></host>
                    <host id="carol" speed="1Gf"/>
                    <link id="wire" bandwidth="100MBps" latency="10ms"/>
                    <route src="alice" dst="bob"><link_ctn id="wire"/></route>
                    <route src="alice" dst="carol"><link_ctn id="wire"/></route>
                    <route src="bob" dst="carol"><link_ctn id="wire"/></route>
                  </zone>
                %s</platform>
                """.formatted(actors));
        return PlatformLoader.load(file);
    }

    private RunReport run(Platform p, RunOptions options) {
        RunReport r = Runner.run(p, p.deployment(), options, new RunListener() {});
        Scenario.assertNoneLeft(r);
        for (RunReport.ActorReport a : r.actors()) {
            assertThat(a.exitCode()).as("%s: %s", a.name(), Scenario.text(a.stderr())).isZero();
        }
        return r;
    }

    @Test
    void libcResolvesEveryPlatformHostToItsSimulatedAddressAndSeesItsOwnHostName() throws Exception {
        Platform p = threeHosts("alice", "bob", "carol", "localhost", "no-such-host.invalid");
        Addresses addresses = new Addresses(p);
        RunReport r = run(p, Scenario.options(dir.resolve("out")));

        for (int i = 0; i < 2; i++) {
            String self = List.of("alice", "carol").get(i);
            List<Map<String, String>> lines = Scenario.results(r.actors().get(i));
            assertThat(lines).hasSize(11);
            for (Map<String, String> line : lines.subList(0, 10)) {
                String name = line.get("name");
                String expected = switch (name) {
                    case "localhost" -> "127.0.0.1";
                    case "no-such-host.invalid" -> null;
                    default -> Addresses.format(addresses.ipOf(p.host(name).orElseThrow()));
                };
                if (expected == null) {
                    assertThat(line.get("addr")).as("%s on %s", line, self).startsWith("fail:");
                } else {
                    assertThat(line.get("addr")).as("%s on %s", line, self).isEqualTo(expected);
                }
            }
            assertThat(lines.get(10)).containsExactly(Map.entry("gethostname", self), Map.entry("nodename", self),
                    Map.entry("etc_hostname", self));
        }
        assertThat(addresses.ipOf(p.host("bob").orElseThrow())).isEqualTo(Addresses.parse("192.168.7.9"));
        assertThat(Files.readString(dir.resolve("out/etc/hosts"))).contains("10.0.0.1\talice\n192.168.7.9\tbob\n10.0.0.2\tcarol\n");
        // libc read the resolver's configuration from the generated files: no server but the host itself, hosts from files first
        assertThat(Files.readString(dir.resolve("out/etc/resolv.conf"))).contains("nameserver 127.0.0.1\n").doesNotContain("search");
        assertThat(Files.readAllLines(dir.resolve("out/etc/nsswitch.conf")).stream().filter(l -> l.strip().startsWith("hosts:")))
                .containsExactly("hosts: files dns");
    }

    /** The randomness app's one line, by key. */
    private Map<String, String> randomness(long seed, boolean keepAslr, String out) {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("randomness"), 0);
        RunOptions o = Scenario.options(dir.resolve(out)).withSeed(seed).withAslrKept(keepAslr);
        RunReport r = s.run(o, new RunListener() {});
        assertThat(r.success()).as("%s", Scenario.text(r.actors().getFirst().stderr())).isTrue();
        List<Map<String, String>> lines = Scenario.results(r.actors().getFirst());
        assertThat(lines).hasSize(1);
        return lines.getFirst();
    }

    @Test
    void theSameSeedRepeatsEveryRandomByteAndAddressAndAnotherSeedChangesOnlyTheBytes() {
        Map<String, String> first = randomness(7, false, "a");
        Map<String, String> again = randomness(7, false, "b");
        Map<String, String> other = randomness(8, false, "c");

        assertThat(again).isEqualTo(first);
        for (String bytes : List.of("urandom", "getrandom", "at_random")) {
            assertThat(first.get(bytes)).hasSize(32).isNotEqualTo(other.get(bytes));
        }
        assertThat(first.get("urandom")).isNotEqualTo(first.get("getrandom")).isNotEqualTo(first.get("at_random"));
        for (String address : List.of("stack", "heap", "libc")) {
            assertThat(other.get(address)).as(address).isEqualTo(first.get(address));
        }
    }

    @Test
    void keepingAslrMovesTheStackHeapAndLibrariesFromRunToRun() {
        Map<String, String> first = randomness(7, true, "a");
        Map<String, String> again = randomness(7, true, "b");

        assertThat(again.get("getrandom")).isEqualTo(first.get("getrandom"));
        for (String address : List.of("stack", "heap", "libc")) {
            assertThat(again.get(address)).as(address).isNotEqualTo(first.get(address));
        }
    }

    @Test
    void aUrandomFdIsFollowedThroughDupCloseForkAndCloexecAtExec() throws Exception {
        Path file = dir.resolve("plain.txt");
        Files.writeString(file, "a plain file\n");
        List<Map<String, String>> runs = new ArrayList<>();
        for (String out : List.of("a", "b")) {
            Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("alice", Scenario.app("randomness"), 0, "fds", file.toString());
            RunReport r = s.run(Scenario.options(dir.resolve(out)), new RunListener() {});
            assertThat(r.success()).as("%s", Scenario.text(r.actors().getFirst().stderr())).isTrue();
            Map<String, String> all = new java.util.LinkedHashMap<>();
            Scenario.results(r.actors().getFirst()).forEach(all::putAll);
            runs.add(all);
        }
        Map<String, String> seen = runs.getFirst();
        // A number that was /dev/urandom's, reused for a plain file after close and after an exec
        // that closed a CLOEXEC one, reads the file: the table forgot the device each time.
        assertThat(seen.get("reused_after_close")).isEqualTo("a_plain_file");
        assertThat(seen.get("reused_after_exec")).isEqualTo("a_plain_file");
        List<String> bytes = List.of(seen.get("first"), seen.get("dup"), seen.get("child"), seen.get("parent"), seen.get("inherited"));
        assertThat(bytes).allSatisfy(hex -> assertThat(hex).matches("[0-9a-f]{16}")).doesNotHaveDuplicates();
        assertThat(runs.get(1)).isEqualTo(seen); // the dup, the child's copy and the exec'ed image's fd are seeded too
    }

    @Test
    void debianPython3SeesThePlatformNamesAndSeededRandomness() throws Exception {
        Path script = dir.resolve("names.py");
        Files.writeString(script, """
                import os, socket
                print(socket.gethostbyname("bob"), socket.getaddrinfo("alice", 80, socket.AF_INET)[0][4][0],
                      socket.gethostname(), os.uname().nodename)
                with open("/dev/urandom", "rb") as f:
                    print(os.urandom(8).hex(), f.read(8).hex())
                """);
        List<String> outputs = new ArrayList<>();
        for (String out : List.of("a", "b")) {
            Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms").actor("bob", "/usr/bin/python3", 0, script.toString());
            RunReport r = s.run(Scenario.options(dir.resolve(out)), new RunListener() {});
            assertThat(r.success()).as("%s", Scenario.text(r.actors().getFirst().stderr())).isTrue();
            outputs.add(Scenario.text(r.actors().getFirst().stdout()));
        }
        String[] lines = outputs.getFirst().split("\n");
        assertThat(lines[0]).isEqualTo("10.0.0.2 10.0.0.1 bob bob");
        assertThat(lines[1]).matches("[0-9a-f]{16} [0-9a-f]{16}");
        assertThat(outputs.get(1)).isEqualTo(outputs.getFirst());
    }

    @Test
    void theStdinPropFeedsTheActorsStandardInputRelativeToItsCwd() throws Exception {
        Files.writeString(dir.resolve("input.txt"), "line one\nline two\n");
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("alice", "/bin/cat", Map.of("cwd", dir.toString(), "stdin", "input.txt"))
                .actor("bob", "/bin/cat", Map.of());
        RunReport r = s.run();
        assertThat(r.success()).isTrue();
        assertThat(Scenario.text(r.actors().get(0).stdout())).isEqualTo("line one\nline two\n");
        assertThat(Scenario.text(r.actors().get(1).stdout())).isEmpty(); // default: /dev/null
    }

    @Test
    void aMissingStdinFileIsALocatedErrorBeforeAnythingRuns() {
        Scenario s = new Scenario(dir, "LV08", "100MBps", "10ms")
                .actor("alice", Scenario.app("names"), Map.of("stdin", "no-such-input.txt"));
        Platform p = s.platform();
        assertThatThrownBy(() -> Runner.run(p, p.deployment(), Scenario.options(dir.resolve("out")), new RunListener() {}))
                .isInstanceOf(PlatformException.class)
                .hasMessageMatching(".*platform\\.xml:\\d+:\\d+: actor '.*names': prop stdin: .*no-such-input\\.txt does not exist");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}

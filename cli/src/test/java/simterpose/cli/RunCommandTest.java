package simterpose.cli;

import static simterpose.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simterpose run} refuses bad input before launching anything: each deployment here starts
 * with an actor that would create a marker file if it ever ran, and the marker must stay absent.
 */
class RunCommandTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("simterpose.root", ".."), "examples")
            .toAbsolutePath().normalize();

    @TempDir
    Path dir;



    private Path marker() {
        return dir.resolve("launched");
    }

    /** A deployment whose first actor would touch the marker, followed by {@code more} actors. */
    private Path deployment(String more) throws Exception {
        Path file = dir.resolve("deploy.xml");
        Files.writeString(file, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <actor host="server" function="/usr/bin/touch"><argument value="%s"/></actor>
                %s</platform>
                """.formatted(marker(), more));
        return file;
    }

    /** Runs and checks the common promise: exit 2, one line on stderr, nothing on stdout, nothing launched. */
    private String refused(String... args) {
        long childrenBefore = ProcessHandle.current().children().count();
        CliRun.Result r = run(args);
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("simterpose: ").doesNotContain("Exception", "\tat ");
        assertThat(marker()).doesNotExist();
        assertThat(ProcessHandle.current().children().count()).isEqualTo(childrenBefore);
        assertThat(dir.resolve("out")).doesNotExist();
        return r.err().strip();
    }

    private String[] args(Path platform, Path deployment, String... options) {
        List<String> argv = new java.util.ArrayList<>(List.of("run", platform.toString(), deployment.toString(),
                "-o", dir.resolve("out").toString()));
        argv.addAll(List.of(options));
        return argv.toArray(String[]::new);
    }

    @Test
    void malformedPlatformIsOneLocatedLineAndLaunchesNothing() throws Exception {
        Path platform = dir.resolve("bad.xml");
        Files.writeString(platform, """
                <?xml version='1.0'?>
                <platform version="4.1">
                  <zone id="z" routing="Full">
                    <host id="server" speed="1Gf">
                  </zone>
                </platform>
                """);
        String err = refused(args(platform, deployment("")));
        assertThat(err).matches("simterpose: " + java.util.regex.Pattern.quote(platform.toString())
                + ":5:\\d+: not well-formed XML: .*host.*");
    }

    @Test
    void badViewOptionsAreRefusedBeforeLaunching() throws Exception {
        Path platform = EXAMPLES.resolve("two-hosts.xml");
        Path deployment = deployment("");
        assertThat(refused(args(platform, deployment, "--blocking=soon")))
                .startsWith("simterpose: --blocking=soon: ");
        assertThat(refused(args(platform, deployment, "--blocking=-1ms")))
                .startsWith("simterpose: --blocking=-1ms: ");
        assertThat(refused(args(platform, deployment, "-e", "trace=openat"))).isEqualTo(
                "simterpose: -e trace=openat: selects native calls for --strace logs; give --strace=DIR too");
        assertThat(refused(args(platform, deployment, "--strace=" + dir.resolve("s"), "-e", "trace=nosuchcall")))
                .startsWith("simterpose: -e trace=nosuchcall: ");
        assertThat(refused(args(platform, deployment, "--pcap-headers-only")))
                .isEqualTo("simterpose: --pcap-headers-only: give --pcap=DIR too");
        Files.writeString(dir.resolve("file"), "");
        assertThat(refused(args(platform, deployment, "--pcap=" + dir.resolve("file"))))
                .isEqualTo("simterpose: --pcap=" + dir.resolve("file") + ": exists and is not a directory");
    }

    /** {@code --blocking} takes a MIN only attached ({@code --blocking=MIN}): the files after it stay the command's. */
    @Test
    void blockingBeforeTheFilesLeavesThemToTheCommand() throws Exception {
        CliRun.Result r = run("run", "--blocking", EXAMPLES.resolve("two-hosts.xml").toString(), deployment("").toString(),
                "-o", dir.resolve("out").toString(), "--cpu-model=none");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("blocking calls (at least 1.000000 ms):");
        assertThat(marker()).exists();
    }

    @Test
    void missingPlatformFileIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere.xml");
        assertThat(refused(args(missing, deployment("")))).isEqualTo("simterpose: " + missing + ": no such file");
    }

    @Test
    void unknownHostInTheDeploymentIsLocatedAtItsActor() throws Exception {
        Path deployment = deployment("  <actor host=\"nowhere\" function=\"/usr/bin/true\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .isEqualTo("simterpose: " + deployment + ":4:51: actor '/usr/bin/true': unknown host 'nowhere'"
                        + " (expected one of the platform's 2 hosts)");
    }

    @Test
    void missingProgramIsLocatedAtItsActor() throws Exception {
        Path missing = dir.resolve("no-such-program");
        Path deployment = deployment("  <actor host=\"client\" function=\"" + missing + "\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .startsWith("simterpose: " + deployment + ":4:")
                .endsWith("actor '" + missing + "' on host 'client': cannot run '" + missing + "': no such file (" + missing + ")");
    }

    @Test
    void missingStdinFileIsLocatedAtItsActor() throws Exception {
        Path missing = dir.resolve("no-such-input");
        Path deployment = deployment("  <actor host=\"client\" function=\"/bin/cat\">\n"
                + "    <prop id=\"stdin\" value=\"" + missing + "\"/>\n  </actor>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .isEqualTo("simterpose: " + deployment + ":4:44: actor '/bin/cat': prop stdin: " + missing + " does not exist");
    }

    @Test
    void envPropPairWithoutANameIsLocatedAtItsActorByRunAndEmulateAlike() throws Exception {
        Path deployment = deployment("  <actor host=\"client\" function=\"/usr/bin/true\">\n"
                + "    <prop id=\"env\" value=\"A=1 =2\"/>\n  </actor>\n");
        String expected = "simterpose: " + deployment + ":4:49: actor '/usr/bin/true': prop env expects NAME=VALUE pairs "
                + "separated by spaces, got '=2'";
        String[] run = args(EXAMPLES.resolve("two-hosts.xml"), deployment);
        assertThat(refused(run)).isEqualTo(expected);
        run[0] = "emulate";
        assertThat(refused(run)).isEqualTo(expected);
    }

    @Test
    void programNotExecutableIsRefused() throws Exception {
        Path script = dir.resolve("script.sh");
        Files.writeString(script, "#!/bin/sh\ntouch " + marker() + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Path deployment = deployment("  <actor host=\"client\" function=\"" + script + "\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .endsWith("cannot run '" + script + "': " + script + " is not executable");
    }

    @Test
    void bareProgramNameIsSearchedOnPath() throws Exception {
        Path deployment = deployment("  <actor host=\"client\" function=\"no-such-program-on-path-42\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .contains("on host 'client': cannot run 'no-such-program-on-path-42': not found in PATH (");
    }

    @Test
    void aDeploymentWithoutActorsIsRefused() {
        Path platform = EXAMPLES.resolve("two-hosts.xml");
        assertThat(refused("run", platform.toString(), "-o", dir.resolve("out").toString()))
                .isEqualTo("simterpose: " + platform + ": no actors to run (expected <actor host=\"…\" function=\"program\">"
                        + " elements)");
    }

    @Test
    void badOptionValuesAreRefusedBeforeAnythingRuns() throws Exception {
        Path platform = EXAMPLES.resolve("two-hosts.xml");
        Path deployment = deployment("");
        assertThat(refused(args(platform, deployment, "--cpu-model=fast")))
                .isEqualTo("simterpose: --cpu-model=fast: expected 'measured' or 'none'");
        assertThat(refused(args(platform, deployment, "--unmediated=maybe")))
                .isEqualTo("simterpose: --unmediated=maybe: expected 'fail' or 'pass'");
        assertThat(refused(args(platform, deployment, "--mediation=kernel")))
                .isEqualTo("simterpose: --mediation=kernel: expected 'full' or 'address'");
        assertThat(refused(args(platform, deployment, "--epoch=yesterday")))
                .startsWith("simterpose: --epoch=yesterday: expected seconds since 1970");
        assertThat(refused(args(platform, deployment, "--local-speed=fast")))
                .startsWith("simterpose: --local-speed=fast: ");
        assertThat(refused(args(platform, deployment, "--local-speed=0")))
                .isEqualTo("simterpose: --local-speed=0: expected a positive speed, e.g. 2.5Gf");
        assertThat(refused(args(platform, deployment, "--spin-limit=500ms")))
                .isEqualTo("simterpose: --spin-limit=500ms: expected a time of at least 1s, e.g. 30s");
        assertThat(refused(args(platform, deployment, "--spin-limit=long"))).startsWith("simterpose: --spin-limit=long: ");
        assertThat(refused(args(platform, deployment, "--quantum=1ns"))).startsWith("simterpose: --quantum=1ns: ");
        assertThat(refused(args(platform, deployment, "--progress=-1")))
                .isEqualTo("simterpose: --progress=-1: expected a number of seconds (0 disables)");
        assertThat(refused(args(platform, deployment, "--cfg=network/model")))
                .isEqualTo("simterpose: --cfg=network/model: expected KEY:VALUE, e.g. network/model:CM02");
        assertThat(refused(args(platform, deployment, "--cfg=network/model:XX")))
                .isEqualTo("simterpose: --cfg: network/model: 'XX' is not supported (expected LV08, CM02 or TCP)");
        assertThat(refused(args(platform, deployment, "--json=" + dir.resolve("no/such/dir/r.json"))))
                .startsWith("simterpose: --json=" + dir.resolve("no/such/dir/r.json") + ": no such directory");
        Files.writeString(dir.resolve("afile"), "");
        assertThat(refused("run", platform.toString(), deployment.toString(), "-o", dir.resolve("afile").toString()))
                .isEqualTo("simterpose: --output-dir=" + dir.resolve("afile") + ": exists and is not a directory");
    }

    @Test
    void unknownOptionGetsPicocliUsageAndExitTwo() throws Exception {
        CliRun.Result r = run(args(EXAMPLES.resolve("two-hosts.xml"), deployment(""), "--frobnicate"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'");
        assertThat(marker()).doesNotExist();
    }

    @Test
    void helpDocumentsTheExitCodes() {
        CliRun.Result r = run("run", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("Exit status:\\n  0 +every actor exited 0").containsPattern("\\n  1 +some actor")
                .containsPattern("\\n  2 +bad input").containsPattern("\\n  3 +deadlock").containsPattern("\\n  130 +interrupted by Ctrl-C");
    }

    @Test
    void epochIsSecondsOrAnIso8601Date() {
        assertThat(RunCommand.parseEpoch("946684800")).isEqualTo(946_684_800.0);
        assertThat(RunCommand.parseEpoch("1.5")).isEqualTo(1.5);
        assertThat(RunCommand.parseEpoch("2000-01-01T00:00:00Z")).isEqualTo(946_684_800.0);
        assertThat(RunCommand.parseEpoch("2000-01-01T01:00:00.25+01:00")).isEqualTo(946_684_800.25);
        assertThat(RunCommand.parseEpoch("2024-05-01T12:00:00")).isEqualTo(1_714_564_800.0);
        assertThat(RunCommand.parseEpoch("2024-05-01")).isEqualTo(1_714_521_600.0);
    }
    @Test
    void epochOutsideNineteenSeventyToTwoThousandHundredIsRefused() throws Exception {
        Path platform = EXAMPLES.resolve("two-hosts.xml");
        Path deployment = deployment("");
        assertThat(refused(args(platform, deployment, "--epoch=1e300")))
                .isEqualTo("simterpose: --epoch=1e300: expected a date between 1970-01-01T00:00:00Z (0) and 2100-01-01T00:00:00Z (4102444800)");
        assertThat(refused(args(platform, deployment, "--epoch=-1"))).startsWith("simterpose: --epoch=-1: expected a date between");
        assertThat(refused(args(platform, deployment, "--epoch=2200-01-01"))).startsWith("simterpose: --epoch=2200-01-01: expected a date between");
        assertThat(RunCommand.parseEpoch("2100-01-01T00:00:00Z")).isEqualTo(4_102_444_800.0);
    }

    @Test
    void jsonReportOnProcIsRefusedBeforeLaunching() throws Exception {
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment(""), "--json=/proc/version")))
                .isEqualTo("simterpose: --json=/proc/version: on the proc file system, where no report can be written");
    }

    @Test
    void cfgCanBeRepeatedAndTheLaterItemWins() throws Exception {
        Path platform = EXAMPLES.resolve("two-hosts.xml");
        assertThat(refused(args(platform, deployment(""), "--cfg=network/model:CM02", "--cfg=network/model:XX")))
                .isEqualTo("simterpose: --cfg: network/model: 'XX' is not supported (expected LV08, CM02 or TCP)");
    }

    @Test
    void scriptWhoseInterpreterIsMissingIsRefusedAtItsActor() throws Exception {
        Path script = dir.resolve("script.sh");
        Files.writeString(script, "#!/no/such/shell -e\ntouch " + marker() + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deployment = deployment("  <actor host=\"client\" function=\"" + script + "\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .startsWith("simterpose: " + deployment + ":4:")
                .endsWith("cannot run '" + script + "': its #! interpreter /no/such/shell does not exist");
    }

    @Test
    void garbageElfIsRefusedAtItsActor() throws Exception {
        Path elf = dir.resolve("garbage");
        byte[] bytes = new byte[200];
        new java.util.Random(1).nextBytes(bytes);
        bytes[0] = 0x7f;
        bytes[1] = 'E';
        bytes[2] = 'L';
        bytes[3] = 'F';
        Files.write(elf, bytes);
        Files.setPosixFilePermissions(elf, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deployment = deployment("  <actor host=\"client\" function=\"" + elf + "\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .startsWith("simterpose: " + deployment + ":4:").contains("cannot run '" + elf + "': " + elf + " is ");
    }

    @Test
    void programPathEndingInSlashIsRefused() throws Exception {
        Path deployment = deployment("  <actor host=\"client\" function=\"/bin/true/\"/>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .endsWith("cannot run '/bin/true/': a program path cannot end with '/' (execve: ENOTDIR)");
    }

    @Test
    void argumentLongerThanLinuxAcceptsIsOneLocatedError() throws Exception {
        String huge = "x".repeat(3 << 20);
        Path deployment = deployment("  <actor host=\"client\" function=\"/bin/echo\"><argument value=\"" + huge + "\"/></actor>\n");
        assertThat(refused(args(EXAMPLES.resolve("two-hosts.xml"), deployment)))
                .startsWith("simterpose: " + deployment + ":4:")
                .endsWith("cannot run '/bin/echo': argument 1 is 3145728 bytes long, more than Linux's 131071 (execve would fail with E2BIG)");
    }
}

package simterpose.cli.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Paje file read back by pajeng's pj_dump; the Chrome trace read back by Python's json. */
class TimelineWritersTest {
    private static final long MS = 1_000_000L;

    @TempDir Path dir;

    /** The netcat exchange: server accepts, client connects, sends 6 bytes, both close. */
    private static void netcat(PajeWriter paje) {
        paje.host(0, "server");
        paje.host(0, "client");
        paje.link(0, "link");
        paje.actor(0, "server", "server/nc/100", "nc[100]");
        paje.actor(0, "client", "client/nc/101", "nc[101]");
        paje.state(0, "server/nc/100", "running");
        paje.state(0, "client/nc/101", "running");
        paje.state(1 * MS, "server/nc/100", "blocked in accept");
        paje.state(100 * MS, "client/nc/101", "blocked in poll");
        paje.transfer(300 * MS, 400 * MS, "client/nc/101", "server/nc/100", 6);
        paje.linkUsage(300 * MS, "link", 60);
        paje.state(300 * MS, "client/nc/101", "running");
        paje.state(301 * MS, "server/nc/100", "running");
        paje.linkUsage(400 * MS, "link", 0);
        paje.state(400 * MS + 1, "server/nc/100", "blocked in poll");
        paje.actorEnd(500 * MS, "client/nc/101");
        paje.actorEnd(600 * MS, "server/nc/100");
        paje.end(600 * MS);
    }

    @Test
    void pjDumpReadsContainersStatesTheTransferArrowAndLinkUsage() throws Exception {
        Path file = dir.resolve("run.paje");
        try (PajeWriter paje = new PajeWriter(Files.newBufferedWriter(file))) {
            netcat(paje);
        }
        Tool.Result r = Tool.run("/usr/bin/pj_dump", file.toString());
        assertThat(r.status()).as(r.out()).isZero();
        List<String> rows = r.out().lines().map(l -> l.replaceAll(" +", " ")).toList();
        assertThat(rows).contains(
                "Container, platform, host, 0, 0.6, 0.6, server",
                "Container, server, actor, 0, 0.6, 0.6, nc[100]",
                "Container, client, actor, 0, 0.5, 0.5, nc[101]",
                "State, nc[100], actor state, 0.001000, 0.301000, 0.300000, 0.000000, blocked in accept",
                "State, nc[101], actor state, 0.100000, 0.300000, 0.200000, 0.000000, blocked in poll",
                "Link, platform, transfer, 0.300000, 0.400000, 0.100000, 6 B, nc[101], nc[100], t0",
                "Variable, link, bandwidth used, 0.300000, 0.400000, 0.100000, 60.000000");
    }

    @Test
    void eventsBeforeTheLastDateAreRefused() {
        PajeWriter paje = new PajeWriter(new StringWriter());
        paje.host(5 * MS, "a");
        assertThatThrownBy(() -> paje.host(4 * MS, "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chromeTraceIsJsonWithOneSlicePerStateAndAFlowPerTransfer() throws Exception {
        Path file = dir.resolve("run.json");
        try (ChromeTraceWriter chrome = new ChromeTraceWriter(Files.newBufferedWriter(file))) {
            chrome.host("server");
            chrome.host("client \"quoted\"");
            chrome.actor("server", "s", "nc");
            chrome.actor("client \"quoted\"", "c", "nc");
            chrome.state(0, "s", "running");
            chrome.state(1 * MS, "s", "blocked in accept");
            chrome.state(0, "c", "running");
            chrome.transfer(300 * MS, 400 * MS + 7, "c", "s", 6);
            chrome.linkUsage(300 * MS, "link", 60);
            chrome.state(301 * MS, "s", "running");
            chrome.end(600 * MS);
        }
        Tool.Result r = Tool.run("/usr/bin/python3", "-c", """
                import json, sys
                t = json.load(open(sys.argv[1]))
                for e in t['traceEvents']:
                    if e['ph'] != 'M':
                        print(e['ph'], e['name'], e['pid'], e.get('tid', '-'), e['ts'], e.get('dur', '-'))
                """, file.toString());
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out().lines()).containsExactlyInAnyOrder(
                "X running 1 1 0.0 1000.0",
                "X blocked in accept 1 1 1000.0 300000.0",
                "s 6 B 2 2 300000.0 -",
                "f 6 B 1 1 400000.007 -",
                "C link 0 - 300000.0 -",
                "X running 1 1 301000.0 299000.0",
                "X running 2 2 0.0 600000.0");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"client \\\"quoted\\\"\"");
    }

    @Test
    void sameEventsGiveTheSameBytes() throws IOException {
        StringWriter a = new StringWriter(), b = new StringWriter();
        netcat(new PajeWriter(a));
        netcat(new PajeWriter(b));
        assertThat(a.toString()).isEqualTo(b.toString());
    }
}

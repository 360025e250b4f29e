package simterpose.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MalformedInputTest {
    private static final String ZONE = "<zone id='z' routing='Full'>\n";
    private static final String HOSTS = "<host id='a' speed='1Gf'/>\n<host id='b' speed='1Gf'/>\n<link id='l' bandwidth='1GBps'/>\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not well-formed           | <zone id='z' routing='Full'>                                                          | 4 | not well-formed XML
        unknown element           | <zone id='z' routing='Full'><bogus/></zone>                                           | 3 | unknown or misplaced element <bogus>
        unsupported element       | <zone id='z' routing='Full'><peer id='p'/></zone>                                     | 3 | unsupported element <peer>
        unknown attribute         | <zone id='z' routing='Full' colour='red'></zone>                                      | 3 | unknown attribute 'colour' on <zone>
        missing attribute         | <zone id='z'></zone>                                                                  | 3 | missing attribute 'routing' on <zone>
        unknown routing           | <zone id='z' routing='Shortest'></zone>                                               | 3 | unknown routing="Shortest"
        unsupported routing       | <zone id='z' routing='Vivaldi'></zone>                                                | 3 | unsupported routing="Vivaldi"
        bad speed unit            | <zone id='z' routing='Full'><host id='a' speed='1GHz'/></zone>                        | 3 | speed of host a: unknown unit 'GHz'
        bad bandwidth             | <zone id='z' routing='Full'><link id='l' bandwidth='fast'/></zone>                    | 3 | bandwidth of link l: expected a bandwidth
        bad latency unit          | <zone id='z' routing='Full'><link id='l' bandwidth='1Bps' latency='3sec'/></zone>     | 3 | latency of link l: unknown unit 'sec'
        negative bandwidth        | <zone id='z' routing='Full'><link id='l' bandwidth='-1Bps'/></zone>                   | 3 | must be a positive number
        bad core                  | <zone id='z' routing='Full'><host id='a' speed='1f' core='many'/></zone>              | 3 | core="many": expected an integer
        duplicate host            | <zone id='z' routing='Full'><host id='a' speed='1f'/><host id='a' speed='1f'/></zone> | 3 | duplicate id 'a'
        duplicate link            | <zone id='z' routing='Full'><link id='l' bandwidth='1f'/></zone>                      | 3 | unknown unit 'f'
        bad policy                | <zone id='z' routing='Full'><link id='l' bandwidth='1Bps' sharing_policy='FAIR'/></zone> | 3 | sharing_policy="FAIR"
        bad radical               | <cluster id='c' prefix='' suffix='' radical='1-2-3' speed='1f' bw='1Bps' lat='0'/>    | 3 | malformed radical '1-2-3'
        radical not a number      | <cluster id='c' prefix='' suffix='' radical='a-b' speed='1f' bw='1Bps' lat='0'/>      | 3 | radical="a": expected an integer
        cluster attribute         | <cluster id='c' prefix='' suffix='' radical='1' speed='1f' bw='1Bps' lat='0' backbone='x'/> | 3 | unknown attribute 'backbone' on <cluster>
        torus cluster             | <cluster id='c' prefix='' suffix='' radical='1' speed='1f' bw='1Bps' lat='0' topology='TORUS'/> | 3 | unsupported topology="TORUS"
        two roots                 | <zone id='y' routing='Full'></zone><zone id='z' routing='Full'></zone>                | 3 | a second top-level <zone>
        bad symmetrical           | <zone id='z' routing='Full'><host id='a' speed='1f'/><route src='a' dst='a' symmetrical='maybe'/></zone> | 3 | symmetrical="maybe"
        unknown route host        | <zone id='z' routing='Full'><route src='a' dst='b'/></zone>                           | 3 | src='a' names no host
        empty route               | <zone id='z' routing='Full'><host id='a' speed='1f'/><host id='b' speed='1f'/><route src='a' dst='b'/></zone> | 3 | empty route between 'a' and 'b'
        actor on unknown host     | <zone id='z' routing='Full'><host id='a' speed='1f'/></zone><actor host='nowhere' function='f'/> | 3 | unknown host 'nowhere'
        bad start time            | <actor host='a' function='f' start_time='soon'/>                                      | 3 | start_time="soon": expected a number
        negative start time       | <zone id='z' routing='Full'><host id='a' speed='1f'/></zone><actor host='a' function='f' start_time='-2'/> | 3 | start_time="-2": expected zero or a positive number
        kill before start         | <zone id='z' routing='Full'><host id='a' speed='1f'/></zone><actor host='a' function='f' start_time='5' kill_time='5'/> | 3 | kill_time="5" is not after start_time (5.0 s)
        kill at zero              | <zone id='z' routing='Full'><host id='a' speed='1f'/></zone><actor host='a' function='f' kill_time='0'/> | 3 | kill_time="0" is not after start_time (0.0 s)
        fractional core           | <zone id='z' routing='Full'><host id='a' speed='1f' core='1.5'/></zone>               | 3 | core="1.5": expected an integer
        core with spaces          | <zone id='z' routing='Full'><host id='a' speed='1f' core=' 2'/></zone>                | 3 | core=" 2": expected an integer
        speed with leading space  | <zone id='z' routing='Full'><host id='a' speed=' 1Gf'/></zone>                        | 3 | without leading spaces, got ' 1Gf'
        start time with space     | <actor host='a' function='f' start_time=' 1'/>                                        | 3 | start_time=" 1": expected a number
        start time java-only form | <actor host='a' function='f' start_time='1d'/>                                        | 3 | start_time="1d": expected a number
        bad ip                    | <zone id='z' routing='Full'><host id='a' speed='1f'><prop id='ip' value='10.0.0.256'/></host></zone> | 3 | ip '10.0.0.256' is not an IPv4 address
        reserved ip               | <zone id='z' routing='Full'><host id='a' speed='1f'><prop id='ip' value='127.0.0.2'/></host></zone> | 3 | ip '127.0.0.2' is reserved
        duplicate ip              | <zone id='z' routing='Full'><host id='a' speed='1f'><prop id='ip' value='10.0.0.9'/></host><host id='b' speed='1f'><prop id='ip' value='10.0.0.9'/></host></zone> | 3 | ip 10.0.0.9 is already the address of the host at bad.xml:3:
        duplicate prop            | <zone id='z' routing='Full'><host id='a' speed='1f'><prop id='ip' value='10.0.0.9'/><prop id='ip' value='10.0.0.8'/></host></zone> | 3 | prop 'ip' given twice
        ip on a cluster           | <cluster id='c' prefix='n' suffix='' radical='1-2' speed='1f' bw='1Bps' lat='0'><prop id='ip' value='10.0.0.9'/></cluster> | 3 | an ip prop on a cluster of 2 hosts
        bad network model         | <config><prop id='network/model' value='Fast'/></config><zone id='z' routing='Full'/> | 3 | network/model: 'Fast' is not supported (expected LV08, CM02 or TCP)
        """)
    void everyMalformedInputIsOneLocatedError(String what, String body, int line, String expected) {
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> PlatformLoader.parse("bad.xml", Platforms.xml(body)));
        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).startsWith("bad.xml:" + line + ":").contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        route to missing link      | <route src='a' dst='b'><link_ctn id='nope'/></route>     | 7 | no such link: 'nope'
        zoneRoute between hosts    | <zoneRoute src='a' dst='b' gw_src='a' gw_dst='b'><link_ctn id='l'/></zoneRoute> | 7 | src and dst must be zones
        """)
    void routingErrorsPointAtTheRouteOrItsZone(String what, String route, int line, String expected) {
        String body = ZONE + HOSTS + route + "\n</zone>";
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> PlatformLoader.parse("bad.xml", Platforms.xml(body)));
        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).startsWith("bad.xml:" + line + ":").contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        <?xml version='1.0'?><platform><zone id='z' routing='Full'/></platform> | too old
        <?xml version='1.0'?><platform version='5'><zone id='z' routing='Full'/></platform> | from the future
        <?xml version='1.0'?><zone id='z' routing='Full'/> | unknown or misplaced element <zone>
        '' | not well-formed XML
        """)
    void wrongRootOrVersionIsRejected(String xml, String expected) {
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> PlatformLoader.parse("bad.xml", xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.getMessage()).contains(expected);
        assertThat(e.line()).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        missing.xml | no such file
        """)
    void unreadableFileIsReportedByName(String name, String expected) {
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> PlatformLoader.load(java.nio.file.Path.of("/nonexistent", name)));
        assertThat(e.getMessage()).isEqualTo("/nonexistent/" + name + ": " + expected);
    }
    @org.junit.jupiter.api.Test
    void anUndeclaredEntityIsAnErrorEvenWhenTheFileNamesAnExternalDtd() {
        String head = "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\"%s>\n"
                + "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n<host id=\"a&%s;\" speed=\"1Gf\"/></zone></platform>\n";
        PlatformException e = catchThrowableOfType(PlatformException.class,
                () -> PlatformLoader.parse("bad.xml", head.formatted("", "nope").getBytes(StandardCharsets.UTF_8)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("bad.xml:4:18: not well-formed XML: The entity \"nope\" was referenced, but not declared.");
        // An entity the internal subset declares still expands; the external DTD is never fetched.
        Platform p = PlatformLoader.parse("ok.xml", head.formatted(" [<!ENTITY me \"lpha\">]", "me").getBytes(StandardCharsets.UTF_8));
        assertThat(p.hosts()).extracting(Host::name).containsExactly("alpha");
    }
}

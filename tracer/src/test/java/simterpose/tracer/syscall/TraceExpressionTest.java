package simterpose.tracer.syscall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

class TraceExpressionTest {
    private static int nr(String name) {
        return SyscallTable.byName(name).orElseThrow().number();
    }

    @Test
    void namesAndCommaLists() {
        assertThat(TraceExpression.parse("getppid")).containsExactly(110);
        assertThat(TraceExpression.parse("open,close,read")).containsExactly(0, 2, 3);
    }

    @Test
    void classesSelectTheirRowsWithOrWithoutPercent() {
        Set<Integer> net = TraceExpression.parse("%network");
        assertThat(net).contains(nr("socket"), nr("connect"), nr("accept4"), nr("sendfile"))
                .doesNotContain(nr("read"), nr("clock_gettime"), nr("getppid"));
        assertThat(TraceExpression.parse("%net")).isEqualTo(net);
        assertThat(TraceExpression.parse("network")).isEqualTo(net);
        assertThat(TraceExpression.parse("%%stat")).contains(nr("stat"), nr("fstat"), nr("newfstatat"), nr("statx"));
        assertThat(TraceExpression.parse("%clock")).contains(nr("clock_gettime"), nr("gettimeofday"), nr("time"));
    }

    @Test
    void negationComplementsTheWholeList() {
        Set<Integer> notFile = TraceExpression.parse("!%file,getpid");
        assertThat(notFile).doesNotContain(nr("openat"), nr("getpid")).contains(nr("read"), nr("socket"));
        assertThat(notFile.size() + TraceExpression.parse("%file,getpid").size())
                .isEqualTo(SyscallTable.all().size());
    }

    @Test
    void allNoneRegexAndNumbers() {
        assertThat(TraceExpression.parse("all")).hasSize(SyscallTable.all().size());
        assertThat(TraceExpression.parse("none")).isEmpty();
        assertThat(TraceExpression.parse("!all")).isEmpty();
        assertThat(TraceExpression.parse("/^get.*pid$")).containsExactlyInAnyOrder(nr("getpid"), nr("getppid"));
        assertThat(TraceExpression.parse("/sock")).contains(nr("socket"), nr("socketpair"), nr("getsockopt"));
        assertThat(TraceExpression.parse("39")).containsExactly(39);
        assertThat(TraceExpression.parse("?nosuchcall,getpid")).containsExactly(39);
    }

    @Test
    void errorsNameTheBadToken() {
        assertThatThrownBy(() -> TraceExpression.parse("open,frobnicate")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid system call 'frobnicate'");
        assertThatThrownBy(() -> TraceExpression.parse("%nosuchclass")).hasMessage("invalid system call '%nosuchclass'");
        assertThatThrownBy(() -> TraceExpression.parse("/[")).hasMessageStartingWith("invalid regular expression '['");
        assertThatThrownBy(() -> TraceExpression.parse("/^zzz")).hasMessageContaining("no system call matches");
        assertThatThrownBy(() -> TraceExpression.parse("")).hasMessage("empty item in trace expression");
        assertThatThrownBy(() -> TraceExpression.parse("open,,close")).hasMessage("empty item in trace expression");
        assertThatThrownBy(() -> TraceExpression.parse("336")).hasMessage("invalid system call '336'");
    }
}

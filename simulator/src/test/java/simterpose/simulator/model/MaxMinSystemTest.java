package simterpose.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The solver alone, on systems small enough to solve by hand. */
class MaxMinSystemTest {
    private static final double EPS = 1e-12;
    private final MaxMinSystem<String> sys = new MaxMinSystem<>(1e-5);

    @Test
    void sharesAreInverseToPenaltiesOnASharedConstraint() {
        var c = sys.newConstraint("c", 90, false);
        var x = sys.newVariable("x", 1, -1);
        var y = sys.newVariable("y", 2, -1);
        sys.expand(c, x, 1);
        sys.expand(c, y, 1);
        sys.solve();
        assertThat(x.value()).isCloseTo(60, within(EPS));
        assertThat(y.value()).isCloseTo(30, within(EPS));
    }

    @Test
    void aBoundedVariableLeavesTheRestToOthers() {
        var c = sys.newConstraint("c", 100, false);
        var x = sys.newVariable("x", 1, 10);
        var y = sys.newVariable("y", 1, -1);
        sys.expand(c, x, 1);
        sys.expand(c, y, 1);
        sys.solve();
        assertThat(x.value()).isCloseTo(10, within(EPS));
        assertThat(y.value()).isCloseTo(90, within(EPS));
    }

    @Test
    void aFatpipeBoundsEachVariableNotTheirSum() {
        var c = sys.newConstraint("c", 100, true);
        var x = sys.newVariable("x", 1, -1);
        var y = sys.newVariable("y", 1, -1);
        sys.expand(c, x, 1);
        sys.expand(c, y, 1);
        sys.solve();
        assertThat(x.value()).isCloseTo(100, within(EPS));
        assertThat(y.value()).isCloseTo(100, within(EPS));
        assertThat(c.load()).isCloseTo(100, within(EPS));
    }

    @Test
    void theBottleneckIsFoundAcrossConstraints() {
        // x on a (10) and b (100); y on b only: x = 10 (a), y = 90 (rest of b)
        var a = sys.newConstraint("a", 10, false);
        var b = sys.newConstraint("b", 100, false);
        var x = sys.newVariable("x", 1, -1);
        var y = sys.newVariable("y", 1, -1);
        sys.expand(a, x, 1);
        sys.expand(b, x, 1);
        sys.expand(b, y, 1);
        sys.solve();
        assertThat(x.value()).isCloseTo(10, within(EPS));
        assertThat(y.value()).isCloseTo(90, within(EPS));
    }

    @Test
    void weightsScaleConsumptionAndRepeatedExpansionAddsUp() {
        var c = sys.newConstraint("c", 105, false);
        var x = sys.newVariable("x", 1, -1);
        sys.expand(c, x, 1);
        sys.expand(c, x, 0.05); // a flow crossing the link both ways (cross-traffic)
        sys.solve();
        assertThat(x.value()).isCloseTo(100, within(EPS));
    }

    @Test
    void disabledVariablesTakeNothingAndOnlyTheChangedPartIsRecomputed() {
        var c1 = sys.newConstraint("c1", 10, false);
        var c2 = sys.newConstraint("c2", 10, false);
        var x = sys.newVariable("x", 1, -1);
        var y = sys.newVariable("y", 0, -1); // paying its latency
        var z = sys.newVariable("z", 1, -1);
        sys.expand(c1, x, 1);
        sys.expand(c1, y, 1);
        sys.expand(c2, z, 1);
        assertThat(sys.solve()).extracting(MaxMinSystem.Variable::owner).containsExactlyInAnyOrder("x", "z");
        assertThat(x.value()).isCloseTo(10, within(EPS));
        assertThat(y.value()).isZero();
        sys.updatePenalty(y, 1);
        // only c1's component is re-solved: z is not reported
        assertThat(sys.solve()).extracting(MaxMinSystem.Variable::owner).containsExactlyInAnyOrder("x", "y");
        assertThat(x.value()).isCloseTo(5, within(EPS));
        assertThat(y.value()).isCloseTo(5, within(EPS));
        assertThat(z.value()).isCloseTo(10, within(EPS));
        sys.free(x);
        sys.solve();
        assertThat(y.value()).isCloseTo(10, within(EPS));
    }

    @Test
    void levelsWithinPrecisionOfABoundAreFixedTogether() {
        // bounds 50 and 50 + 1e-6 are "equal" at maxmin/precision 1e-5: both fixed at their bound
        var c = sys.newConstraint("c", 1000, false);
        var x = sys.newVariable("x", 1, 50);
        var y = sys.newVariable("y", 1, 50 + 1e-6);
        sys.expand(c, x, 1);
        sys.expand(c, y, 1);
        sys.solve();
        assertThat(x.value()).isEqualTo(50);
        assertThat(y.value()).isEqualTo(50 + 1e-6);
    }
}

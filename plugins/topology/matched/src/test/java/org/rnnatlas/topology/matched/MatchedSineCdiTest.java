package org.rnnatlas.topology.matched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.TopologyMetric.Topology;
import org.rnnatlas.spi.testkit.TopologyContract;

/** The contract on sine networks, and the sine and CDI behaviours. */
class MatchedSineCdiTest extends TopologyContract {

    static FixtureTask sineTask() {
        List<Condition> cs = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            cs.add(new Condition(String.format(Locale.ROOT, "input=%.2f", i / 20.0), new double[] {i / 20.0}));
        }
        return new FixtureTask("sine", 1, 1, cs);
    }

    static FixtureTask cdiTask() {
        return new FixtureTask("cdi", 4, 1, List.of(new Condition("context=0", new double[] {0, 0, 1, 0}),
                new Condition("context=1", new double[] {0, 0, 0, 1})));
    }

    static FixedPoint point(int condition, double y, int unstable) {
        return new FixedPoint(new double[] {y, condition}, condition, 0.0, new double[] {y},
                new double[] {unstable > 0 ? 1.02 : 0.9, 0.1}, new double[2], unstable);
    }

    /** One oscillation centre per sine condition at readout amp·x, plus extra points. */
    static NetworkDynamics sine(double amp, FixedPoint... extra) {
        List<FixedPoint> pts = new ArrayList<>();
        for (int c = 0; c < 21; c++) {
            pts.add(point(c, amp * c / 20.0, 2));
        }
        pts.addAll(List.of(extra));
        return new FixedPointsOnly(sineTask(), 2, pts, 1.0);
    }

    /** n line-attractor points per context with readouts evenly spaced on [-r, r]; {@code swap} exchanges contexts. */
    static NetworkDynamics cdi(int n, double r, boolean swap) {
        List<FixedPoint> pts = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                pts.add(point(swap ? 1 - c : c, -r + 2.0 * r * i / (n - 1) + 100.0 * c, 0));
            }
        }
        return new FixedPointsOnly(cdiTask(), 2, pts, 1.0);
    }

    @Override
    protected TopologyMetric metric() {
        return new MatchedTopologyMetric();
    }

    @Override
    protected List<NetworkDynamics> networks() {
        return List.of(sine(1.0), sine(1.3), sine(1.0, point(4, 3.0, 0)));
    }

    private static double d(NetworkDynamics a, NetworkDynamics b) {
        MatchedTopologyMetric m = new MatchedTopologyMetric();
        return m.distance(m.topology(a, new SplittableRandom(1)), m.topology(b, new SplittableRandom(1)));
    }

    @Test
    void aSpuriousSinePointCostsOnePenalty() {
        assertEquals(1.0 / 43.0, d(sine(1.0), sine(1.0, point(4, 3.0, 0))), 1e-15);
    }

    @Test
    void cdiIsResampledSoTheFindersCountDoesNotMatter() {
        // 58 and 77 points on the same lines: ranks 3k of 57 and 4k of 76 are the same quantiles k/19, same readouts
        assertEquals(0.0, d(cdi(58, 10.0, false), cdi(77, 10.0, false)));
        // 50 points: nearest rank round(49k/19) is off the exact quantile by at most half a spacing, 0.5 * 20/49
        // readout units, so D <= 0.204 / 2 (a per-pair cost over 2p)
        double dd = d(cdi(50, 10.0, false), cdi(77, 10.0, false));
        assertTrue(dd > 0.0 && dd <= 0.5 * 20.0 / 49.0 / 2.0, "same line attractor, different candidate counts: " + dd);
        // a shorter line: readouts differ by up to 5 units, capped at 2p
        assertTrue(d(cdi(50, 10.0, false), cdi(50, 5.0, false)) > 0.3);
        Topology few = new MatchedTopologyMetric().topology(cdi(12, 10.0, false), new SplittableRandom(1));
        assertEquals(24, few.rows(), "a context with fewer than 20 points keeps them all");
        assertTrue(Double.isFinite(d(cdi(12, 10.0, false), cdi(50, 10.0, false))), "defined for differing counts");
    }

    @Test
    void pointsOfDifferentContextsNeverCorrespond() {
        // every point of `swapped` sits at the readout of a point of the other context in `plain` (context 1 is offset
        // by 100 readout units): only cross-context pairs are close, and they count as unmatched
        assertEquals(1.0, d(cdi(30, 0.5, false), cdi(30, 0.5, true)), 1e-15);
    }

    @Test
    void layoutsOfDifferentTasksAreNotComparable() {
        MatchedTopologyMetric m = new MatchedTopologyMetric();
        Topology sine = m.topology(sine(1.0), new SplittableRandom(1));
        Topology ff = m.topology(new DecoupledTanhNetwork(FixtureTask.flipFlop(3), 2.0, 2.0, 2.0),
                new SplittableRandom(1));
        assertTrue(Double.isNaN(m.distance(sine, ff)));
        Topology empty = new Topology(0, sine.cols(), new double[0], List.of());
        assertEquals(1.0, m.distance(sine, empty), "nothing to match: every point unmatched");
        assertEquals(0.0, m.distance(empty, empty));
    }
}

package org.rnnatlas.topology.neighbour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.TopologyMetric.Topology;
import org.rnnatlas.spi.testkit.TopologyContract;

class NeighbourGraphSineTest extends TopologyContract {

    @Override
    protected TopologyMetric metric() {
        return new NeighbourGraphMetric();
    }

    @Override
    protected List<NetworkDynamics> networks() {
        return List.of(Fixtures.sine(x -> new double[] {x, x * x}),
                Fixtures.sine(x -> new double[] {Math.cos(6.0 * x), Math.sin(6.0 * x), 0.0}), // closes to a loop
                Fixtures.sine(x -> new double[] {x, 0.0}));
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("neighbours", "3"), Map.of("points", "10"));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("neighbours", "0"), Map.of("points", "1"), Map.of("points", "x"));
    }

    /** The path graph of n points in order: interior points to i±1, the ends to their next two. */
    static double[] path(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            int[] nb = i == 0 ? new int[] {1, 2} : i == n - 1 ? new int[] {n - 2, n - 3} : new int[] {i - 1, i + 1};
            for (int j : nb) {
                a[i * n + j] = 1.0;
            }
        }
        return a;
    }

    @Test
    void aSmoothCurveGivesThePathGraphInInputOrder() {
        Topology t = new NeighbourGraphMetric().topology(Fixtures.sine(x -> new double[] {x, x * x}),
                new SplittableRandom(1));
        assertEquals(21, t.rows());
        assertEquals(21, t.cols());
        org.junit.jupiter.api.Assertions.assertArrayEquals(path(21), t.values());
        assertEquals("y=[0.00] unstable=2 input=0.00", t.rowLabels().get(0));
        assertEquals("y=[1.00] unstable=2 input=1.00", t.rowLabels().get(20));
    }

    @Test
    void aSpuriousExtraPointDoesNotChangeTheGraph() {
        NetworkDynamics clean = Fixtures.sine(x -> new double[] {x, x * x});
        List<FixedPoint> pts = new ArrayList<>(clean.fixedPoints());
        pts.add(0, Fixtures.sinePoint(7, new double[] {0.35, 3.0})); // off the curve, same condition as input 0.35
        NetworkDynamics noisy = new FixedPointsOnly(clean.task(), 2, pts, 1.0);
        NeighbourGraphMetric m = new NeighbourGraphMetric();
        Topology a = m.topology(clean, new SplittableRandom(1));
        Topology b = m.topology(noisy, new SplittableRandom(1));
        assertEquals(0.0, m.distance(a, b));
        assertEquals(a.rowLabels(), b.rowLabels());
    }

    @Test
    void aMissingConditionChangesTheShapeAndTheDistanceIsUndefined() {
        NetworkDynamics full = Fixtures.sine(x -> new double[] {x, 0.0});
        List<FixedPoint> pts = full.fixedPoints().stream().filter(p -> p.condition() != 10).toList();
        NeighbourGraphMetric m = new NeighbourGraphMetric();
        Topology a = m.topology(full, new SplittableRandom(1));
        Topology b = m.topology(new FixedPointsOnly(full.task(), 2, pts, 1.0), new SplittableRandom(1));
        assertEquals(20, b.rows());
        assertTrue(Double.isNaN(m.distance(a, b)));
    }

    @Test
    void aFoldedCurveLinksAcrossTheFold() {
        // a hairpin: inputs 0..0.5 go right along y = 0, 0.55..1 come back along y = 0.01; the two legs are closer
        // (0.01) than consecutive points (0.1), so points link across the fold
        NetworkDynamics hairpin = Fixtures.sine(x -> x <= 0.5 ? new double[] {x, 0.0}
                : new double[] {1.0 - x + 0.025, 0.01});
        NeighbourGraphMetric m = new NeighbourGraphMetric();
        Topology t = m.topology(hairpin, new SplittableRandom(1));
        Topology line = m.topology(Fixtures.sine(x -> new double[] {x, 0.0}), new SplittableRandom(1));
        double d = m.distance(t, line);
        assertTrue(d > 2.0, "a fold must change many links, distance " + d);
        // point 5 (x = 0.25) and point 15 (x = 0.75 -> 0.275 on the way back) are 0.025 apart in x, 0.01 in y
        assertEquals(1.0, t.values()[5 * 21 + 15]);
    }

    @Test
    void otherTasksAreRefused() {
        NeighbourGraphMetric m = new NeighbourGraphMetric();
        assertTrue(m.appliesTo("sine"));
        assertTrue(m.appliesTo("cdi"));
        assertFalse(m.appliesTo("flipflop"));
        NetworkDynamics ff = new FixedPointsOnly(FixtureTask.flipFlop(3), 3, List.of(), 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.topology(ff, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("sine and cdi"), e.getMessage());
    }
}

package org.rnnatlas.topology.transition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.TopologyMetric.Topology;
import org.rnnatlas.spi.testkit.TopologyContract;

class TransitionGraphMetricTest extends TopologyContract {

    private static final Task FLIPFLOP = FixtureTask.flipFlop(3);

    @Override
    protected TopologyMetric metric() {
        return new TransitionGraphMetric();
    }

    @Override
    protected List<NetworkDynamics> networks() {
        return List.of(
                new DecoupledTanhNetwork(FLIPFLOP, 2.0, 2.0, 2.0),
                new DecoupledTanhNetwork(FLIPFLOP, 3.0, 2.5, 2.0),
                // the finder missed the origin: 26 rows, a NaN distance to the others
                new DecoupledTanhNetwork(FLIPFLOP, 1.0, 1.0, p -> p.unstableDims() < 3, 2.0, 2.0, 2.0));
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("perturbations", "20", "radius", "0.05"), Map.of("radius-fraction", "0.2",
                "tolerance", "0.05", "max-steps", "500"));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("perturbations", "0"), Map.of("radius", "-1"), Map.of("radius", "big"),
                Map.of("tolerance", "abc"), Map.of("max-steps", "1.5"), Map.of("radius-fraction", "NaN"));
    }

    private static double at(Topology t, int i, int j) {
        return t.values()[i * t.cols() + j];
    }

    @Test
    void twoStablePointsAndASaddleBetween() {
        // s1' = tanh(2 s1), s2' = tanh(0.5 s2): stable (-a, 0) and (a, 0), saddle at the origin
        Task task = FixtureTask.flipFlop(2);
        NetworkDynamics net = new DecoupledTanhNetwork(task, 2.0, 0.5);
        Topology t = new TransitionGraphMetric().configure(Map.of("perturbations", "2000"))
                .topology(net, new SplittableRandom(11));
        assertEquals(3, t.rows());
        assertEquals(3, t.cols(), "two stable points plus the settled-nowhere column");
        double a = DecoupledTanhNetwork.root(2.0);
        assertEquals(List.of(
                String.format(java.util.Locale.ROOT, "y=[%.2f, 0.00] unstable=0", -a),
                "y=[0.00, 0.00] unstable=1",
                String.format(java.util.Locale.ROOT, "y=[%.2f, 0.00] unstable=0", a)), t.rowLabels());
        assertArrayEquals(new double[] {1, 0, 0}, new double[] {at(t, 0, 0), at(t, 0, 1), at(t, 0, 2)});
        assertArrayEquals(new double[] {0, 1, 0}, new double[] {at(t, 2, 0), at(t, 2, 1), at(t, 2, 2)});
        // the saddle's starts go left or right with the sign of their first component: 50/50, sd 0.011 at B = 2000
        assertEquals(0.5, at(t, 1, 0), 0.05);
        assertEquals(1.0, at(t, 1, 0) + at(t, 1, 1), 1e-12);
        assertEquals(0.0, at(t, 1, 2));
    }

    @Test
    void cubeSaddlesGoToTheirNeighbouringCorners() {
        DecoupledTanhNetwork net = new DecoupledTanhNetwork(FLIPFLOP, 2.0, 2.0, 2.0);
        Topology t = new TransitionGraphMetric().topology(net, new SplittableRandom(3));
        assertEquals(27, t.rows());
        assertEquals(9, t.cols(), "8 stable corners plus settled-nowhere");
        // rebuild the row order independently: readout = state, sort by (rounded) components, then |lambda|
        List<FixedPoint> rows = net.fixedPoints().stream().sorted((p, q) -> {
            for (int k = 0; k < 3; k++) {
                int c = Double.compare(p.state()[k], q.state()[k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }).toList();
        List<FixedPoint> corners = rows.stream().filter(FixedPoint::stable).toList();
        assertEquals(8, corners.size());
        int saddles1 = 0;
        for (int i = 0; i < 27; i++) {
            FixedPoint p = rows.get(i);
            double sum = 0.0;
            for (int j = 0; j < 9; j++) {
                sum += at(t, i, j);
            }
            assertEquals(1.0, sum, 1e-12, "row " + i + " sums to 1");
            assertEquals(0.0, at(t, i, 8), "nothing settles nowhere in a cube: row " + t.rowLabels().get(i));
            for (int j = 0; j < 8; j++) {
                double[] c = corners.get(j).state();
                boolean neighbour = true; // corner agrees with the point on every non-zero coordinate
                for (int k = 0; k < 3; k++) {
                    neighbour &= p.state()[k] == 0.0 || p.state()[k] == c[k];
                }
                double pij = at(t, i, j);
                if (p.stable()) {
                    assertEquals(neighbour ? 1.0 : 0.0, pij, "stable row " + t.rowLabels().get(i));
                } else if (!neighbour) {
                    assertEquals(0.0, pij, "saddle " + t.rowLabels().get(i) + " reaches only neighbouring corners");
                } else if (p.unstableDims() == 1) {
                    assertEquals(0.5, pij, 0.2, "1-saddle " + t.rowLabels().get(i) + " splits about evenly");
                } else {
                    assertTrue(pij > 0.0, "saddle " + t.rowLabels().get(i) + " reaches each neighbouring corner");
                }
            }
            saddles1 += p.unstableDims() == 1 ? 1 : 0;
        }
        assertEquals(12, saddles1, "a cube has 12 edge saddles");
    }

    @Test
    void stableDiagonalIsNotForcedWhenTheRadiusLeavesTheBasin() {
        // r = 3 reaches far into the other orthants: some starts of a stable corner end at another corner
        DecoupledTanhNetwork net = new DecoupledTanhNetwork(FLIPFLOP, 2.0, 2.0, 2.0);
        Topology t = new TransitionGraphMetric().configure(Map.of("radius", "3")).topology(net, new SplittableRandom(5));
        double minDiagonal = 1.0;
        int col = 0;
        for (int i = 0; i < t.rows(); i++) {
            if (t.rowLabels().get(i).endsWith("unstable=0")) {
                minDiagonal = Math.min(minDiagonal, at(t, i, col++));
            }
        }
        assertEquals(8, col);
        assertTrue(minDiagonal < 0.9, "a radius outside the basin must show up on the diagonal, min " + minDiagonal);
    }

    @Test
    void startsThatNeverArriveSettleNowhere() {
        DecoupledTanhNetwork net = new DecoupledTanhNetwork(FLIPFLOP, 2.0, 2.0, 2.0);
        Topology t = new TransitionGraphMetric().configure(Map.of("max-steps", "1", "tolerance", "1e-9"))
                .topology(net, new SplittableRandom(5));
        for (int i = 0; i < t.rows(); i++) {
            assertEquals(1.0, at(t, i, t.cols() - 1), "row " + t.rowLabels().get(i));
        }
    }

    @Test
    void usesBatchedStepsOnlyAndSeedsMatter() {
        DecoupledTanhNetwork inner = new DecoupledTanhNetwork(FLIPFLOP, 2.0, 2.0, 2.0);
        AtomicInteger batches = new AtomicInteger();
        NetworkDynamics batchedOnly = new NetworkDynamics() {
            public Task task() { return inner.task(); }
            public int stateSize() { return inner.stateSize(); }
            public void step(double[] s, double[] x, double[] sNext) {
                throw new AssertionError("perturbation runs must go through stepBatch");
            }
            public void stepBatch(int batch, double[] s, double[] x, double[] sNext) {
                assertTrue(batch >= 1 && batch <= 100, "batch of at most `perturbations` rows, got " + batch);
                batches.incrementAndGet();
                inner.stepBatch(batch, s, x, sNext);
            }
            public void readout(double[] s, double[] y) { inner.readout(s, y); }
            public List<FixedPoint> fixedPoints() { return inner.fixedPoints(); }
            public double meanStateNorm() { return inner.meanStateNorm(); }
        };
        TransitionGraphMetric m = new TransitionGraphMetric();
        Topology a = m.topology(batchedOnly, new SplittableRandom(1));
        assertTrue(batches.get() > 27 && batches.get() < 27 * 100, "batched steps: " + batches.get());
        assertArrayEquals(a.values(), m.topology(inner, new SplittableRandom(1)).values());
        Topology b = m.topology(inner, new SplittableRandom(2));
        assertFalse(java.util.Arrays.equals(a.values(), b.values()), "another seed draws other directions");
        assertTrue(m.distance(a, b) > 0.0 && m.distance(a, b) < 2.0, "sampling noise only: " + m.distance(a, b));
    }

    @Test
    void appliesToFlipFlopOnly() {
        TransitionGraphMetric m = new TransitionGraphMetric();
        assertTrue(m.appliesTo("flipflop"));
        assertFalse(m.appliesTo("sine"));
        assertFalse(m.appliesTo("cdi"));
        assertEquals(Map.of("perturbations", "100", "radius", "auto", "radius-fraction", "0.1", "tolerance", "0.01",
                "max-steps", "2000"), m.options());
    }
}

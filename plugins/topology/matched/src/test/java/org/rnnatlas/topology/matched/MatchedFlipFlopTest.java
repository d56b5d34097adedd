package org.rnnatlas.topology.matched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.TopologyMetric.Topology;
import org.rnnatlas.spi.testkit.TopologyContract;

class MatchedFlipFlopTest extends TopologyContract {

    private static final Task FLIPFLOP = FixtureTask.flipFlop(3);
    private static final Map<String, String> OFF = Map.of("transitions", "off");

    @Override
    protected TopologyMetric metric() {
        return new MatchedTopologyMetric();
    }

    static DecoupledTanhNetwork cube() {
        return new DecoupledTanhNetwork(FLIPFLOP, 2.0, 2.0, 2.0);
    }

    static DecoupledTanhNetwork cubeWithout(java.util.function.Predicate<FixedPoint> keep, double readoutScale) {
        return new DecoupledTanhNetwork(FLIPFLOP, readoutScale, 1.0, keep, 2.0, 2.0, 2.0);
    }

    @Override
    protected List<NetworkDynamics> networks() {
        return List.of(cube(), new DecoupledTanhNetwork(FLIPFLOP, 3.0, 2.5, 2.0),
                cubeWithout(p -> p.unstableDims() < 3, 1.0), cubeWithout(p -> p.unstableDims() == 0, 1.2));
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(OFF, Map.of("penalty", "2", "stability-weight", "0", "perturbations", "20"));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("penalty", "0"), Map.of("stability-weight", "-1"), Map.of("transitions", "on"),
                Map.of("cdi-points", "1"), Map.of("perturbations", "-3"), Map.of("readout-scale", "inf"));
    }

    private static double d(MatchedTopologyMetric m, NetworkDynamics a, NetworkDynamics b) {
        return m.distance(m.topology(a, new SplittableRandom(1)), m.topology(b, new SplittableRandom(2)));
    }

    @Test
    void aMissingPointCostsOnePenaltyOverTheTotalCount() {
        NetworkDynamics missing = cubeWithout(p -> p.unstableDims() < 3, 1.0);
        for (String penalty : List.of("1", "3")) {
            MatchedTopologyMetric m = new MatchedTopologyMetric().configure(Map.of("transitions", "off",
                    "penalty", penalty));
            // 26 points match at cost 0, the origin stays unmatched: p / (p (27 + 26))
            assertEquals(1.0 / 53.0, d(m, cube(), missing), 1e-15, "penalty " + penalty);
        }
    }

    @Test
    void aReadoutShiftCostsItsMeanDistance() {
        // readout y = 1.1 s against y = s: every point matches its counterpart at cost 0.1 |s|
        MatchedTopologyMetric m = new MatchedTopologyMetric().configure(OFF);
        DecoupledTanhNetwork net = cube();
        double sum = 0.0;
        for (FixedPoint p : net.fixedPoints()) {
            double n2 = 0.0;
            for (double v : p.state()) {
                n2 += v * v;
            }
            sum += 0.1 * Math.sqrt(n2);
        }
        assertEquals(sum / 54.0, d(m, net, cubeWithout(p -> true, 1.1)), 1e-12);
    }

    @Test
    void stabilityMismatchIsWeighted() {
        // a network whose points have the cube's readouts but all report one more unstable dimension
        DecoupledTanhNetwork net = cube();
        List<FixedPoint> shifted = new ArrayList<>();
        for (FixedPoint p : net.fixedPoints()) {
            shifted.add(new FixedPoint(p.state(), 0, 0, p.readout(), p.eigenReal(), p.eigenImag(),
                    p.unstableDims() + 1));
        }
        NetworkDynamics other = new FixedPointsOnly(FLIPFLOP, 3, shifted, 1.0);
        MatchedTopologyMetric m = new MatchedTopologyMetric().configure(Map.of("transitions", "off",
                "stability-weight", "0.25"));
        assertEquals(27 * 0.25 / 54.0, d(m, net, other), 1e-12);
    }

    @Test
    void orderOfTheFinderDoesNotMatter() {
        DecoupledTanhNetwork net = cube();
        List<FixedPoint> shuffled = new ArrayList<>(net.fixedPoints());
        Collections.shuffle(shuffled, new java.util.Random(3));
        NetworkDynamics wrapped = new NetworkDynamics() {
            public Task task() { return net.task(); }
            public int stateSize() { return 3; }
            public void step(double[] s, double[] x, double[] sNext) { net.step(s, x, sNext); }
            public void stepBatch(int b, double[] s, double[] x, double[] sNext) { net.stepBatch(b, s, x, sNext); }
            public void readout(double[] s, double[] y) { net.readout(s, y); }
            public List<FixedPoint> fixedPoints() { return shuffled; }
            public double meanStateNorm() { return 1.0; }
        };
        MatchedTopologyMetric m = new MatchedTopologyMetric();
        Topology a = m.topology(net, new SplittableRandom(9));
        Topology b = m.topology(wrapped, new SplittableRandom(9));
        assertArrayEquals(a.values(), b.values());
        assertEquals(0.0, m.distance(a, b));
    }

    @Test
    void saddleTransitionsArePooledByTargetOrthant() {
        // 2 units: stable (-a, 0) in orthant 1 (y0 < 0), (a, 0) in orthant 0; the saddle splits between them
        Task task = FixtureTask.flipFlop(2);
        NetworkDynamics net = new DecoupledTanhNetwork(task, 2.0, 0.5);
        Topology t = new MatchedTopologyMetric().configure(Map.of("perturbations", "2000"))
                .topology(net, new SplittableRandom(4));
        assertEquals(3, t.rows());
        assertEquals(3 + 2 + 5, t.cols(), "condition, instability, K, 2 readouts, 4 orthants + nowhere");
        double[] saddle = java.util.Arrays.copyOfRange(t.values(), t.cols(), 2 * t.cols());
        assertEquals(0.0, saddle[0]);
        assertEquals(1.0, saddle[1]);
        assertEquals(2.0, saddle[2]);
        assertEquals(0.5, saddle[5], 0.05, "orthant 0: (+a, 0)");
        assertEquals(0.5, saddle[6], 0.05, "orthant 1: (-a, 0)");
        assertEquals(1.0, saddle[5] + saddle[6], 1e-12);
        assertEquals(0.0, saddle[7] + saddle[8] + saddle[9]);
        double[] left = java.util.Arrays.copyOfRange(t.values(), 0, t.cols());
        assertEquals(1.0, left[6], "the stable point (-a, 0) returns to itself: orthant 1");
    }

    @Test
    void transitionsSeeDifferentTargets() {
        // same fixed points, readouts and stabilities; in `biased` F sends every start near the saddle to (+a, 0):
        // s0' = -2 s0 on (-0.5, 0) (so 0 is still a fixed point with |lambda| = 2), tanh(2 s0) elsewhere
        DecoupledTanhNetwork symmetric = new DecoupledTanhNetwork(FixtureTask.flipFlop(2), 2.0, 0.5);
        NetworkDynamics biased = new NetworkDynamics() {
            public Task task() { return symmetric.task(); }
            public int stateSize() { return 2; }
            public void step(double[] s, double[] x, double[] sNext) { stepBatch(1, s, x, sNext); }
            public void stepBatch(int b, double[] s, double[] x, double[] sNext) {
                for (int r = 0; r < b; r++) {
                    double s0 = s[2 * r];
                    sNext[2 * r] = s0 < 0.0 && s0 > -0.5 ? -2.0 * s0 : Math.tanh(2.0 * s0);
                    sNext[2 * r + 1] = Math.tanh(0.5 * s[2 * r + 1]);
                }
            }
            public void readout(double[] s, double[] y) { symmetric.readout(s, y); }
            public List<FixedPoint> fixedPoints() { return symmetric.fixedPoints(); }
            public double meanStateNorm() { return 1.0; }
        };
        MatchedTopologyMetric m = new MatchedTopologyMetric().configure(Map.of("perturbations", "400"));
        Topology ts = m.topology(symmetric, new SplittableRandom(1));
        Topology tb = m.topology(biased, new SplittableRandom(1));
        // the saddle row's targets go from ~50/50 to 100/0: TV ~ 0.5 (sd 0.025 at B = 400), cost w_t * TV ~ 0.25,
        // over p (3 + 3): D ~ 0.0417 with sd 0.0021; tolerance 3.5 sd
        double dist = m.distance(ts, tb);
        assertEquals(0.25 / 6.0, dist, 0.0075, "one saddle's transition change");
        assertEquals(0.0, m.configure(Map.of("transition-weight", "0")).distance(ts, tb),
                "with w_t = 0 only readouts and stability count, and those are the same");
        assertFalse(ts.rowLabels().isEmpty());
    }
}

package org.rnnatlas.topology.neighbour;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.testkit.TopologyContract.FixedPointsOnly;
import org.rnnatlas.spi.testkit.TopologyContract.FixtureTask;

/** Hand-built sine and CDI networks given by their fixed points. */
final class Fixtures {

    private Fixtures() {
    }

    /** The sine task's conditions: 21 inputs evenly spaced on [0, 1], labelled like SineWaveTask's. */
    static FixtureTask sineTask() {
        List<Condition> cs = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            double v = i / 20.0;
            cs.add(new Condition(String.format(Locale.ROOT, "input=%.2f", v), new double[] {v}));
        }
        return new FixtureTask("sine", 1, 1, cs);
    }

    /** CDI's conditions: streams 0, one-hot context. */
    static FixtureTask cdiTask() {
        return new FixtureTask("cdi", 4, 1, List.of(new Condition("context=0", new double[] {0, 0, 1, 0}),
                new Condition("context=1", new double[] {0, 0, 0, 1})));
    }

    /** An oscillation centre: an unstable complex pair (2 unstable dimensions). */
    static FixedPoint sinePoint(int condition, double[] state) {
        return new FixedPoint(state, condition, 1e-20, new double[] {state[0]}, new double[] {1.01, 1.01, 0.3},
                new double[] {0.2, -0.2, 0.0}, 2);
    }

    /** One fixed point per sine condition at {@code curve(input)}. */
    static NetworkDynamics sine(DoubleFunction<double[]> curve) {
        List<FixedPoint> pts = new ArrayList<>();
        for (int c = 0; c < 21; c++) {
            pts.add(sinePoint(c, curve.apply(c / 20.0)));
        }
        return new FixedPointsOnly(sineTask(), curve.apply(0.0).length, pts, 1.0);
    }

    /** A marginally stable line-attractor point with readout y. */
    static FixedPoint cdiPoint(int context, double y, double[] state) {
        return new FixedPoint(state, context, 1e-20, new double[] {y}, new double[] {0.999, 0.5, 0.2},
                new double[3], 0);
    }

    /**
     * n points per context along a line in 3-D: context c's line runs along axis c, readout y = t for t evenly spaced
     * on [−1, 1], listed in a scrambled order.
     */
    static NetworkDynamics cdiLines(int n, double bend) {
        List<FixedPoint> pts = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            for (int q = 0; q < n; q++) {
                int i = (q * 7) % n; // n is not a multiple of 7 in the tests: a permutation
                double t = -1.0 + 2.0 * i / (n - 1);
                double[] s = new double[3];
                s[c] = t;
                s[2] = bend * t * t;
                pts.add(cdiPoint(c, t, s));
            }
        }
        return new FixedPointsOnly(cdiTask(), 3, pts, 1.0);
    }
}

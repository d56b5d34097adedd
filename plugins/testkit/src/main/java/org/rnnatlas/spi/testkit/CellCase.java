package org.rnnatlas.spi.testkit;

import java.util.SplittableRandom;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;

/**
 * One parameterised case of {@link CellContract}: activation, sizes and seed. Its {@link #toString} is the test's
 * display name and the prefix of every failure message, so a failure can be replayed with
 * {@code -Drnnatlas.tests.seed=<seed>}.
 */
public record CellCase(Activation activation, int inputs, int hidden, long seed) {

    public CellSpec spec() {
        return new CellSpec(inputs, hidden, activation);
    }

    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    /**
     * A random point to differentiate at: the cell's own initialisation plus Normal(0, 0.1) noise on every entry
     * (so biases are not all equal and every parameter matters).
     */
    public double[] randomParameters(Cell cell, SplittableRandom rng) {
        double[] p = new double[cell.parameterCount(spec())];
        cell.initialize(spec(), rng, p);
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.1 * rng.nextGaussian();
        }
        return p;
    }

    /** A state with every entry uniform in (−1, 1). */
    public double[] randomState(Cell cell, SplittableRandom rng) {
        double[] s = new double[cell.stateSize(spec())];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextDouble(-1.0, 1.0);
        }
        return s;
    }

    /** Normal(0, 1) entries. */
    public static double[] gaussian(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    @Override
    public String toString() {
        return "[" + activation.id() + " M=" + inputs + " N=" + hidden + " seed=" + seed + "]";
    }
}

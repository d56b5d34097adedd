package org.rnnatlas.topology.support;

import org.rnnatlas.spi.TopologyMetric.Topology;

/** Distances between topology matrices. */
public final class Matrices {

    private Matrices() {
    }

    /**
     * ‖A − B‖_F = √(Σᵢⱼ (Aᵢⱼ − Bᵢⱼ)²) when both have the same rows and columns, NaN otherwise (the paper compares only
     * networks with the same fixed-point count). Exactly symmetric: each squared difference is the same in both orders.
     */
    public static double frobenius(Topology a, Topology b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            return Double.NaN;
        }
        double[] x = a.values();
        double[] y = b.values();
        double s = 0.0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}

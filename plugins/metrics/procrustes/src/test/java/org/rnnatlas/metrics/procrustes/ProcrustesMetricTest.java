package org.rnnatlas.metrics.procrustes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.SimilarityMetric.Prepared;
import org.rnnatlas.spi.testkit.SimilarityFixtures;
import org.rnnatlas.spi.testkit.SimilarityMetricContract;

class ProcrustesMetricTest extends SimilarityMetricContract {

    @Override
    protected SimilarityMetric metric() {
        return new ProcrustesMetric();
    }

    /** The nuclear norm from single-precision blocks is within about 1e-5; arccos magnifies that near 0. */
    @Override
    protected double tileTolerance(SimilarityMetric m, double d) {
        return angularTolerance(d, 1e-5);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void closedFormCases(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ProcrustesMetric m = new ProcrustesMetric();
        Representation x = network(rng);
        int n = x.units();
        // X embedded in more units by an n x 2n matrix with orthonormal rows: still a rotation, distance 0
        double[] q = SimilarityFixtures.orthogonal(rng, 2 * n);
        double[] wide = new double[n * 2 * n];
        System.arraycopy(q, 0, wide, 0, wide.length);
        Prepared px = m.prepare(x);
        assertEquals(0.0, m.distance(px, m.prepare(SimilarityFixtures.mapUnits(x, wide, 2 * n))), 1e-6,
                "X vs X R' [seed " + seed + "]");
        // units uncorrelated with every unit of X: build Y from the part of random data orthogonal to X's columns
        Representation y = SimilarityFixtures.lowRank(rng, x.samples(), 4, 4, 0.0);
        Representation yPerp = orthogonalToColumnsOf(y, x);
        assertEquals(1.0, m.distance(px, m.prepare(yPerp)), 1e-6, "XᵀY = 0 gives pi/2 [seed " + seed + "]");
        // a non-orthogonal map (anisotropic scaling of units) is not a rotation: positive distance
        double[] diag = new double[n * n];
        for (int i = 0; i < n; i++) {
            diag[i * n + i] = i == 0 ? 5.0 : 1.0;
        }
        assertTrue(m.distance(px, m.prepare(SimilarityFixtures.mapUnits(x, diag, n))) > 1e-3,
                "stretching one unit changes the shape [seed " + seed + "]");
    }

    /** Y's centred columns with their projection onto the span of X's centred columns (and of 1) removed. */
    private static Representation orthogonalToColumnsOf(Representation y, Representation x) {
        int s = x.samples();
        int n = x.units();
        double[] basis = new double[s * (n + 1)];
        int k = 0;
        double[][] cols = new double[n + 1][];
        for (int p = 0; p <= n; p++) {
            double[] v = new double[s];
            for (int i = 0; i < s; i++) {
                v[i] = p == n ? 1.0 : x.data()[i * n + p];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int i = 0; i < s; i++) {
                        dot += v[i] * cols[j][i];
                    }
                    for (int i = 0; i < s; i++) {
                        v[i] -= dot * cols[j][i];
                    }
                }
            }
            double norm = 0;
            for (double e : v) {
                norm += e * e;
            }
            if (norm > 1e-18) {
                for (int i = 0; i < s; i++) {
                    v[i] /= Math.sqrt(norm);
                }
                cols[k++] = v;
            }
        }
        int u = y.units();
        double[] out = y.data().clone();
        for (int p = 0; p < u; p++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int i = 0; i < s; i++) {
                        dot += out[i * u + p] * cols[j][i];
                    }
                    for (int i = 0; i < s; i++) {
                        out[i * u + p] -= dot * cols[j][i];
                    }
                }
            }
        }
        return new Representation(s, u, out);
    }

    /**
     * The golden values again through {@code prepare(Ops, Representation)}, the form the all-pairs engine calls, on
     * the scalar and the selected kernels; and each input prepared with Ops is at distance 0 from the same input
     * prepared with plain loops (both forms agree to rounding).
     */
    @Test
    void goldenValuesThroughOpsPreparation() throws java.io.IOException {
        org.rnnatlas.spi.testkit.SimilarityGolden golden =
                org.rnnatlas.spi.testkit.SimilarityGolden.load(getClass(), "golden.json");
        for (org.rnnatlas.spi.Ops ops : List.of(org.rnnatlas.core.kernel.Kernels.scalar(),
                org.rnnatlas.core.kernel.Kernels.ops())) {
            for (var c : golden.cases()) {
                SimilarityMetric m = metric().configure(c.options());
                List<SimilarityMetric.Prepared> viaOps = new java.util.ArrayList<>();
                for (Representation r : golden.inputs()) {
                    SimilarityMetric.Prepared p = m.prepare(ops, r);
                    assertEquals(0.0, m.distance(p, m.prepare(r)), tileTolerance(m, 0.0), "Ops vs plain preparation, "
                            + ops.name() + " " + c.options());
                    viaOps.add(p);
                }
                for (var p : c.distances()) {
                    assertEquals(p.distance(), m.distance(viaOps.get(p.i()), viaOps.get(p.j())),
                            tolerance() + m.errorBound(), "golden d(" + p.i() + "," + p.j() + ") with "
                                    + c.options() + " prepared on " + ops.name());
                }
            }
        }
    }
}

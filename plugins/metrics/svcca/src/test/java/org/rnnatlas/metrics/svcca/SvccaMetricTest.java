package org.rnnatlas.metrics.svcca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.SimilarityMetric.Prepared;
import org.rnnatlas.spi.testkit.SimilarityFixtures;
import org.rnnatlas.spi.testkit.SimilarityMetricContract;

class SvccaMetricTest extends SimilarityMetricContract {

    @Override
    protected SimilarityMetric metric() {
        return new SvccaMetric();
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("threshold", "0.99"), Map.of("threshold", "0.5"), Map.of("threshold", "1"));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("threshold", "0"), Map.of("threshold", "1.5"), Map.of("threshold", "-0.1"),
                Map.of("threshold", "NaN"), Map.of("threshold", "most"), Map.of("threshold", ""));
    }

    /**
     * A samples × units representation whose centred columns span exactly the given sample-space directions:
     * X = B D W with B (samples × d) orthonormal and orthogonal to the constant vector, D = diag(1, …, 1) so that
     * every direction carries equal variance, W (d × units) random of full row rank, plus a constant per unit.
     */
    private static Representation spanning(double[] basis, int samples, int d, int units, SplittableRandom rng) {
        double[] w = new double[d * units];
        for (int i = 0; i < w.length; i++) {
            w[i] = SimilarityFixtures.gaussian(rng);
        }
        double[] x = SimilarityFixtures.multiply(basis, samples, d, w, units);
        for (int p = 0; p < units; p++) {
            double mu = rng.nextDouble();
            for (int i = 0; i < samples; i++) {
                x[i * units + p] += mu;
            }
        }
        return new Representation(samples, units, x);
    }

    /** d0 + d1 orthonormal, zero-mean sample-space vectors (columns; samples × (d0 + d1)). */
    private static double[] orthonormalZeroMean(SplittableRandom rng, int samples, int d) {
        double[] v = new double[samples * d];
        for (int j = 0; j < d; j++) {
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 0) {
                    for (int i = 0; i < samples; i++) {
                        v[i * d + j] = SimilarityFixtures.gaussian(rng);
                    }
                }
                double mean = 0;
                for (int i = 0; i < samples; i++) {
                    mean += v[i * d + j];
                }
                for (int i = 0; i < samples; i++) {
                    v[i * d + j] -= mean / samples;
                }
                for (int prev = 0; prev < j; prev++) {
                    double dot = 0;
                    for (int i = 0; i < samples; i++) {
                        dot += v[i * d + j] * v[i * d + prev];
                    }
                    for (int i = 0; i < samples; i++) {
                        v[i * d + j] -= dot * v[i * d + prev];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < samples; i++) {
                norm += v[i * d + j] * v[i * d + j];
            }
            for (int i = 0; i < samples; i++) {
                v[i * d + j] /= Math.sqrt(norm);
            }
        }
        return v;
    }

    private static double[] columns(double[] v, int samples, int d, int from, int count) {
        double[] out = new double[samples * count];
        for (int i = 0; i < samples; i++) {
            System.arraycopy(v, i * d + from, out, i * count, count);
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void identicalSubspacesGiveZeroAndOrthogonalOnesGiveOne(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int s = SAMPLES;
        double[] v = orthonormalZeroMean(rng, s, 9);
        // threshold 1: keep every component, so the retained subspace is the whole column space
        SvccaMetric m = new SvccaMetric().configure(Map.of("threshold", "1"));
        double[] first = columns(v, s, 9, 0, 4);
        Prepared a = m.prepare(spanning(first, s, 4, 7, rng));
        Prepared sameSpan = m.prepare(spanning(first, s, 4, 11, rng));
        Prepared orthogonal = m.prepare(spanning(columns(v, s, 9, 4, 5), s, 5, 6, rng));
        assertEquals(0.0, m.distance(a, sameSpan), 1e-7, "same subspace, different units [seed " + seed + "]");
        assertEquals(1.0, m.distance(a, orthogonal), 1e-7, "orthogonal subspaces [seed " + seed + "]");
        double[] tile = new double[2];
        m.distances(Kernels.ops(), List.of(a), List.of(sameSpan, orthogonal), tile);
        assertEquals(0.0, tile[0], 1e-5, "tile: same subspace [seed " + seed + "]");
        assertEquals(1.0, tile[1], 1e-5, "tile: orthogonal subspaces [seed " + seed + "]");
        // half the directions shared: canonical correlations (1, 1, 0, 0) between 4-dim subspaces -> 1/2
        Prepared half = m.prepare(spanning(columns(v, s, 9, 2, 4), s, 4, 8, rng));
        assertEquals(0.5, m.distance(a, half), 1e-7, "two of four directions shared [seed " + seed + "]");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantToInvertibleMapsOfTheRetainedSubspace(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // an exactly rank-d network and threshold 0.999999: the retained subspace is the column space, which any
        // invertible map of the units preserves (while it changes the singular values)
        SvccaMetric m = new SvccaMetric().configure(Map.of("threshold", "0.999999"));
        int units = 6 + rng.nextInt(10);
        Representation x = SimilarityFixtures.lowRank(rng, SAMPLES, units, 1 + rng.nextInt(5), 0.0);
        Representation mapped = SimilarityFixtures.mapUnits(x, SimilarityFixtures.invertible(rng, units), units);
        Representation y = SimilarityFixtures.lowRank(rng, SAMPLES, 9, 4, 0.0);
        Prepared px = m.prepare(x);
        Prepared pm = m.prepare(mapped);
        Prepared py = m.prepare(y);
        assertEquals(0.0, m.distance(px, pm), 1e-6, "X vs X M [seed " + seed + "]");
        assertEquals(m.distance(px, py), m.distance(pm, py), 1e-6, "d(X, Y) vs d(X M, Y) [seed " + seed + "]");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void gramPreparationMatchesSvdPreparation(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (String threshold : List.of("0.95", "0.99")) {
            SvccaMetric m = new SvccaMetric().configure(Map.of("threshold", threshold));
            for (int t = 0; t < 3; t++) {
                Representation x = network(rng);
                SvccaMetric.Basis gram = m.prepare(x);
                SvccaMetric.Basis svd = (SvccaMetric.Basis) m.prepareBySvd(x);
                assertEquals(svd.k(), gram.k(), "retained dimension [seed " + seed + "]");
                // same subspace: distance 0, and every column of the SVD basis lies in the Gram basis' span
                assertEquals(0.0, m.distance(gram, svd), 1e-6, "Gram vs SVD basis [seed " + seed + "]");
                int s = x.samples();
                int k = gram.k();
                for (int j = 0; j < k; j++) {
                    double norm = 0;
                    for (int i = 0; i < k; i++) {
                        double dot = 0;
                        for (int r = 0; r < s; r++) {
                            dot += (double) gram.at(r, i) * gram.at(r, j);
                        }
                        assertEquals(i == j ? 1.0 : 0.0, dot, 1e-6, "QᵀQ = I [seed " + seed + "]");
                        double proj = 0;
                        for (int r = 0; r < s; r++) {
                            proj += (double) gram.at(r, i) * svd.at(r, j);
                        }
                        norm += proj * proj;
                    }
                    assertEquals(1.0, norm, 1e-6, "SVD column " + j + " in the Gram basis' span [seed " + seed + "]");
                }
            }
        }
    }

    @Test
    void retainedDimensionFollowsTheThreshold() {
        SplittableRandom rng = new SplittableRandom(3);
        Representation x = SimilarityFixtures.lowRank(rng, SAMPLES, 20, 6, 0.0);
        int low = new SvccaMetric().configure(Map.of("threshold", "0.5")).prepare(x).k();
        int high = new SvccaMetric().configure(Map.of("threshold", "0.999999")).prepare(x).k();
        assertTrue(low >= 1 && low < high, "k(0.5) = " + low + " < k(0.999999) = " + high);
        assertEquals(6, high, "an exactly rank-6 network keeps 6 components at threshold 0.999999");
    }

    @Test
    void constantRepresentationIsRefused() {
        Representation flat = new Representation(10, 3, new double[30]);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SvccaMetric().prepare(flat));
        assertTrue(e.getMessage().contains("zero variance"), e.getMessage());
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

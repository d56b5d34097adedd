package org.rnnatlas.metrics.cka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.testkit.SimilarityFixtures;
import org.rnnatlas.spi.testkit.SimilarityMetricContract;

class CkaMetricTest extends SimilarityMetricContract {

    @Override
    protected SimilarityMetric metric() {
        return new CkaMetric();
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("tolerance", "0"), Map.of("form", "angular"), Map.of("form", "angular", "tolerance", "0"),
                Map.of("tolerance", "0.05"), Map.of("estimator", "debiased"),
                Map.of("estimator", "debiased", "form", "angular"));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("estimator", "unbiased"), Map.of("form", "cosine"), Map.of("tolerance", "-1e-3"),
                Map.of("tolerance", "0.5"), Map.of("tolerance", "small"),
                Map.of("estimator", "debiased", "tolerance", "0.001"));
    }

    /** The angular form's tile results: CKA itself is within about 1e-5 in single precision. */
    @Override
    protected double tileTolerance(SimilarityMetric m, double d) {
        return "angular".equals(m.options().get("form")) ? angularTolerance(d, 1e-5) : 1e-4;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void orthogonalMapsGiveCkaOne(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        CkaMetric exact = new CkaMetric().configure(Map.of("tolerance", "0"));
        Representation x = network(rng);
        int n = x.units();
        // X R with R square orthogonal, and X R' with R' (n x 2n) having orthonormal rows: XR'(XR')ᵀ = XXᵀ
        double[] q = SimilarityFixtures.orthogonal(rng, 2 * n);
        double[] wide = new double[n * 2 * n];
        System.arraycopy(q, 0, wide, 0, wide.length);
        Representation rotated = SimilarityFixtures.mapUnits(x, SimilarityFixtures.orthogonal(rng, n), n);
        Representation embedded = SimilarityFixtures.mapUnits(x, wide, 2 * n);
        for (CkaMetric m : List.of(exact, exact.configure(Map.of("estimator", "debiased")))) {
            assertEquals(0.0, m.distance(m.prepare(x), m.prepare(rotated)), 1e-6, "CKA(X, XR) = 1 " + m + " [seed " + seed + "]");
            assertEquals(0.0, m.distance(m.prepare(x), m.prepare(embedded)), 1e-6, "CKA(X, XR') = 1 " + m + " [seed " + seed + "]");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncatedDistancesStayWithinTheErrorBound(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (String form : List.of("linear", "angular")) {
            for (String tol : List.of("0.001", "0.005", "0.02", "0.1")) {
                CkaMetric truncated = new CkaMetric().configure(Map.of("form", form, "tolerance", tol));
                CkaMetric exact = truncated.configure(Map.of("tolerance", "0"));
                double bound = truncated.errorBound();
                assertTrue(bound > 0.0, "a truncating configuration must state a bound");
                for (int t = 0; t < 4; t++) {
                    // wide networks with a low-rank signal and noise: truncation actually drops components
                    Representation x = SimilarityFixtures.lowRank(rng, SAMPLES, 30, 2 + rng.nextInt(5), 0.3);
                    Representation y = t % 2 == 0 ? SimilarityFixtures.lowRank(rng, SAMPLES, 25, 3, 0.3)
                            : SimilarityFixtures.mapUnits(x, SimilarityFixtures.invertible(rng, 30), 30);
                    CkaMetric.Features fx = truncated.prepare(x);
                    double approx = truncated.distance(fx, truncated.prepare(y));
                    double ref = exact.distance(exact.prepare(x), exact.prepare(y));
                    assertTrue(Math.abs(approx - ref) <= bound + 1e-6, "|" + approx + " - " + ref + "| > " + bound
                            + " (form " + form + ", tolerance " + tol + ", r = " + fx.r() + ") [seed " + seed + "]");
                    assertTrue(fx.eps() <= Double.parseDouble(tol), "eps " + fx.eps() + " > tolerance " + tol);
                    if (Double.parseDouble(tol) >= 0.02) {
                        assertTrue(fx.r() < 30, "tolerance " + tol + " should drop noise components, kept " + fx.r());
                    }
                }
            }
        }
    }

    @Test
    void errorBoundFollowsTheDerivation() {
        assertEquals(5e-3, new CkaMetric().errorBound(), 0.0);
        assertEquals(Math.acos(1 - 2 * 5e-3) / Math.PI, new CkaMetric().configure(Map.of("form", "angular")).errorBound(), 1e-15);
        assertEquals(0.0, new CkaMetric().configure(Map.of("tolerance", "0")).errorBound(), 0.0);
        assertEquals("0.0", new CkaMetric().configure(Map.of("estimator", "debiased")).options().get("tolerance"),
                "debiased is exact: tolerance 0 by default");
    }

    @Test
    void preparationsOfDifferentEstimatorsAreNotMixed() {
        SplittableRandom rng = new SplittableRandom(5);
        Representation x = SimilarityFixtures.lowRank(rng, SAMPLES, 8, 3, 0.1);
        CkaMetric biased = new CkaMetric();
        CkaMetric debiased = biased.configure(Map.of("estimator", "debiased"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> debiased.distance(biased.prepare(x), debiased.prepare(x)));
        assertTrue(e.getMessage().contains("biased"), e.getMessage());
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

    /** States of 1e30 (an untrained relu network can reach 1e38) give the distance of the same states at scale 1. */
    @Test
    void hugeStatesGiveTheDistanceOfTheirScaledCopy() {
        SplittableRandom rng = new SplittableRandom(11);
        int samples = 300;
        int n = 12;
        double[] x = new double[samples * n];
        double[] y = new double[samples * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
            y[i] = 0.5 * x[i] + rng.nextGaussian();
        }
        double[] big = x.clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1e30;
        }
        for (String tol : new String[] {"0", "5e-3"}) {
            for (String estimator : new String[] {"biased", "debiased"}) {
                if (estimator.equals("debiased") && !tol.equals("0")) {
                    continue; // the debiased estimator is exact only
                }
                CkaMetric m = new CkaMetric().configure(Map.of("tolerance", tol, "estimator", estimator));
                var py = m.prepare(org.rnnatlas.core.kernel.Kernels.ops(), new Representation(samples, n, y));
                var px = m.prepare(org.rnnatlas.core.kernel.Kernels.ops(), new Representation(samples, n, x));
                var pb = m.prepare(org.rnnatlas.core.kernel.Kernels.ops(), new Representation(samples, n, big));
                double[] normal = new double[1];
                double[] huge = new double[1];
                m.distances(org.rnnatlas.core.kernel.Kernels.ops(), List.of(px), List.of(py), normal);
                m.distances(org.rnnatlas.core.kernel.Kernels.ops(), List.of(pb), List.of(py), huge);
                assertTrue(Double.isFinite(huge[0]), tol + "/" + estimator + ": finite, got " + huge[0]);
                assertEquals(normal[0], huge[0], 1e-6, tol + "/" + estimator);
                assertEquals(m.distance(px, py), m.distance(pb, py), 1e-6, tol + "/" + estimator + " per pair");
            }
        }
    }
}

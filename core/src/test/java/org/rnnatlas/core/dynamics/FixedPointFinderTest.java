package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellSpec;

class FixedPointFinderTest {

    private static RandomGenerator rng(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    private static FixedPointFinder.Options small() {
        return FixedPointFinder.Options.defaults(Activation.TANH).withCandidates(128);
    }

    /** States spread over [−1, 1]^s on a grid: the "trajectories" candidates are sampled from. */
    private static double[] grid(int s, int perAxis) {
        int count = (int) Math.pow(perAxis, s);
        double[] out = new double[count * s];
        for (int c = 0; c < count; c++) {
            int rest = c;
            for (int d = 0; d < s; d++) {
                out[c * s + d] = -1.0 + 2.0 * (rest % perAxis) / (perAxis - 1);
                rest /= perAxis;
            }
        }
        return out;
    }

    /** A = V diag(λ) V⁻¹ with V = [[1,1,0],[0,1,1],[1,0,1]], V⁻¹ = ½[[1,−1,1],[1,1,−1],[−1,1,1]]. */
    static double[][] withEigenvalues(double l0, double l1, double l2) {
        double[][] v = {{1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
        double[][] vi = {{0.5, -0.5, 0.5}, {0.5, 0.5, -0.5}, {-0.5, 0.5, 0.5}};
        double[] l = {l0, l1, l2};
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    a[i][j] += v[i][k] * l[k] * vi[k][j];
                }
            }
        }
        return a;
    }

    /** (I − A)⁻¹ y = V diag(1/(1 − λ)) V⁻¹ y: the linear map's fixed point in closed form. */
    static double[] linearFixedPoint(double[] lambda, double[] y) {
        double[][] v = {{1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
        double[][] vi = {{0.5, -0.5, 0.5}, {0.5, 0.5, -0.5}, {-0.5, 0.5, 0.5}};
        double[] z = new double[3];
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 3; j++) {
                z[k] += vi[k][j] * y[j];
            }
            z[k] /= 1.0 - lambda[k];
        }
        double[] s = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                s[i] += v[i][k] * z[k];
            }
        }
        return s;
    }

    @Test
    void linearMapHasItsOneFixedPointForEachConditionInput() {
        double[] lambda = {0.9, -0.5, 0.2};
        double[][] b = {{1}, {0}, {2}};
        double[] c = {0.3, -0.2, 0.1};
        double[] p = LinearCell.params(withEigenvalues(lambda[0], lambda[1], lambda[2]), b, c);
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder finder = new FixedPointFinder(new LinearCell(), spec, p, small());
        for (double x : new double[] {0.0, 0.5, -0.3}) {
            FixedPointFinder.Result r = finder.find(new double[] {x}, grid(3, 3), rng(1));
            assertEquals(1, r.fixedPoints().size(), "one fixed point at x = " + x + ": " + r.diagnostics());
            double[] expected = linearFixedPoint(lambda, new double[] {c[0] + x, c[1], c[2] + 2 * x});
            assertArrayEquals(expected, r.fixedPoints().get(0).state(), 1e-9, "x = " + x);
            assertTrue(r.fixedPoints().get(0).q() < 1e-20, "Newton refines to q < 1e-20");
        }
    }

    @Test
    void lineOfFixedPointsGivesABoundedSpreadOfPointsOnTheLine() {
        // eigenvalue 1 along v0 = (1, 0, 1) and no offset: every multiple of v0 is a fixed point, J − I is singular
        double[] p = LinearCell.params(withEigenvalues(1.0, 0.5, 0.2), new double[][] {{0}, {0}, {0}},
                new double[] {0, 0, 0});
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p, small())
                .find(new double[1], grid(3, 3), rng(5));
        List<FixedPointFinder.Point> fps = r.fixedPoints();
        assertEquals(FixedPointFinder.CONTINUUM_KEEP, fps.size(), "a continuum keeps a bounded number of points: "
                + r.diagnostics());
        assertTrue(r.diagnostics().collapsed() > 0, "points of the line were collapsed: " + r.diagnostics());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (FixedPointFinder.Point fp : fps) {
            double[] st = fp.state();
            assertEquals(st[0], st[2], 1e-9, "on the line s0 = s2");
            assertEquals(0.0, st[1], 1e-9, "on the line s1 = 0");
            assertTrue(Double.isInfinite(fp.stepEstimate()), "J − I is singular on the line");
            lo = Math.min(lo, st[0]);
            hi = Math.max(hi, st[0]);
        }
        // the candidates spread over s0 ∈ [−1, 1] plus noise: the kept points span the line, not one end of it
        assertTrue(hi - lo > 1.5, "kept points span the line: " + lo + " .. " + hi);
        assertTrue(r.slowPoints().isEmpty(), "no slow points: " + r.slowPoints().size());
    }

    @Test
    void isolatedRootsAreNeverCollapsed() {
        // three separate linear maps' roots are one each; the bistable test below keeps its saddle; here a linear
        // map with a regular J − I keeps its single converged root whatever the candidates
        double[] p = LinearCell.params(withEigenvalues(0.99, 0.5, 0.2), new double[][] {{0}, {0}, {0}},
                new double[] {0.01, 0, 0});
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p, small())
                .find(new double[1], grid(3, 3), rng(5));
        assertEquals(1, r.fixedPoints().size(), r.diagnostics().toString());
        assertEquals(0, r.diagnostics().collapsed());
        assertEquals(FixedPointFinder.Status.CONVERGED, r.fixedPoints().get(0).status());
    }

    @Test
    void unstableLinearFixedPointIsFoundByNewton() {
        double[] lambda = {1.5, 0.5, -0.2};
        double[] c = {0.2, 0.1, -0.3};
        double[] p = LinearCell.params(withEigenvalues(lambda[0], lambda[1], lambda[2]), new double[][] {{0}, {0}, {0}}, c);
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p, small())
                .find(new double[1], grid(3, 3), rng(2));
        assertEquals(1, r.fixedPoints().size());
        assertArrayEquals(linearFixedPoint(lambda, c), r.fixedPoints().get(0).state(), 1e-9);
        Linearisation lin = Linearisation.at(new LinearCell(), spec, p, r.fixedPoints().get(0).state(), new double[1]);
        assertEquals(1, lin.unstableDims());
        assertFalse(lin.stable());
    }

    /** The positive root of a = tanh(2a), by bisection: independent of the finder. */
    static double bistableRoot() {
        double lo = 0.5;
        double hi = 1.0;
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (Math.tanh(2 * mid) - mid > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * s' = tanh(W s), W = [[2, 0.3], [0, 0.5]]: s₂' = tanh(s₂/2) fixes only s₂ = 0, then s₁ = tanh(2 s₁) gives
     * s₁ ∈ {−a, 0, a}. J = diag(1 − s'²) W is upper triangular: eigenvalues 2(1 − s₁²) and 0.5, so (±a, 0) are stable
     * (2(1 − a²) ≈ 0.17) and the origin is a saddle with eigenvalues 2 and 0.5.
     */
    static final double[] BISTABLE = {2, 0.3, 0, 0.5};

    private static FixedPointFinder.Result bistable(long seed) {
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        return new FixedPointFinder(new TanhMapCell(), spec, BISTABLE, small()).find(new double[1], grid(2, 5),
                rng(seed));
    }

    @Test
    void bistableSystemGivesTwoStablePointsAndTheSaddleBetweenThem() {
        double a = bistableRoot();
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder.Result r = bistable(3);
        List<double[]> states = new ArrayList<>();
        r.fixedPoints().forEach(fp -> states.add(fp.state()));
        states.sort(Comparator.comparingDouble(s -> s[0]));
        assertEquals(3, states.size(), "fixed points: " + r.fixedPoints());
        double[][] expected = {{-a, 0}, {0, 0}, {a, 0}};
        int[] unstable = {0, 1, 0};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], states.get(i), 1e-10);
            Linearisation lin = Linearisation.at(new TanhMapCell(), spec, BISTABLE, states.get(i), new double[1]);
            assertEquals(unstable[i], lin.unstableDims(), "point " + i);
            double top = i == 1 ? 2.0 : 0.5;
            double other = i == 1 ? 0.5 : 2 * (1 - a * a);
            assertEquals(top, lin.eigenReal()[0], 1e-9);
            assertEquals(other, lin.eigenReal()[1], 1e-9);
        }
    }

    @Test
    void seedsJoinTheCandidatesAndFindTheRootsTheyStartNear() {
        double a = bistableRoot();
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder finder = new FixedPointFinder(new TanhMapCell(), spec, BISTABLE,
                small().withCandidates(1).withNoise(0, false));
        // one random candidate reaches one root at most
        FixedPointFinder.Result alone = finder.find(new double[1], grid(2, 5), rng(3));
        assertTrue(alone.fixedPoints().size() <= 1, alone.fixedPoints().toString());
        double[] seeds = {-a + 0.05, 0.02, 0.01, -0.01, a - 0.05, 0.02};
        FixedPointFinder.Result seeded = finder.find(new double[1], grid(2, 5), seeds, rng(3));
        List<double[]> states = new ArrayList<>();
        seeded.fixedPoints().forEach(fp -> states.add(fp.state()));
        states.sort(Comparator.comparingDouble(st -> st[0]));
        assertEquals(3, states.size(), "fixed points: " + seeded.fixedPoints());
        double[][] expected = {{-a, 0}, {0, 0}, {a, 0}};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], states.get(i), 1e-10);
        }
        assertThrows(IllegalArgumentException.class, () -> finder.find(new double[1], grid(2, 5), new double[3],
                rng(3)), "seeds not a multiple of S");
    }

    @Test
    void sameSeedGivesIdenticalResultsAndOtherSeedsTheSamePoints() {
        FixedPointFinder.Result one = bistable(11);
        FixedPointFinder.Result two = bistable(11);
        assertEquals(one.fixedPoints().size(), two.fixedPoints().size());
        for (int i = 0; i < one.fixedPoints().size(); i++) {
            assertArrayEquals(one.fixedPoints().get(i).state(), two.fixedPoints().get(i).state(), 0.0);
            assertEquals(one.fixedPoints().get(i).q(), two.fixedPoints().get(i).q(), 0.0);
        }
        assertEquals(one.diagnostics(), two.diagnostics());
        FixedPointFinder.Result other = bistable(12);
        assertEquals(3, other.fixedPoints().size());
    }

    @Test
    void slowPointIsReportedSeparately() {
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        double eps = 1e-3;
        FixedPointFinder.Result r = new FixedPointFinder(new DriftCell(), spec, new double[] {eps}, small())
                .find(new double[1], grid(2, 5), rng(4));
        assertTrue(r.fixedPoints().isEmpty(), "the drift map has no fixed point: " + r.fixedPoints());
        assertFalse(r.slowPoints().isEmpty(), "the origin is a slow point");
        FixedPointFinder.Point best = r.slowPoints().get(0);
        assertEquals(0.5 * eps * eps, best.q(), 1e-9, "q at the slow point is ½ε²");
        assertTrue(Math.hypot(best.state()[0], best.state()[1]) < 0.05, "near the origin: " + best);
        for (FixedPointFinder.Point sp : r.slowPoints()) {
            assertTrue(sp.q() >= 0.5 * eps * eps - 1e-15 && sp.q() <= 1e-4, "slow point q " + sp.q());
        }
    }

    @Test
    void distantFixedPointIsAnOutlier() {
        // s' = s/2 + c with c = (50, 50, 50): the fixed point (100, 100, 100) lies far outside the candidates
        double[][] a = {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
        double[] p = LinearCell.params(a, new double[][] {{0}, {0}, {0}}, new double[] {50, 50, 50});
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p, small())
                .find(new double[1], grid(3, 3), rng(5));
        assertTrue(r.fixedPoints().isEmpty());
        assertTrue(r.diagnostics().outliers() > 0);
        assertEquals(0, r.diagnostics().drifted(), "the region rule is off by default");
        // the same map with the outlier rule relaxed keeps it
        FixedPointFinder.Result kept = new FixedPointFinder(new LinearCell(), spec, p, small().withFilters(1e-3, 1e4))
                .find(new double[1], grid(3, 3), rng(5));
        assertEquals(1, kept.fixedPoints().size());
        assertArrayEquals(new double[] {100, 100, 100}, kept.fixedPoints().get(0).state(), 1e-9);
    }

    @Test
    void regionRuleStopsNewtonWhereItsRootLiesOutsideTheVisitedStates() {
        // s' = s/2 + c, fixed point (100, 100, 100); the states span [−1, 1]³ (candidates' RMS distance to their
        // centroid ≈ 1.7), so with factor 3 the region ends ~5 from the origin
        double[][] a = {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
        double[] p = LinearCell.params(a, new double[][] {{0}, {0}, {0}}, new double[] {50, 50, 50});
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder.Options o = small().withFilters(1e-3, 1e4).withRegionFactor(3);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p, o)
                .find(new double[1], grid(3, 3), rng(5));
        assertTrue(r.fixedPoints().isEmpty(), r.fixedPoints().toString());
        // Newton's root is out: one Jacobian per candidate that Adam left inside, then it stops
        assertTrue(r.diagnostics().jacobians() <= 128, r.diagnostics().toString());
        assertEquals(r.diagnostics().jacobians(), r.diagnostics().newtonIterations());
        assertEquals(0, r.diagnostics().newtonConverged());
        // a small c puts the root (2c = (0.4, 0.4, 0.4)) inside: found as without the rule
        double[] near = LinearCell.params(a, new double[][] {{0}, {0}, {0}}, new double[] {0.2, 0.2, 0.2});
        FixedPointFinder.Result in = new FixedPointFinder(new LinearCell(), spec, near, o)
                .find(new double[1], grid(3, 3), rng(5));
        assertEquals(1, in.fixedPoints().size());
        assertArrayEquals(new double[] {0.4, 0.4, 0.4}, in.fixedPoints().get(0).state(), 1e-12);
        assertEquals(0, in.diagnostics().drifted());
        assertThrows(IllegalArgumentException.class, () -> small().withRegionFactor(0));
    }

    @Test
    void candidatesAdamLeavesOutsideTheRegionAreDroppedBeforeNewton() {
        // s' = s/2 + c with the root at (100, 100, 100): Adam moves every candidate towards it, out of a region of
        // 0.3 times the candidates' RMS distance to the states' centroid
        double[][] a = {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
        double[] p = LinearCell.params(a, new double[][] {{0}, {0}, {0}}, new double[] {50, 50, 50});
        CellSpec spec = new CellSpec(1, 3, Activation.TANH);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p, small().withRegionFactor(0.3))
                .find(new double[1], grid(3, 3), rng(5));
        assertEquals(128, r.diagnostics().drifted(), r.diagnostics().toString());
        assertEquals(0L, r.diagnostics().newtonIterations(), "dropped candidates cost no Newton work");
        assertTrue(r.fixedPoints().isEmpty() && r.slowPoints().isEmpty());
    }

    @Test
    void mergeKeepsTheLowestQWithinTheMergeDistance() {
        double[] pts = {0, 0, 5e-4, 0, 2e-3, 0, 1, 1};
        double[] q = {1e-10, 1e-12, 1e-11, 1e-9};
        List<Integer> kept = FixedPointFinder.merge(pts, 2, q, List.of(0, 1, 2, 3), List.of(), 1e-3);
        assertEquals(List.of(1, 2, 3), kept, "point 0 lies 5e-4 from the better point 1");
        List<Integer> slow = FixedPointFinder.merge(pts, 2, q, List.of(0, 3), List.of(1), 1e-3);
        assertEquals(List.of(3), slow, "a point near an already kept one is dropped");
    }

    @Test
    void outlierRuleUsesTenTimesTheMeanDistanceToTheCentroid() {
        // reference: 4 points at distance 1 from the origin, so the limit is 10
        double[] ref = {1, 0, -1, 0, 0, 1, 0, -1};
        double[] pts = {9.9, 0, 0, 10.1, 3, 4};
        assertEquals(List.of(0, 2), FixedPointFinder.inliers(pts, ref, 2, 10.0));
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().withCandidates(0));
        assertTrue(e.getMessage().contains("candidates"), e.getMessage());
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder f = new FixedPointFinder(new TanhMapCell(), spec, BISTABLE, small());
        e = assertThrows(IllegalArgumentException.class, () -> f.find(new double[1], new double[3], rng(1)));
        assertTrue(e.getMessage().contains("count × S"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.find(new double[2], new double[4], rng(1)));
        assertTrue(e.getMessage().contains("condition input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new FixedPointFinder(new TanhMapCell(), spec, new double[3], small()));
        assertTrue(e.getMessage().contains("needs 4 parameters"), e.getMessage());
    }

    @Test
    void reluDefaultNoiseIsRelativeToTheStates() {
        FixedPointFinder.Options relu = FixedPointFinder.Options.defaults(Activation.RELU).withCandidates(16);
        assertTrue(relu.noiseRelative());
        double[] p = LinearCell.params(withEigenvalues(0.5, 0.2, 0.1), new double[][] {{0}, {0}, {0}},
                new double[] {0, 0, 0});
        double[] states = {3, 0, 0, -3, 0, 0, 0, 3, 0, 0, -3, 0, 0, 0, 3, 0, 0, -3};
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), new CellSpec(1, 3, Activation.RELU), p,
                relu).find(new double[1], states, rng(6));
        // root-mean-square entry = sqrt(6·9 / 18) = √3
        assertEquals(0.5 * Math.sqrt(3), r.diagnostics().noiseStd(), 1e-12);
    }

    private static FixedPointFinder.Result kink(double[] abc, FixedPointFinder.Criterion criterion) {
        CellSpec spec = new CellSpec(1, 1, Activation.RELU);
        FixedPointFinder.Options o = FixedPointFinder.Options.defaults(Activation.TANH).withCandidates(64)
                .withCriterion(criterion);
        return new FixedPointFinder(new KinkCell(), spec, abc, o).find(new double[1], grid(1, 5), rng(21));
    }

    @Test
    void reluKinkWithQWithinToleranceIsMarkedUnverifiedAndIsASlowPointUnderTheVerifiedRule() {
        double eps = 1e-4; // min q = ½ε² = 5e-9 ≤ 1e-8, yet s' − s = ε + |s| never vanishes
        double[] noRoot = {2, 0, eps};
        FixedPointFinder.Result spec = kink(noRoot, FixedPointFinder.Criterion.TOLERANCE);
        assertEquals(1, spec.fixedPoints().size(), "SPEC's rule keeps the kink: " + spec);
        FixedPointFinder.Point p = spec.fixedPoints().get(0);
        assertEquals(FixedPointFinder.Status.UNVERIFIED, p.status());
        // within the tolerance Newton stops after two poor steps, close to (not exactly at) the minimum of q
        assertEquals(0.5 * eps * eps, p.q(), 1e-3 * 0.5 * eps * eps);
        assertTrue(Math.abs(p.state()[0]) < 1e-6, "at the kink: " + p.state()[0]);
        assertTrue(p.stepEstimate() < 1e-3, "the one-sided Newton estimate is small (" + p.stepEstimate()
                + "), which is why the step itself has to be checked");
        assertEquals(1, spec.diagnostics().unverified());

        FixedPointFinder.Result strict = kink(noRoot, FixedPointFinder.Criterion.VERIFIED);
        assertTrue(strict.fixedPoints().isEmpty(), "no fixed point under the verified rule: " + strict);
        assertEquals(FixedPointFinder.Status.UNVERIFIED, strict.slowPoints().get(0).status());
        assertEquals(0.5 * eps * eps, strict.slowPoints().get(0).q(), 1e-3 * 0.5 * eps * eps);

        // a real root of a relu map: Newton lands on it exactly, and the verified rule keeps it
        FixedPointFinder.Result root = kink(new double[] {0.5, 0, 0.3}, FixedPointFinder.Criterion.VERIFIED);
        assertEquals(1, root.fixedPoints().size(), root.toString());
        assertEquals(0.6, root.fixedPoints().get(0).state()[0], 1e-12);
        assertEquals(FixedPointFinder.Status.CONVERGED, root.fixedPoints().get(0).status());
    }

    @Test
    void bistableNetworkWithBatchedMethodsFindsBothAttractorsAndTheSaddleToTheSameDigits() {
        double a = bistableRoot();
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder.Result perRow = bistable(3);
        FixedPointFinder.Result batched = new FixedPointFinder(new BatchedTanhMapCell(), spec, BISTABLE, small())
                .find(new double[1], grid(2, 5), rng(3));
        assertEquals(3, batched.fixedPoints().size(), "fixed points: " + batched.fixedPoints());
        List<double[]> states = new ArrayList<>();
        batched.fixedPoints().forEach(fp -> states.add(fp.state()));
        states.sort(Comparator.comparingDouble(s -> s[0]));
        double[][] expected = {{-a, 0}, {0, 0}, {a, 0}};
        int[] unstable = {0, 1, 0};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], states.get(i), 1e-8);
            Linearisation lin = Linearisation.at(new TanhMapCell(), spec, BISTABLE, states.get(i), new double[1]);
            assertEquals(unstable[i], lin.unstableDims(), "point " + i);
        }
        for (FixedPointFinder.Point fp : batched.fixedPoints()) {
            assertEquals(FixedPointFinder.Status.CONVERGED, fp.status());
        }
        // the batched products sum in another order than the row-by-row defaults: Adam agrees to rounding
        FixedPointFinder.Diagnostics d1 = perRow.diagnostics();
        FixedPointFinder.Diagnostics d2 = batched.diagnostics();
        assertEquals(d1.adamIterations(), d2.adamIterations());
        assertEquals(d1.adamMeanQ(), d2.adamMeanQ(), 1e-9 * d1.adamMeanQ());
        assertEquals(d1.finalLearningRate(), d2.finalLearningRate(), 1e-12);
    }

    @Test
    void resultDoesNotDependOnTheAdamBlockSize() {
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder.Options o = small().withCandidates(300);
        FixedPointFinder.Result whole = new FixedPointFinder(new TanhMapCell(), spec, BISTABLE, o,
                org.rnnatlas.core.kernel.Kernels.scalar(), 300).find(new double[1], grid(2, 5), rng(8));
        FixedPointFinder.Result blocks = new FixedPointFinder(new TanhMapCell(), spec, BISTABLE, o,
                org.rnnatlas.core.kernel.Kernels.scalar(), 7).find(new double[1], grid(2, 5), rng(8));
        assertEquals(whole.diagnostics(), blocks.diagnostics());
        assertEquals(3, whole.fixedPoints().size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(whole.fixedPoints().get(i).state(), blocks.fixedPoints().get(i).state(), 0.0);
        }
    }

    @Test
    void batchedCellIsDeterministicForASeed() {
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder f = new FixedPointFinder(new BatchedTanhMapCell(), spec, BISTABLE, small().withCandidates(400));
        FixedPointFinder.Result one = f.find(new double[1], grid(2, 5), rng(9));
        FixedPointFinder.Result two = f.find(new double[1], grid(2, 5), rng(9));
        assertEquals(one.diagnostics(), two.diagnostics());
        assertEquals(one.fixedPoints().size(), two.fixedPoints().size());
        for (int i = 0; i < one.fixedPoints().size(); i++) {
            assertArrayEquals(one.fixedPoints().get(i).state(), two.fixedPoints().get(i).state(), 0.0);
            assertEquals(one.fixedPoints().get(i).q(), two.fixedPoints().get(i).q(), 0.0);
        }
    }

    @Test
    void memoryStateOfTwiceTheHiddenSizeIsSearchedWhole() {
        // S = 2N = 4 as in the LSTM: A = diag(0.5, −0.3, 0.9, 1.5) (one unstable direction), fixed point c_i/(1 − λ_i)
        double[] lambda = {0.5, -0.3, 0.9, 1.5};
        double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++) {
            a[i][i] = lambda[i];
        }
        double[] c = {0.1, -0.2, 0.05, 0.3};
        double[] p = LinearCell.params(a, new double[][] {{0}, {0}, {0}, {0}}, c);
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        LinearCell cell = new LinearCell(true);
        double[] states = new double[6 * 4];
        for (int i = 0; i < states.length; i++) {
            states[i] = Math.sin(i);
        }
        FixedPointFinder.Result r = new FixedPointFinder(cell, spec, p, small()).find(new double[1], states, rng(10));
        assertEquals(1, r.fixedPoints().size(), r.toString());
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = c[i] / (1 - lambda[i]);
        }
        assertArrayEquals(expected, r.fixedPoints().get(0).state(), 1e-10);
        assertEquals(1, Linearisation.at(cell, spec, p, r.fixedPoints().get(0).state(), new double[1]).unstableDims());
    }

    @Test
    void stepEstimateIsTheDistanceToTheRootOfALinearMap() {
        // for an affine map Newton is exact: at the found root the estimate is at rounding level
        double[] lambda = {0.9, -0.5, 0.2};
        double[] p = LinearCell.params(withEigenvalues(lambda[0], lambda[1], lambda[2]), new double[][] {{0}, {0}, {0}},
                new double[] {0.3, -0.2, 0.1});
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), new CellSpec(1, 3, Activation.TANH), p,
                small()).find(new double[1], grid(3, 3), rng(1));
        FixedPointFinder.Point fp = r.fixedPoints().get(0);
        assertTrue(fp.stepEstimate() < 1e-12, "estimate " + fp.stepEstimate());
        assertEquals(FixedPointFinder.Status.CONVERGED, fp.status());
    }
}

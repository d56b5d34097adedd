package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.kernel.Kernels;

class DenseLuTest {

    private static double[] random(int n, long seed) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }

    /** Solves A x = b and returns the largest |A x − b| entry. */
    private static double residual(double[] a, int n, double[] lu, int[] perm) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = Math.cos(i);
        }
        double[] x = new double[n];
        DenseLu.solve(lu, perm, n, b, x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double v = -b[i];
            for (int j = 0; j < n; j++) {
                v += a[i * n + j] * x[j];
            }
            worst = Math.max(worst, Math.abs(v));
        }
        return worst;
    }

    @Test
    void blockedAndPlainFactorisationsSolveTheSameSystem() {
        int n = 200; // above BLOCK_FROM, not a multiple of the panel width
        assertTrue(n >= DenseLu.BLOCK_FROM && n % DenseLu.PANEL != 0);
        double[] a = random(n, 1);
        for (var ops : new org.rnnatlas.spi.Ops[] {Kernels.scalar(), Kernels.ops()}) {
            double[] lu = a.clone();
            int[] perm = new int[n];
            assertTrue(DenseLu.factor(lu, perm, n, ops, new double[DenseLu.workSize(n)]), ops.name());
            assertTrue(residual(a, n, lu, perm) < 1e-10, ops.name() + ": " + residual(a, n, lu, perm));
            // the unblocked elimination of the same matrix, one panel wide: same pivots, same factors to rounding
            double[] plain = a.clone();
            int[] plainPerm = new int[n];
            for (int i = 0; i < n; i++) {
                plainPerm[i] = i;
            }
            assertTrue(unblocked(plain, plainPerm, n));
            assertArrayEquals(plainPerm, perm);
            assertArrayEquals(plain, lu, 1e-9);
        }
    }

    /** Textbook elimination with partial pivoting, written independently of DenseLu. */
    private static boolean unblocked(double[] a, int[] perm, int n) {
        for (int col = 0; col < n; col++) {
            int p = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r * n + col]) > Math.abs(a[p * n + col])) {
                    p = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double t = a[col * n + j];
                a[col * n + j] = a[p * n + j];
                a[p * n + j] = t;
            }
            int t = perm[col];
            perm[col] = perm[p];
            perm[p] = t;
            if (a[col * n + col] == 0) {
                return false;
            }
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / a[col * n + col];
                a[r * n + col] = f;
                for (int j = col + 1; j < n; j++) {
                    a[r * n + j] -= f * a[col * n + j];
                }
            }
        }
        return true;
    }

    @Test
    void smallSystemIsSolvedExactly() {
        // [[0, 2], [1, 1]] needs a row swap; x = (1, 2) gives b = (4, 3)
        double[] a = {0, 2, 1, 1};
        int[] perm = new int[2];
        assertTrue(DenseLu.factor(a, perm, 2, Kernels.scalar(), null));
        double[] x = new double[2];
        DenseLu.solve(a, perm, 2, new double[] {4, 3}, x);
        assertArrayEquals(new double[] {1, 2}, x, 1e-15);
        assertEquals(1, perm[0]);
    }

    @Test
    void singularMatricesAreReported() {
        double[] rankOne = {1, 2, 2, 4};
        assertFalse(DenseLu.factor(rankOne, new int[2], 2, Kernels.scalar(), null));
        // rank-deficient 200×200: last row a copy of the first
        int n = 200;
        double[] a = random(n, 2);
        System.arraycopy(a, 0, a, (n - 1) * n, n);
        assertFalse(DenseLu.factor(a, new int[n], n, Kernels.scalar(), new double[DenseLu.workSize(n)]));
    }
}

package org.rnnatlas.topology.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AssignmentTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    /** The optimum by trying every injective map of rows into columns. */
    private static double bruteForce(int rows, int cols, double[] c) {
        return search(0, rows, cols, c, new boolean[cols]);
    }

    private static double search(int i, int rows, int cols, double[] c, boolean[] used) {
        if (i == rows) {
            return 0.0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, c[i * cols + j] + search(i + 1, rows, cols, c, used));
                used[j] = false;
            }
        }
        return best;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void matchesBruteForceOnRandomMatrices(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = 1 + rng.nextInt(7);
        int cols = rows + rng.nextInt(3);
        double[] c = new double[rows * cols];
        boolean integers = rng.nextBoolean(); // integer costs make many ties, the hard case for path flipping
        for (int k = 0; k < c.length; k++) {
            c[k] = integers ? rng.nextInt(4) : rng.nextDouble(-2.0, 5.0);
        }
        int[] a = Assignment.solve(rows, cols, c);
        boolean[] seen = new boolean[cols];
        for (int j : a) {
            assertTrue(j >= 0 && j < cols && !seen[j], "distinct columns, seed " + seed);
            seen[j] = true;
        }
        assertEquals(bruteForce(rows, cols, c), Assignment.cost(cols, c, a), 1e-12, "seed " + seed);
    }

    @Test
    void knownSmallCase() {
        // the only optimum: row 0 -> 1, row 1 -> 0, row 2 -> 2, total 1 + 2 + 2 = 5
        double[] c = {4, 1, 3,
                      2, 0, 5,
                      3, 2, 2};
        int[] a = Assignment.solve(3, 3, c);
        assertArrayEquals(new int[] {1, 0, 2}, a);
        assertEquals(5.0, Assignment.cost(3, c, a));
    }

    @Test
    void emptyAndRefusals() {
        assertEquals(0, Assignment.solve(0, 3, new double[0]).length);
        assertThrows(IllegalArgumentException.class, () -> Assignment.solve(3, 2, new double[6]));
        assertThrows(IllegalArgumentException.class, () -> Assignment.solve(1, 1, new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Assignment.solve(2, 2, new double[3]));
    }

    @Test
    void scalesCubically() {
        // 300 x 300 random costs: a few tens of milliseconds for O(n^3); an exponential method would never finish
        SplittableRandom rng = new SplittableRandom(7);
        int n = 300;
        double[] c = new double[n * n];
        for (int k = 0; k < c.length; k++) {
            c[k] = rng.nextDouble();
        }
        int[] a = Assignment.solve(n, n, c);
        // a random n x n instance has optimum close to a constant (about 1.6 for uniform costs); far below n/2
        double total = Assignment.cost(n, c, a);
        assertTrue(total < 5.0, "optimal total of a 300x300 uniform instance should be small, got " + total);
    }
}

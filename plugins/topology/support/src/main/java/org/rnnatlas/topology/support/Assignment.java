package org.rnnatlas.topology.support;

import java.util.Arrays;

/**
 * The linear assignment problem by the Hungarian method with potentials (Kuhn–Munkres in the shortest-augmenting-path
 * form): given an {@code rows × cols} cost matrix C with rows ≤ cols, find distinct columns σ(0..rows−1) minimising
 * Σᵢ C[i][σ(i)].
 *
 * <p>Rows are added one at a time; each addition grows an alternating tree from the new row with Dijkstra-like label
 * updates on reduced costs C[i][j] − uᵢ − vⱼ ≥ 0 (the dual potentials) until it reaches a free column, then flips the
 * path. Each addition costs O(rows·cols), so the whole solve is O(rows²·cols), O(n³) for a square matrix. The
 * potentials certify optimality: at the end Σ uᵢ + Σ vⱼ (over matched columns) equals the returned cost.
 */
public final class Assignment {

    private Assignment() {
    }

    /**
     * The optimal assignment.
     *
     * @param cost row-major {@code rows × cols}, finite entries
     * @return for each row its column
     */
    public static int[] solve(int rows, int cols, double[] cost) {
        if (rows < 0 || cols < rows) {
            throw new IllegalArgumentException("assignment needs 0 <= rows <= cols, got " + rows + " x " + cols
                    + "; transpose the cost matrix");
        }
        if (cost.length != rows * cols) {
            throw new IllegalArgumentException("cost has " + cost.length + " entries, expected " + rows + "x" + cols);
        }
        for (double c : cost) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("assignment costs must be finite, got " + c);
            }
        }
        // 1-based arrays as in the textbook form: index 0 of the columns is the virtual start of each augmentation
        double[] u = new double[rows + 1];
        double[] v = new double[cols + 1];
        int[] match = new int[cols + 1]; // match[j] = row assigned to column j (1-based), 0 = free
        int[] way = new int[cols + 1];
        double[] minv = new double[cols + 1];
        boolean[] used = new boolean[cols + 1];
        for (int i = 1; i <= rows; i++) {
            match[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = match[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                int base = (i0 - 1) * cols;
                for (int j = 1; j <= cols; j++) {
                    if (!used[j]) {
                        double cur = cost[base + j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= cols; j++) {
                    if (used[j]) {
                        u[match[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (match[j0] != 0);
            // flip the alternating path back to the start
            do {
                int j1 = way[j0];
                match[j0] = match[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] out = new int[rows];
        for (int j = 1; j <= cols; j++) {
            if (match[j] != 0) {
                out[match[j] - 1] = j - 1;
            }
        }
        return out;
    }

    /** Σᵢ C[i][σ(i)], summed in row order. */
    public static double cost(int cols, double[] cost, int[] assignment) {
        double s = 0.0;
        for (int i = 0; i < assignment.length; i++) {
            s += cost[i * cols + assignment[i]];
        }
        return s;
    }
}

package org.rnnatlas.topology.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;

/**
 * Which fixed points of input-dependent tasks enter a topology (SPEC §6).
 *
 * <p><b>Sine: one point per condition.</b> The sine task's conditions are its 21 evenly spaced static inputs on
 * [0, 1] ({@code SineWaveTask.conditions()}). Conditions are taken in order of their input (lexicographic in the input
 * vector). A trained network usually has exactly one fixed point per condition, in the middle of that condition's
 * oscillation; when the finder returns several for some condition, the chain is chosen that is shortest in state space:
 * over all choices of one point cᵢ per condition (conditions with no point are skipped),
 * <pre>
 *   minimise Σᵢ ‖s*(c_{i+1}) − s*(cᵢ)‖₂ ,
 * </pre>
 * solved exactly by dynamic programming over consecutive conditions (O(Σ kᵢ·kᵢ₊₁) for kᵢ candidates). Why: the
 * input-dependent fixed point moves continuously with the input, so the point that continues the path of its
 * neighbours is the one on the "line" of condition-dependent fixed points; spurious extra points lie off it. The
 * residual q cannot decide (Newton drives every kept point to q ≈ 1e-20). Ties go to the candidate first in
 * {@link FixedPointOrder}.
 *
 * <p><b>CDI: readout quantiles per context.</b> The points of one condition (context) are sorted by their first
 * readout component y₀ (CDI has K = 1; ties by {@link FixedPointOrder}); with n points and m wanted (20 by default),
 * point k = 0..m−1 is the one of rank {@code round(k·(n−1)/(m−1))} (nearest rank at quantile k/(m−1)), so the ends of
 * the line attractor are always included and for n ≥ m the m ranks are distinct. A context with n &lt; m points
 * contributes all n (no point is duplicated or invented): its matrix then has another shape, and the Frobenius distance
 * is NaN for it, as the paper excludes networks whose fixed-point count differs.
 */
public final class PointSelection {

    private PointSelection() {
    }

    /** The indices 0..conditions.size()−1 sorted by input vector, lexicographically (stable for equal inputs). */
    public static int[] conditionsByInput(List<Condition> conditions) {
        Integer[] idx = new Integer[conditions.size()];
        double[][] in = new double[conditions.size()][];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
            in[i] = conditions.get(i).input();
        }
        Arrays.sort(idx, (a, b) -> Arrays.compare(in[a], in[b]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * One point per condition, in the given condition order, chosen as the shortest chain (see the class comment).
     * Conditions without a point are skipped.
     */
    public static List<FixedPoint> chain(List<FixedPoint> points, int[] conditionOrder) {
        int nc = conditionOrder.length; // a permutation of 0..nc-1
        List<List<FixedPoint>> byCondition = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
            byCondition.add(new ArrayList<>());
        }
        for (FixedPoint p : points) {
            FixedPointOrder.checkCondition(p, nc);
            byCondition.get(p.condition()).add(p);
        }
        List<List<FixedPoint>> layers = new ArrayList<>();
        for (int c : conditionOrder) {
            List<FixedPoint> layer = byCondition.get(c);
            if (!layer.isEmpty()) {
                layer.sort(FixedPointOrder.ORDER);
                layers.add(layer);
            }
        }
        List<FixedPoint> out = new ArrayList<>();
        if (layers.isEmpty()) {
            return out;
        }
        // cost[l][k]: length of the shortest chain through layers 0..l that ends at candidate k of layer l
        double[][] cost = new double[layers.size()][];
        int[][] from = new int[layers.size()][];
        cost[0] = new double[layers.get(0).size()];
        from[0] = new int[layers.get(0).size()];
        for (int l = 1; l < layers.size(); l++) {
            List<FixedPoint> prev = layers.get(l - 1);
            List<FixedPoint> cur = layers.get(l);
            cost[l] = new double[cur.size()];
            from[l] = new int[cur.size()];
            for (int k = 0; k < cur.size(); k++) {
                double best = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int q = 0; q < prev.size(); q++) {
                    double c = cost[l - 1][q] + dist(prev.get(q).state(), cur.get(k).state());
                    if (c < best) { // strict: ties keep the earlier candidate
                        best = c;
                        arg = q;
                    }
                }
                cost[l][k] = best;
                from[l][k] = arg;
            }
        }
        int last = layers.size() - 1;
        int k = 0;
        for (int q = 1; q < cost[last].length; q++) {
            if (cost[last][q] < cost[last][k]) {
                k = q;
            }
        }
        FixedPoint[] chosen = new FixedPoint[layers.size()];
        for (int l = last; l >= 0; l--) {
            chosen[l] = layers.get(l).get(k);
            k = from[l][k];
        }
        out.addAll(Arrays.asList(chosen));
        return out;
    }

    /**
     * The readout-quantile points of one condition's fixed points (see the class comment): at most {@code m}, sorted by
     * first readout component.
     */
    public static List<FixedPoint> quantiles(List<FixedPoint> points, int m) {
        if (m < 2) {
            throw new IllegalArgumentException("readout quantiles need at least 2 points, got " + m);
        }
        List<FixedPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<FixedPoint>comparingDouble(p -> p.readout()[0]).thenComparing(FixedPointOrder.ORDER));
        int n = sorted.size();
        if (n <= m) {
            return sorted;
        }
        List<FixedPoint> out = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            out.add(sorted.get((int) Math.round((double) k * (n - 1) / (m - 1))));
        }
        return out;
    }

    /** Euclidean distance of two states. */
    public static double dist(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}

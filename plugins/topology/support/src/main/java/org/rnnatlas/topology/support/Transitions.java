package org.rnnatlas.topology.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;

/**
 * Transition probabilities between fixed points from perturbation runs (SPEC §6).
 *
 * <p>For fixed point i (state s*ᵢ, condition input x*), {@code B = perturbations} starts
 * <pre>
 *   s⁽ᵇ⁾₀ = s*ᵢ + r · gᵇ / ‖gᵇ‖ ,   gᵇ ~ Normal(0, I_S) ,
 * </pre>
 * are iterated, all B as one batch through {@link NetworkDynamics#stepBatch}, with s_{t+1} = F(s_t, x*). A start has
 * settled at stable point j when, after some step t ≥ 1 (≤ maxSteps), ‖s_t − s*ⱼ‖₂ ≤ tolerance for a stable point j of
 * the same condition (the nearest such point if several are within tolerance). Then
 * <pre>
 *   P[i][j] = #{b settled at j} / B ,   P[i][J] = #{b settled nowhere} / B ,
 * </pre>
 * with J = the number of stable points (the extra last column). A start whose state becomes non-finite settles
 * nowhere at once. The distance is checked from step 1 on, never at the start itself: a start placed within
 * tolerance of a stable point (r &lt; tolerance) must still be carried there by F.
 *
 * <p><b>Random draws</b>, all from the given generator, in this order: fixed points in the order of the list given,
 * for each its B starts in order, for each start its S components {@code rng.nextGaussian()} in state order. A
 * direction of exactly zero norm (probability 0) is drawn again. The draws of every point are made even when its
 * condition has no stable point, so that one point's result never shifts another's directions.
 *
 * <p>Starts that settle are dropped from the batch (the batch is compacted in place), so the cost is the sum of the
 * settling times. All buffers are allocated once per call, none per step.
 */
public final class Transitions {

    private Transitions() {
    }

    /** The stable points of {@code ordered}, in the same order: the columns of the transition matrix. */
    public static List<FixedPoint> stable(List<FixedPoint> ordered) {
        List<FixedPoint> out = new ArrayList<>();
        for (FixedPoint p : ordered) {
            if (p.stable()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The row-major {@code ordered.size() × (targets.size() + 1)} transition matrix P.
     *
     * @param network  the network whose map F is iterated
     * @param ordered  the rows: the fixed points, in the caller's order
     * @param targets  the columns: the stable points (each settling target), in the caller's order
     * @param settings perturbations, radius, tolerance, step limit
     * @param rng      the source of all random directions
     */
    public static double[] matrix(NetworkDynamics network, List<FixedPoint> ordered, List<FixedPoint> targets,
                                  TransitionSettings settings, RandomGenerator rng) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(rng, "rng");
        int n = network.stateSize();
        int batch = settings.perturbations();
        int cols = targets.size() + 1;
        double[] p = new double[ordered.size() * cols];
        if (ordered.isEmpty()) {
            return p;
        }
        double r = settings.radiusFor(network);
        double tol2 = settings.tolerance() * settings.tolerance();
        List<Condition> conditions = network.task().conditions();
        double[][] inputs = new double[conditions.size()][];
        for (int c = 0; c < inputs.length; c++) {
            inputs[c] = conditions.get(c).input();
        }
        // the targets of each condition, as indices into targets, and all target states in one flat array
        int[][] byCondition = new int[conditions.size()][];
        int[] counts = new int[conditions.size()];
        double[] targetStates = new double[targets.size() * n];
        for (int j = 0; j < targets.size(); j++) {
            FixedPoint t = targets.get(j);
            FixedPointOrder.checkCondition(t, conditions.size());
            checkState(t, n);
            System.arraycopy(t.state(), 0, targetStates, j * n, n);
            counts[t.condition()]++;
        }
        for (int c = 0; c < byCondition.length; c++) {
            byCondition[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int j = 0; j < targets.size(); j++) {
            int c = targets.get(j).condition();
            byCondition[c][counts[c]++] = j;
        }

        double[] cur = new double[batch * n];
        double[] next = new double[batch * n];
        for (int i = 0; i < ordered.size(); i++) {
            FixedPoint fp = ordered.get(i);
            FixedPointOrder.checkCondition(fp, conditions.size());
            checkState(fp, n);
            double[] centre = fp.state();
            for (int b = 0; b < batch; b++) {
                int off = b * n;
                double norm2;
                do {
                    norm2 = 0.0;
                    for (int k = 0; k < n; k++) {
                        double g = rng.nextGaussian();
                        cur[off + k] = g;
                        norm2 += g * g;
                    }
                } while (norm2 == 0.0);
                double scale = r / Math.sqrt(norm2);
                for (int k = 0; k < n; k++) {
                    cur[off + k] = centre[k] + scale * cur[off + k];
                }
            }
            int row = i * cols;
            int[] cand = byCondition[fp.condition()];
            double[] x = inputs[fp.condition()];
            int active = cand.length == 0 ? 0 : batch;
            int nowhere = batch - active;
            for (int step = 1; step <= settings.maxSteps() && active > 0; step++) {
                network.stepBatch(active, cur, x, next);
                int kept = 0;
                for (int a = 0; a < active; a++) {
                    int off = a * n;
                    int hit = -1;
                    double best = Double.POSITIVE_INFINITY;
                    boolean finite = true;
                    for (int c : cand) {
                        int toff = c * n;
                        double d2 = 0.0;
                        for (int k = 0; k < n; k++) {
                            double diff = next[off + k] - targetStates[toff + k];
                            d2 += diff * diff;
                        }
                        if (Double.isNaN(d2) || d2 == Double.POSITIVE_INFINITY) {
                            finite = false;
                            break;
                        }
                        if (d2 <= tol2 && d2 < best) {
                            best = d2;
                            hit = c;
                        }
                    }
                    if (!finite) {
                        nowhere++;
                    } else if (hit >= 0) {
                        p[row + hit] += 1.0;
                    } else {
                        System.arraycopy(next, off, cur, kept * n, n);
                        kept++;
                    }
                }
                active = kept;
            }
            nowhere += active;
            p[row + cols - 1] = nowhere;
            for (int j = 0; j < cols; j++) {
                p[row + j] /= batch;
            }
        }
        return p;
    }

    private static void checkState(FixedPoint p, int n) {
        if (p.state().length != n) {
            throw new IllegalArgumentException("fixed point state has " + p.state().length
                    + " entries but the network's state size is " + n);
        }
    }
}

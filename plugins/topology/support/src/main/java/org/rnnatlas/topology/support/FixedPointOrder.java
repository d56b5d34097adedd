package org.rnnatlas.topology.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.Task;

/**
 * The order in which topology matrices list fixed points (SPEC §6): lexicographic in the readout y*, each component
 * rounded to 2 decimals ({@code round(100·y_k)} compared as integers, so −0.001 and 0.004 tie at 0.00), ties broken by
 * the largest eigenvalue modulus |λ|max (ascending: a stable point before a saddle with the same readout). Points
 * still tied (two points with the same rounded readout and the same |λ|max) are ordered by condition index, then by
 * their exact readout, then by their state, lexicographically, so that the order never depends on the order the
 * fixed-point finder returned them in.
 */
public final class FixedPointOrder {

    private FixedPointOrder() {
    }

    /** The comparator of this class's order. */
    public static final Comparator<FixedPoint> ORDER = FixedPointOrder::compare;

    /** A new list with the points in readout order. */
    public static List<FixedPoint> sorted(List<FixedPoint> points) {
        Objects.requireNonNull(points, "points");
        List<FixedPoint> out = new ArrayList<>(points);
        out.sort(ORDER);
        return out;
    }

    /** |λ|max: the modulus of the first eigenvalue (they are sorted by modulus, descending), 0 without eigenvalues. */
    public static double maxModulus(FixedPoint p) {
        return p.eigenReal().length == 0 ? 0.0 : Math.hypot(p.eigenReal()[0], p.eigenImag()[0]);
    }

    /** {@code round(100 y)} as an integer: the 2-decimal rounding used for ordering and labels. */
    public static long centi(double y) {
        return Math.round(y * 100.0);
    }

    private static int compare(FixedPoint a, FixedPoint b) {
        double[] ya = a.readout();
        double[] yb = b.readout();
        int k = Math.min(ya.length, yb.length);
        for (int i = 0; i < k; i++) {
            int c = Long.compare(centi(ya[i]), centi(yb[i]));
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(ya.length, yb.length);
        if (c != 0) {
            return c;
        }
        c = Double.compare(maxModulus(a), maxModulus(b));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.condition(), b.condition());
        if (c != 0) {
            return c;
        }
        c = java.util.Arrays.compare(ya, yb);
        return c != 0 ? c : java.util.Arrays.compare(a.state(), b.state());
    }

    /**
     * A row label: the readout rounded to 2 decimals and the number of unstable dimensions, e.g.
     * {@code "y=[1.00, -0.98, 1.00] unstable=1"}; when the task has more than one condition the condition's label is
     * appended ({@code " context=1"}). A point that is not stable although no eigenvalue has modulus &gt; 1 (a
     * marginal point, |λ|max = 1) is marked {@code "marginal"}.
     */
    public static String label(FixedPoint p, Task task) {
        StringBuilder sb = new StringBuilder("y=[");
        double[] y = p.readout();
        for (int i = 0; i < y.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            // format the rounded integer, not the double, so -0.001 prints as 0.00 and never as -0.00
            sb.append(String.format(Locale.ROOT, "%.2f", centi(y[i]) / 100.0 + 0.0));
        }
        sb.append("] unstable=").append(p.unstableDims());
        if (!p.stable() && p.unstableDims() == 0) {
            sb.append(" marginal");
        }
        List<org.rnnatlas.spi.Condition> conditions = task.conditions();
        if (conditions.size() > 1 && p.condition() >= 0 && p.condition() < conditions.size()) {
            sb.append(' ').append(conditions.get(p.condition()).label());
        }
        return sb.toString();
    }

    /** Checks a point's condition index against the task's conditions. */
    public static void checkCondition(FixedPoint p, int conditions) {
        if (p.condition() < 0 || p.condition() >= conditions) {
            throw new IllegalArgumentException("fixed point has condition index " + p.condition()
                    + " but the task has " + conditions + " condition(s); allowed: 0.." + (conditions - 1));
        }
    }
}

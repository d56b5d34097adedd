package org.rnnatlas.core.dynamics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Mean ± standard error over the seeds of a group of networks (SPEC §7: per architecture and per activation), as the
 * paper's Fig. 2f, 3e and 3f plot them.
 *
 * <p>For finite values {@code v_1 … v_n}: mean {@code m = Σ v / n}, sample standard deviation
 * {@code sd = √(Σ (v − m)² / (n − 1))}, standard error {@code se = sd / √n}. NaN values are skipped and counted apart
 * (a network without an oscillatory mode, say, gives a NaN frequency and must not drag the mean to NaN); infinities
 * are rejected because they mean a bug upstream, not a missing value. With no finite value the mean is NaN; with one
 * the standard error is NaN (one seed says nothing about the spread).
 *
 * <p>{@link #byGroup} and {@link #elementwiseByGroup} keep the groups in the order they are first met, so a caller
 * that lists networks architecture by architecture gets the groups in that order.
 */
public final class GroupStats {

    private GroupStats() {
    }

    /**
     * Mean and standard error of the finite values of a sample.
     *
     * @param mean          mean of the finite values (NaN when there are none)
     * @param standardError sample standard deviation / √count (NaN when count &lt; 2)
     * @param count         number of finite values used
     * @param missing       number of NaN values skipped
     */
    public record MeanSe(double mean, double standardError, int count, int missing) {

        /** {@code mean − standardError}, the lower edge of the shaded patch. */
        public double lower() {
            return mean - standardError;
        }

        /** {@code mean + standardError}, the upper edge. */
        public double upper() {
            return mean + standardError;
        }
    }

    /** Mean ± standard error of {@code values}, skipping NaN. */
    public static MeanSe of(double... values) {
        Objects.requireNonNull(values, "values");
        int n = 0;
        int missing = 0;
        double sum = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                missing++;
            } else if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("value " + v + " is infinite; allowed: finite numbers or NaN"
                        + " (missing)");
            } else {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new MeanSe(Double.NaN, Double.NaN, 0, missing);
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanSe(mean, Double.NaN, 1, missing);
        }
        // two-pass: the deviations from the computed mean, so a large common offset does not cancel catastrophically
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new MeanSe(mean, Math.sqrt(ss / (n - 1)) / Math.sqrt(n), n, missing);
    }

    /** {@link #of} over a collection. */
    public static MeanSe of(Collection<Double> values) {
        Objects.requireNonNull(values, "values");
        double[] a = new double[values.size()];
        int i = 0;
        for (Double v : values) {
            a[i++] = Objects.requireNonNull(v, "a value is null; use NaN for a missing value");
        }
        return of(a);
    }

    /**
     * Element by element: entry j of the result is {@link #of} over entry j of every row (e.g. rows = seeds, columns
     * = conditions or eigenvalue ranks). All rows must have the same length.
     */
    public static MeanSe[] elementwise(List<double[]> rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("elementwise statistics need at least one row, got none");
        }
        int len = rows.get(0).length;
        for (int r = 0; r < rows.size(); r++) {
            double[] row = Objects.requireNonNull(rows.get(r), "row " + r);
            if (row.length != len) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " entries, row 0 has " + len
                        + "; all rows must have the same length");
            }
        }
        MeanSe[] out = new MeanSe[len];
        double[] column = new double[rows.size()];
        for (int j = 0; j < len; j++) {
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[j];
            }
            out[j] = of(column);
        }
        return out;
    }

    /** Groups items by {@code key} (in first-met order) and takes {@link #of} over each group's values. */
    public static <T, K> Map<K, MeanSe> byGroup(Collection<? extends T> items, Function<? super T, ? extends K> key,
                                                ToDoubleFunction<? super T> value) {
        Objects.requireNonNull(value, "value");
        Map<K, List<T>> groups = group(items, key);
        Map<K, MeanSe> out = new LinkedHashMap<>();
        for (var e : groups.entrySet()) {
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = value.applyAsDouble(e.getValue().get(i));
            }
            out.put(e.getKey(), of(v));
        }
        return out;
    }

    /** Groups items by {@code key} (in first-met order) and takes {@link #elementwise} over each group's rows. */
    public static <T, K> Map<K, MeanSe[]> elementwiseByGroup(Collection<? extends T> items,
                                                             Function<? super T, ? extends K> key,
                                                             Function<? super T, double[]> row) {
        Objects.requireNonNull(row, "row");
        Map<K, List<T>> groups = group(items, key);
        Map<K, MeanSe[]> out = new LinkedHashMap<>();
        for (var e : groups.entrySet()) {
            out.put(e.getKey(), elementwise(e.getValue().stream().map(row).toList()));
        }
        return out;
    }

    private static <T, K> Map<K, List<T>> group(Collection<? extends T> items, Function<? super T, ? extends K> key) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(key, "key");
        Map<K, List<T>> groups = new LinkedHashMap<>();
        for (T item : items) {
            K k = Objects.requireNonNull(key.apply(item), "group key of " + item);
            groups.computeIfAbsent(k, unused -> new java.util.ArrayList<>()).add(item);
        }
        return groups;
    }
}

package org.rnnatlas.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper's claims and what one store says about each: the number, the rule that turns it into a verdict, and the
 * verdict in plain words. Rules are fixed thresholds stated in the table, so a reader can disagree with them and
 * still use the number.
 */
final class Claims {
    static final String SUPPORTED = "supported";
    static final String PARTLY = "partly supported";
    static final String NOT = "not supported in this store";
    static final String NO_DATA = "no data";

    /** One row: claim, task, number from the store, rule, verdict. */
    record Row(int rank, String claim, String task, String number, String rule, String verdict) {
        List<String> cells() {
            return List.of(claim, task, number, rule, verdict);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Adds a row; rows of a task are listed by rank (the paper's order), tasks in the order they were added. */
    void add(int rank, String claim, String task, String number, String rule, String verdict) {
        rows.add(new Row(rank, claim, task, number, rule, verdict));
    }

    List<Row> rows() {
        List<String> tasks = rows.stream().map(Row::task).distinct().toList();
        return rows.stream().sorted(java.util.Comparator.comparingInt((Row r) -> tasks.indexOf(r.task()))
                .thenComparingInt(Row::rank)).toList();
    }

    /**
     * Clustered when the silhouette is above 0 and the within/between ratio below 1; partly when only one holds (e.g.
     * same-group pairs closer on average, but some groups overlapping: a silhouette at or below 0).
     */
    static String clustered(double silhouette, double ratio) {
        if (!Double.isFinite(silhouette) || !Double.isFinite(ratio)) {
            return NO_DATA;
        }
        boolean s = silhouette > 0;
        boolean r = ratio < 1;
        return s && r ? SUPPORTED : s || r ? PARTLY : NOT;
    }

    /** All of {@code total} → supported, some → partly, none → not; no total → no data. */
    static String fraction(int ok, int total) {
        if (total <= 0) {
            return NO_DATA;
        }
        return ok == total ? SUPPORTED : ok > 0 ? PARTLY : NOT;
    }

    /** Majority → supported, some → partly, none → not. */
    static String majority(int ok, int total) {
        if (total <= 0) {
            return NO_DATA;
        }
        return 2 * ok > total ? SUPPORTED : ok > 0 ? PARTLY : NOT;
    }

    /** Pearson correlation of paired finite values; NaN under 3 pairs or a constant side. */
    static double pearson(double[] x, double[] y) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                n++;
                sx += x[i];
                sy += y[i];
            }
        }
        if (n < 3) {
            return Double.NaN;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                double a = x[i] - mx;
                double b = y[i] - my;
                sxx += a * a;
                syy += b * b;
                sxy += a * b;
            }
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }
}

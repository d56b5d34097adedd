package org.rnnatlas.core.geometry;

import java.util.List;
import java.util.Map;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;

/**
 * A test metric, cheap but not trivial: a network's feature vector f is the energy (sum of squared centred states)
 * in each of {@value #CHUNKS} equal runs of samples, normalised to unit length; the distance is
 * {@code (‖f_a − f_b‖ / 2)^power}, in [0, 1], 0 on itself, symmetric. Works for any widths, so networks of different
 * sizes compare. The plain form uses the SPI's default per-pair tile loop; {@link #withGemmTiles} overrides the tile
 * form with one {@link Ops#gemm} per tile (float products, so it agrees with the loop to float rounding only).
 */
class ChunkEnergyMetric implements SimilarityMetric {
    static final int CHUNKS = 8;
    private final double power;
    private final boolean gemmTiles;

    ChunkEnergyMetric() {
        this(1.0, false);
    }

    private ChunkEnergyMetric(double power, boolean gemmTiles) {
        this.power = power;
        this.gemmTiles = gemmTiles;
    }

    ChunkEnergyMetric withGemmTiles() {
        return new ChunkEnergyMetric(power, true);
    }

    record Features(double[] f) implements Prepared {
    }

    @Override
    public String name() {
        return gemmTiles ? "chunk-energy-gemm" : "chunk-energy";
    }

    @Override
    public Prepared prepare(Representation r) {
        int n = r.units();
        double[] mean = new double[n];
        for (int s = 0; s < r.samples(); s++) {
            for (int j = 0; j < n; j++) {
                mean[j] += r.data()[s * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            mean[j] /= r.samples();
        }
        double[] f = new double[CHUNKS];
        for (int s = 0; s < r.samples(); s++) {
            int chunk = (int) ((long) s * CHUNKS / r.samples());
            for (int j = 0; j < n; j++) {
                double v = r.data()[s * n + j] - mean[j];
                f[chunk] += v * v;
            }
        }
        double norm = 0;
        for (double v : f) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            throw new IllegalArgumentException("constant representation");
        }
        for (int c = 0; c < CHUNKS; c++) {
            f[c] /= norm;
        }
        return new Features(f);
    }

    @Override
    public double distance(Prepared a, Prepared b) {
        double[] x = ((Features) a).f();
        double[] y = ((Features) b).f();
        double s = 0;
        for (int c = 0; c < CHUNKS; c++) {
            s += (x[c] - y[c]) * (x[c] - y[c]);
        }
        return Math.pow(Math.sqrt(s) / 2, power);
    }

    @Override
    public void distances(Ops ops, List<? extends Prepared> rows, List<? extends Prepared> cols, double[] out) {
        if (!gemmTiles) {
            SimilarityMetric.super.distances(ops, rows, cols, out);
            return;
        }
        // ‖x − y‖² = 2 − 2 x·y for unit vectors: one product of the stacked features per tile
        int r = rows.size();
        int c = cols.size();
        float[] a = stack(rows);
        float[] b = stack(cols);
        float[] g = new float[r * c];
        ops.gemm(false, true, r, c, CHUNKS, a, 0, CHUNKS, b, 0, CHUNKS, g, 0, c, false);
        for (int i = 0; i < r * c; i++) {
            out[i] = Math.pow(Math.sqrt(Math.max(0, 2 - 2 * (double) g[i])) / 2, power);
        }
    }

    private static float[] stack(List<? extends Prepared> p) {
        float[] s = new float[p.size() * CHUNKS];
        for (int i = 0; i < p.size(); i++) {
            double[] f = ((Features) p.get(i)).f();
            for (int c = 0; c < CHUNKS; c++) {
                s[i * CHUNKS + c] = (float) f[c];
            }
        }
        return s;
    }

    @Override
    public Map<String, String> options() {
        return Map.of("power", Double.toString(power));
    }

    @Override
    public SimilarityMetric configure(Map<String, String> options) {
        double p = power;
        for (var e : options.entrySet()) {
            if (!e.getKey().equals("power")) {
                throw new IllegalArgumentException("unknown option " + e.getKey() + "; allowed: power");
            }
            p = Double.parseDouble(e.getValue());
        }
        return new ChunkEnergyMetric(p, gemmTiles);
    }
}

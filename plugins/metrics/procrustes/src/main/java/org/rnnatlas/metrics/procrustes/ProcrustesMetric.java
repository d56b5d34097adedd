package org.rnnatlas.metrics.procrustes;

import java.util.List;
import java.util.Objects;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.metrics.support.Dense;
import org.rnnatlas.metrics.support.Spectra;
import org.rnnatlas.metrics.support.Tiles;

/**
 * Angular Procrustes shape distance (Williams et al. 2021, "Generalized shape metrics on neural representations").
 *
 * <p>Centre each representation's columns and scale it to unit Frobenius norm; zero-pad the narrower one with
 * units so both have the same width. The best orthogonal alignment of Y to X then has
 * max_R tr(XᵀYR) = ‖XᵀY‖_* (the nuclear norm, the sum of the singular values of XᵀY; zero padding adds only zero
 * singular values, so the padding never needs to be materialised), and
 * <pre>
 *   θ(X, Y) = arccos ‖XᵀY‖_*  ∈ [0, π/2] ,    d = θ / (π/2)  ∈ [0, 1] .
 * </pre>
 * θ is the angle between the two shapes on the unit sphere after optimal rotation: a metric (it satisfies the
 * triangle inequality), 0 exactly when Y is a rotation/reflection of X (after centring and scaling), and π/2
 * when every unit of X is uncorrelated with every unit of Y (XᵀY = 0). The normalisation by π/2 is only to keep
 * the SPEC §4 range [0, 1]; multiply by π/2 to get the angle in radians. The nuclear norm never exceeds
 * ‖X‖_F‖Y‖_F = 1, so θ ≤ π/2.
 *
 * <p><b>Prepared form:</b> the centred, unit-norm X in single precision (samples × N, row-major) and its exact squared
 * norm as stored (so that a network with itself gives cos θ = 1 to rounding). Preparation is one pass; all the work
 * is per pair. The per-pair reference takes XᵀY in double and its singular values from ojAlgo's SVD. The tile form
 * {@link #distances} stacks the networks, computes all XᵀY blocks with one {@link Ops#gemm transposed-A gemm}, and
 * per pair sums the square roots of the eigenvalues (tridiagonal QL) of the block's Gram matrix along its shorter side.
 * Exact up to rounding ({@link #errorBound()} = 0), but note that arccos magnifies rounding near θ = 0: a
 * single-precision error δ in the nuclear norm moves d by up to (2/π)·√(2δ), about 3e-3 for δ = 1e-5 when the
 * two shapes nearly coincide, and by ≈ (2/π)·δ/sin θ elsewhere.
 */
public final class ProcrustesMetric implements SimilarityMetric {

    /** Does no work. */
    public ProcrustesMetric() {
    }

    /** A prepared network: centred, unit-Frobenius X (samples × units, row-major, float) and its stored norm². */
    record Shape(int samples, int units, float[] x, double normSq) implements Prepared {
    }

    @Override
    public String name() {
        return "procrustes";
    }

    @Override
    public String description() {
        return "Angular Procrustes shape distance: arccos of the nuclear norm of X'Y on centred unit-norm states, over pi/2";
    }

    /** The Ops-free form: {@link #prepare(Ops, Representation)} with a plain loop for the norm. */
    @Override
    public Shape prepare(Representation representation) {
        return prepare(null, representation);
    }

    /** Centring and scaling; the squared norm is one {@link Ops#dot} ({@code ops} may be null: a plain loop). */
    @Override
    public Shape prepare(Ops ops, Representation representation) {
        Objects.requireNonNull(representation, "representation");
        int s = representation.samples();
        int n = representation.units();
        if (s < 2 || n < 1) {
            throw new IllegalArgumentException("procrustes needs at least 2 samples and 1 unit, got " + s + " x " + n);
        }
        double[] x = Spectra.centred(representation);
        double norm = Dense.dot(ops, x, 0, x, 0, x.length);
        if (!(norm > 0.0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("procrustes: the representation (" + s + " x " + n + ") has "
                    + (Double.isFinite(norm) ? "zero variance (every unit constant over the samples)" : "non-finite values")
                    + "; its shape is undefined");
        }
        double inv = 1.0 / Math.sqrt(norm);
        float[] f = new float[x.length];
        double stored = 0.0;
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) (x[i] * inv);
            stored += (double) f[i] * f[i];
        }
        return new Shape(s, n, f, stored);
    }

    @Override
    public double distance(Prepared a, Prepared b) {
        Shape sa = shape(a, "a");
        Shape sb = shape(b, "b");
        checkSamples(sa, sb);
        int s = sa.samples();
        int na = sa.units();
        int nb = sb.units();
        R064Store block = R064Store.FACTORY.make(na, nb);
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double dot = 0.0;
                for (int t = 0; t < s; t++) {
                    dot += (double) sa.x()[t * na + i] * sb.x()[t * nb + j];
                }
                block.set(i, j, dot);
            }
        }
        SingularValue<Double> svd = SingularValue.R064.make(block);
        if (!svd.decompose(block)) {
            throw new ArithmeticException("SVD of the " + na + "x" + nb + " cross-covariance block failed");
        }
        double[] sv = new double[Math.min(na, nb)];
        svd.getSingularValues(sv);
        double nuclear = 0.0;
        for (double v : sv) {
            nuclear += v;
        }
        return angle(nuclear / Math.sqrt(sa.normSq() * sb.normSq()));
    }

    @Override
    public void distances(Ops ops, List<? extends Prepared> rows, List<? extends Prepared> cols, double[] out) {
        Objects.requireNonNull(ops, "ops");
        int nr = rows.size();
        int nc = cols.size();
        if (!Tiles.checkOut(nr, nc, out)) {
            return;
        }
        Shape[] rs = shapes(rows, "rows");
        Shape[] cs = shapes(cols, "cols");
        for (Shape x : rs) {
            checkSamples(rs[0], x);
        }
        for (Shape x : cs) {
            checkSamples(rs[0], x);
        }
        int s = rs[0].samples();
        int[] rOff = offsets(rs);
        int[] cOff = offsets(cs);
        int wr = rOff[nr];
        int wc = cOff[nc];
        int maxN = 0;
        for (Shape x : rs) {
            maxN = Math.max(maxN, x.units());
        }
        for (Shape x : cs) {
            maxN = Math.max(maxN, x.units());
        }
        float[] a = stack(rs, rOff, s);
        float[] b = rows == cols ? a : stack(cs, cOff, s);
        float[] c = new float[wr * wc];
        // every XᵀY block at once (Σ units of the rows × Σ units of the columns)
        ops.gemm(true, false, wr, wc, s, a, 0, wr, b, 0, wc, c, 0, wc, false);
        double[] gram = new double[maxN * maxN];
        double[] values = new double[maxN];
        double[] work = new double[maxN];
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < nc; j++) {
                double nuclear = nuclearNorm(c, rOff[i] * wc + cOff[j], wc, rs[i].units(), cs[j].units(), gram, values, work);
                out[i * nc + j] = angle(nuclear / Math.sqrt(rs[i].normSq() * cs[j].normSq()));
            }
        }
    }

    /** Σ √λ_i of the Gram matrix (in double) of the na × nb block along its shorter side. */
    private static double nuclearNorm(float[] c, int off, int ld, int na, int nb, double[] gram,
                                      double[] values, double[] work) {
        int m = Math.min(na, nb);
        if (na <= nb) {
            for (int p = 0; p < na; p++) {
                for (int q = p; q < na; q++) {
                    double dot = 0.0;
                    for (int t = 0; t < nb; t++) {
                        dot += (double) c[off + p * ld + t] * c[off + q * ld + t];
                    }
                    gram[p * m + q] = dot;
                    gram[q * m + p] = dot;
                }
            }
        } else {
            for (int p = 0; p < nb; p++) {
                for (int q = p; q < nb; q++) {
                    double dot = 0.0;
                    for (int t = 0; t < na; t++) {
                        int r = off + t * ld;
                        dot += (double) c[r + p] * c[r + q];
                    }
                    gram[p * m + q] = dot;
                    gram[q * m + p] = dot;
                }
            }
        }
        Spectra.tridiagonalEigenvalues(gram, m, values, work);
        double sum = 0.0;
        for (int p = 0; p < m; p++) {
            sum += Math.sqrt(Math.max(values[p], 0.0));
        }
        return sum;
    }

    private static double angle(double cosine) {
        double c = cosine > 1.0 ? 1.0 : (cosine < 0.0 ? 0.0 : cosine);
        return Math.acos(c) / (Math.PI / 2.0);
    }

    private static int[] offsets(Shape[] f) {
        int[] widths = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            widths[i] = f[i].units();
        }
        return Tiles.offsets(widths);
    }

    private static float[] stack(Shape[] f, int[] off, int s) {
        int w = off[f.length];
        float[] a = new float[s * w];
        for (int n = 0; n < f.length; n++) {
            int u = f[n].units();
            for (int t = 0; t < s; t++) {
                System.arraycopy(f[n].x(), t * u, a, t * w + off[n], u);
            }
        }
        return a;
    }

    private static Shape[] shapes(List<? extends Prepared> list, String what) {
        Objects.requireNonNull(list, what);
        Shape[] out = new Shape[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape(list.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private static Shape shape(Prepared p, String what) {
        Objects.requireNonNull(p, what);
        if (!(p instanceof Shape x)) {
            throw new IllegalArgumentException("procrustes: " + what + " was prepared by another metric ("
                    + p.getClass().getName() + "); prepare it with procrustes");
        }
        return x;
    }

    private static void checkSamples(Shape a, Shape b) {
        Tiles.checkSamples("procrustes", a.samples(), b.samples());
    }

    @Override
    public String toString() {
        return "procrustes";
    }
}

package org.rnnatlas.core.dynamics;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import org.ojalgo.scalar.ComplexNumber;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.FixedPoint;

/**
 * The linearisation of {@code s ↦ F(s, x*)} at a state (SPEC §5): the Jacobian {@code J = ∂F/∂s} from the cell's
 * closed form ({@link Cell#stateJacobian}) and its eigendecomposition {@code J = R Λ L} as a general real matrix
 * (ojAlgo, R064): complex eigenvalues λ_i, right eigenvectors r_i (the columns of R, each scaled to unit length with
 * its largest entry real and positive) and left eigenvectors l_i, the rows of {@code L = R⁻¹}, so that
 * {@code l_i r_j = δ_ij}. Eigenpairs are sorted by |λ| descending (a conjugate pair: positive imaginary part first).
 *
 * <p>Stable iff max |λ| &lt; 1; the number of unstable dimensions is the count of |λ| &gt; 1; the time constant of
 * mode i is {@code τ_i = −1/ln|λ_i|} steps (negative for growing modes, infinite at |λ| = 1).
 *
 * <p>When R is singular (a defective J), the left eigenvectors are NaN and {@link #hasLeftEigenvectors} is false.
 */
public final class Linearisation {
    private final int n;
    private final double[] jacobian;
    private final double[] re;
    private final double[] im;
    private final double[] rightRe;
    private final double[] rightIm;
    private final double[] leftRe;
    private final double[] leftIm;
    private final boolean hasLeft;

    private Linearisation(int n, double[] jacobian, double[] re, double[] im, double[] rightRe, double[] rightIm,
                          double[] leftRe, double[] leftIm, boolean hasLeft) {
        this.n = n;
        this.jacobian = jacobian;
        this.re = re;
        this.im = im;
        this.rightRe = rightRe;
        this.rightIm = rightIm;
        this.leftRe = leftRe;
        this.leftIm = leftIm;
        this.hasLeft = hasLeft;
    }

    /**
     * Linearises a cell at {@code state} under input {@code x}.
     *
     * @param params the network's parameters, the cell's blocks first
     */
    public static Linearisation at(Cell cell, CellSpec spec, double[] params, double[] state, double[] x) {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(spec, "spec");
        int s = cell.stateSize(spec);
        if (state.length != s) {
            throw new IllegalArgumentException("state has " + state.length + " entries, cell " + cell.name()
                    + " has state size " + s);
        }
        if (x.length != spec.inputs()) {
            throw new IllegalArgumentException("input has " + x.length + " entries, the cell takes " + spec.inputs());
        }
        double[] jac = new double[s * s];
        cell.stateJacobian(spec, params, state, x, jac, new double[Math.max(1, cell.scratchSize(spec))]);
        return of(jac, s);
    }

    /** Decomposes a given n×n row-major Jacobian ({@code J[i][j] = ∂F_i/∂s_j}). */
    public static Linearisation of(double[] jacobian, int n) {
        Objects.requireNonNull(jacobian, "jacobian");
        if (n < 1 || jacobian.length != n * n) {
            throw new IllegalArgumentException("jacobian must hold n × n = " + n + " × " + n + " values, got "
                    + jacobian.length);
        }
        for (double v : jacobian) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("jacobian contains a non-finite value (" + v + ")");
            }
        }
        boolean zero = true;
        for (double v : jacobian) {
            zero &= v == 0.0;
        }
        if (zero) {
            // ojAlgo's Hessenberg QR iteration never ends on the zero matrix (the Jacobian of an untrained relu
            // network whose units are all off: J = diag(0)·W). Its decomposition is exact: λ = 0, R = L = I.
            double[] identity = new double[n * n];
            for (int i = 0; i < n; i++) {
                identity[i * n + i] = 1.0;
            }
            return new Linearisation(n, jacobian.clone(), new double[n], new double[n], identity.clone(),
                    new double[n * n], identity, new double[n * n], true);
        }
        R064Store a = R064Store.FACTORY.make(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.set(i, j, jacobian[i * n + j]);
            }
        }
        Eigenvalue<Double> evd = Eigenvalue.R064.make(a, false);
        if (!evd.decompose(a)) {
            throw new IllegalStateException("ojAlgo eigendecomposition of a " + n + " x " + n + " Jacobian failed");
        }
        double[] vr = new double[n];
        double[] vi = new double[n];
        evd.getEigenvalues(vr, Optional.of(vi));
        MatrixStore<ComplexNumber> vectors = evd.getEigenvectors();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // by modulus descending; a conjugate pair with the positive imaginary part first; then by index
        Arrays.sort(order, (p, q) -> {
            int c = Double.compare(Math.hypot(vr[q], vi[q]), Math.hypot(vr[p], vi[p]));
            if (c != 0) {
                return c;
            }
            c = Double.compare(vi[q], vi[p]);
            return c != 0 ? c : Integer.compare(p, q);
        });
        double[] re = new double[n];
        double[] im = new double[n];
        double[] rRe = new double[n * n];
        double[] rIm = new double[n * n];
        for (int k = 0; k < n; k++) {
            int src = order[k];
            re[k] = vr[src];
            im[k] = vi[src];
            double norm = 0;
            int big = 0;
            double bigAbs = -1;
            for (int i = 0; i < n; i++) {
                ComplexNumber z = vectors.get(i, src);
                rRe[i * n + k] = z.getReal();
                rIm[i * n + k] = z.getImaginary();
                double abs = Math.hypot(z.getReal(), z.getImaginary());
                norm += abs * abs;
                if (abs > bigAbs + 1e-12 * bigAbs) {
                    bigAbs = abs;
                    big = i;
                }
            }
            // unit length, largest entry real and positive: a fixed representative whatever ojAlgo's scaling
            double pr = rRe[big * n + k];
            double pi = rIm[big * n + k];
            double pAbs = Math.hypot(pr, pi);
            double cr = pr / pAbs / Math.sqrt(norm);
            double ci = -pi / pAbs / Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                double a0 = rRe[i * n + k];
                double b0 = rIm[i * n + k];
                rRe[i * n + k] = a0 * cr - b0 * ci;
                rIm[i * n + k] = a0 * ci + b0 * cr;
            }
            if (im[k] == 0) {
                for (int i = 0; i < n; i++) {
                    rIm[i * n + k] = 0; // a real eigenvalue has a real eigenvector; drop rounding noise
                }
            }
        }
        double[] lRe = new double[n * n];
        double[] lIm = new double[n * n];
        boolean ok = complexInverse(rRe, rIm, n, lRe, lIm);
        if (!ok) {
            Arrays.fill(lRe, Double.NaN);
            Arrays.fill(lIm, Double.NaN);
        }
        return new Linearisation(n, jacobian.clone(), re, im, rRe, rIm, lRe, lIm, ok);
    }

    /** Gauss–Jordan inverse of the complex matrix (aRe + i aIm) with partial pivoting; false when singular. */
    private static boolean complexInverse(double[] aRe, double[] aIm, int n, double[] outRe, double[] outIm) {
        double[] mr = aRe.clone();
        double[] mi = aIm.clone();
        Arrays.fill(outRe, 0.0);
        Arrays.fill(outIm, 0.0);
        for (int i = 0; i < n; i++) {
            outRe[i * n + i] = 1.0;
        }
        double scale = 0;
        for (int i = 0; i < n * n; i++) {
            scale = Math.max(scale, Math.hypot(mr[i], mi[i]));
        }
        for (int col = 0; col < n; col++) {
            int p = col;
            double best = Math.hypot(mr[col * n + col], mi[col * n + col]);
            for (int r = col + 1; r < n; r++) {
                double v = Math.hypot(mr[r * n + col], mi[r * n + col]);
                if (v > best) {
                    best = v;
                    p = r;
                }
            }
            if (!(best > 1e-13 * scale)) {
                return false;
            }
            if (p != col) {
                swapRows(mr, n, p, col);
                swapRows(mi, n, p, col);
                swapRows(outRe, n, p, col);
                swapRows(outIm, n, p, col);
            }
            // divide the pivot row by the pivot
            double pr = mr[col * n + col];
            double pi = mi[col * n + col];
            double den = pr * pr + pi * pi;
            double ir = pr / den;
            double ii = -pi / den;
            scaleRow(mr, mi, n, col, ir, ii);
            scaleRow(outRe, outIm, n, col, ir, ii);
            for (int r = 0; r < n; r++) {
                if (r == col) {
                    continue;
                }
                double fr = mr[r * n + col];
                double fi = mi[r * n + col];
                if (fr == 0 && fi == 0) {
                    continue;
                }
                subtractRow(mr, mi, n, r, col, fr, fi);
                subtractRow(outRe, outIm, n, r, col, fr, fi);
            }
        }
        return true;
    }

    private static void swapRows(double[] a, int n, int i, int j) {
        for (int k = 0; k < n; k++) {
            double t = a[i * n + k];
            a[i * n + k] = a[j * n + k];
            a[j * n + k] = t;
        }
    }

    private static void scaleRow(double[] re, double[] im, int n, int row, double cr, double ci) {
        for (int k = 0; k < n; k++) {
            double a = re[row * n + k];
            double b = im[row * n + k];
            re[row * n + k] = a * cr - b * ci;
            im[row * n + k] = a * ci + b * cr;
        }
    }

    /** row r −= (fr + i fi) · row c. */
    private static void subtractRow(double[] re, double[] im, int n, int r, int c, double fr, double fi) {
        for (int k = 0; k < n; k++) {
            double a = re[c * n + k];
            double b = im[c * n + k];
            re[r * n + k] -= a * fr - b * fi;
            im[r * n + k] -= a * fi + b * fr;
        }
    }

    /** n, the state size. */
    public int size() {
        return n;
    }

    /** The Jacobian, n×n row-major. */
    public double[] jacobian() {
        return jacobian.clone();
    }

    /** Real parts of the eigenvalues, sorted by modulus descending. */
    public double[] eigenReal() {
        return re.clone();
    }

    /** Imaginary parts of the eigenvalues, in the same order. */
    public double[] eigenImag() {
        return im.clone();
    }

    /** |λ_i|. */
    public double modulus(int i) {
        return Math.hypot(re[i], im[i]);
    }

    /** The largest |λ| (the spectral radius). */
    public double spectralRadius() {
        return modulus(0);
    }

    /** Right eigenvectors, real parts: n×n row-major, column i belongs to eigenvalue i. */
    public double[] rightReal() {
        return rightRe.clone();
    }

    /** Right eigenvectors, imaginary parts. */
    public double[] rightImag() {
        return rightIm.clone();
    }

    /** Left eigenvectors, real parts: n×n row-major, row i belongs to eigenvalue i ({@code L = R⁻¹}). */
    public double[] leftReal() {
        return leftRe.clone();
    }

    /** Left eigenvectors, imaginary parts. */
    public double[] leftImag() {
        return leftIm.clone();
    }

    /** False when the right-eigenvector matrix is singular (defective J) and the left eigenvectors are NaN. */
    public boolean hasLeftEigenvectors() {
        return hasLeft;
    }

    /** Count of eigenvalues with |λ| &gt; 1. */
    public int unstableDims() {
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (modulus(i) > 1.0) {
                c++;
            }
        }
        return c;
    }

    /** Stable iff every |λ| &lt; 1. */
    public boolean stable() {
        return spectralRadius() < 1.0;
    }

    /** Time constants {@code −1/ln|λ_i|} in steps, in eigenvalue order. */
    public double[] timeConstants() {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = -1.0 / Math.log(modulus(i));
        }
        return t;
    }

    /**
     * The readout {@code y = h W_out + b_out} of a state whose first {@code hidden} entries are h.
     *
     * @param w row-major {@code hidden × K} (the store's {@code readout_W})
     * @param b K entries (the store's {@code readout_b})
     */
    public static double[] readout(double[] state, int hidden, double[] w, double[] b) {
        int k = b.length;
        if (w.length != hidden * k) {
            throw new IllegalArgumentException("readout_W must hold hidden × K = " + hidden + " × " + k
                    + " values, got " + w.length);
        }
        if (state.length < hidden) {
            throw new IllegalArgumentException("state has " + state.length + " entries, fewer than " + hidden
                    + " hidden units");
        }
        double[] y = b.clone();
        for (int i = 0; i < hidden; i++) {
            for (int j = 0; j < k; j++) {
                y[j] += state[i] * w[i * k + j];
            }
        }
        return y;
    }

    /**
     * The SPI record for a point with this linearisation.
     *
     * @param state     the point (n entries)
     * @param condition index of the task condition whose input the point belongs to
     * @param q         its residual
     * @param readout   its readout, e.g. from {@link #readout}
     */
    public FixedPoint toFixedPoint(double[] state, int condition, double q, double[] readout) {
        if (state.length != n) {
            throw new IllegalArgumentException("state has " + state.length + " entries, the Jacobian is " + n
                    + " × " + n);
        }
        return new FixedPoint(state.clone(), condition, q, readout.clone(), re.clone(), im.clone(), unstableDims());
    }
}

package org.rnnatlas.core.dynamics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;

/**
 * The linearised integration analyses of a CDI network (SPEC §7, the paper's Fig. 3e and 3f) at one fixed point of
 * one context's line attractor.
 *
 * <p><b>Spectrum</b> (Fig. 3e): |λ_i| of {@code J = ∂F/∂s}, sorted descending; {@link #meanSpectrum} averages it over
 * a network's fixed points, {@link GroupStats#elementwise} then over seeds.
 *
 * <p><b>Mode ablation</b> (Fig. 3f). With {@code J = R Λ L} ({@link Linearisation}: right eigenvectors r_i, left
 * eigenvectors l_i = rows of R⁻¹), {@code b = ∂F/∂x} restricted to the cued stream's input column and w the readout
 * row ({@code y = w·h}, zero on any state beyond h), the readout's response, T steps later, to a unit input on the
 * cued stream at the first step is
 * <pre>
 *   w J^{T−1} b = Σ_i c_i,   c_i = (w r_i) λ_i^{T−1} (l_i b)          (complex; the sum is real)
 *   resp(k)     = Re Σ_{i ∈ kept(k)} c_i,   k = 0..S
 * </pre>
 * where kept(k) are the k modes of largest |λ| (the linearisation's order); modes are removed from the smallest |λ|
 * up, so resp(S) is the whole linear system and resp(0) = 0. An ideal integrator (one mode λ = 1 with
 * {@code (w r)(l b) = 1}, all others decayed) gives 1 (times the task's target scale, if that option is not 1).
 *
 * <p><b>Conjugate pairs stay together.</b> The two members of a pair λ, λ̄ contribute c and c̄, so only their sum is
 * real. When the cut at k would keep one member without the other, that member is dropped too: kept(k) then holds
 * k − 1 modes, {@link Ablation#modesKept} records the count actually kept, and resp(k) = resp(k − 1). The partner of
 * each complex mode is found by value (the nearest λ̄), not by position, so a real eigenvalue of the same modulus
 * between the two members does no harm. {@link Ablation#maxImaginary} reports the largest |Im Σ_{kept} c_i| over k,
 * rounding-level when pairs are whole.
 *
 * <p><b>Check.</b> {@link Ablation#direct} is {@code w J^{T−1} b} by T − 1 matrix–vector products, with no
 * eigendecomposition; it equals resp(S) up to the conditioning of R. For a defective J (no left eigenvectors) the
 * modal curve is NaN and only the direct response is defined.
 *
 * <p><b>CDI input layout</b> (SPEC §2, the cdi task plugin): M = 2·K_ctx inputs, the K_ctx noise streams first
 * (columns 0..K_ctx−1), then the one-hot context (columns K_ctx..2K_ctx−1). Condition c is streams 0 and the context
 * one-hot at column K_ctx + c; the cued stream of context c is column c ({@link #cuedStream}). T is the task's trial
 * length (30 by default), passed in by the caller.
 */
public final class CdiModes {

    private CdiModes() {
    }

    /** |λ_i| in the linearisation's order (descending). */
    public static double[] spectrum(Linearisation lin) {
        Objects.requireNonNull(lin, "linearisation");
        double[] m = new double[lin.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = lin.modulus(i);
        }
        return m;
    }

    /** Element-wise mean of the sorted spectra of one network's fixed points (all of the same size). */
    public static double[] meanSpectrum(List<Linearisation> fixedPoints) {
        Objects.requireNonNull(fixedPoints, "fixedPoints");
        return means(fixedPoints.stream().map(CdiModes::spectrum).toList(), "spectra");
    }

    /** Element-wise mean of the ablation curves of one network's fixed points (all of the same size). */
    public static double[] meanResponse(List<Ablation> ablations) {
        Objects.requireNonNull(ablations, "ablations");
        return means(ablations.stream().map(Ablation::response).toList(), "ablation curves");
    }

    private static double[] means(List<double[]> rows, String what) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " to average");
        }
        GroupStats.MeanSe[] s = GroupStats.elementwise(rows);
        double[] out = new double[s.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = s[i].mean();
        }
        return out;
    }

    /**
     * The cued stream of a CDI condition input: the position c of the single 1 in the context block (columns
     * M/2..M−1); the stream to integrate is input column c.
     */
    public static int cuedStream(double[] conditionInput) {
        Objects.requireNonNull(conditionInput, "conditionInput");
        int m = conditionInput.length;
        if (m < 2 || m % 2 != 0) {
            throw new IllegalArgumentException("a CDI input has 2·K_ctx entries (streams, then a one-hot context), got "
                    + m);
        }
        int contexts = m / 2;
        int cued = -1;
        for (int c = 0; c < contexts; c++) {
            double v = conditionInput[contexts + c];
            if (v == 1.0 && cued < 0) {
                cued = c;
            } else if (v != 0.0) {
                cued = -2;
                break;
            }
        }
        if (cued < 0) {
            throw new IllegalArgumentException("the context block (columns " + contexts + ".." + (m - 1) + ") of "
                    + Arrays.toString(conditionInput) + " is not one-hot");
        }
        return cued;
    }

    /** b = column {@code column} of the input Jacobian ∂F/∂x at (state, x), from the cell ({@link Cell#inputJacobian}). */
    public static double[] inputColumn(Cell cell, CellSpec spec, double[] params, double[] state, double[] x,
                                       int column) {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(spec, "spec");
        int s = cell.stateSize(spec);
        int m = spec.inputs();
        if (state.length != s) {
            throw new IllegalArgumentException("state has " + state.length + " entries, cell " + cell.name()
                    + " has state size " + s);
        }
        if (x.length != m) {
            throw new IllegalArgumentException("input has " + x.length + " entries, the cell takes " + m);
        }
        if (column < 0 || column >= m) {
            throw new IllegalArgumentException("input column " + column + " is outside 0.." + (m - 1));
        }
        double[] jac = new double[s * m];
        cell.inputJacobian(spec, params, state, x, jac, new double[Math.max(1, cell.scratchSize(spec))]);
        double[] b = new double[s];
        for (int i = 0; i < s; i++) {
            b[i] = jac[i * m + column];
        }
        return b;
    }

    /**
     * The readout row w of output {@code output} as a state-sized vector: {@code w_j = W_out[j][output]} for the
     * hidden units j &lt; N and 0 for the rest of the state (the LSTM's c, which the readout does not see).
     *
     * @param readoutW row-major N × K, as {@code org.rnnatlas.core.train.Model} stores {@code readout_W}
     *                 ({@code y = h W_out + b_out})
     */
    public static double[] readoutRow(double[] readoutW, int hidden, int outputs, int output, int stateSize) {
        Objects.requireNonNull(readoutW, "readoutW");
        if (readoutW.length != hidden * outputs) {
            throw new IllegalArgumentException("readout_W must hold hidden × K = " + hidden + " × " + outputs
                    + " values, got " + readoutW.length);
        }
        if (output < 0 || output >= outputs) {
            throw new IllegalArgumentException("output " + output + " is outside 0.." + (outputs - 1));
        }
        if (stateSize < hidden) {
            throw new IllegalArgumentException("state size " + stateSize + " is smaller than " + hidden
                    + " hidden units");
        }
        double[] w = new double[stateSize];
        for (int j = 0; j < hidden; j++) {
            w[j] = readoutW[j * outputs + output];
        }
        return w;
    }

    /**
     * The modal terms {@code c_i = (w r_i) λ_i^{T−1} (l_i b)}, in the linearisation's order, with each complex mode's
     * conjugate partner.
     *
     * @param real    Re c_i
     * @param imag    Im c_i
     * @param partner index of the conjugate partner of a complex mode, −1 for a real mode (or an unmatched one)
     */
    public record Contributions(double[] real, double[] imag, int[] partner) {
    }

    /** The modal terms; NaN when J has no left eigenvectors. */
    public static Contributions contributions(Linearisation lin, double[] b, double[] w, int steps) {
        Objects.requireNonNull(lin, "linearisation");
        int n = lin.size();
        check(n, b, w, steps);
        double[] er = lin.eigenReal();
        double[] ei = lin.eigenImag();
        double[] rr = lin.rightReal();
        double[] ri = lin.rightImag();
        double[] lr = lin.leftReal();
        double[] li = lin.leftImag();
        double[] cr = new double[n];
        double[] ci = new double[n];
        double[] pow = new double[2];
        for (int i = 0; i < n; i++) {
            double wrRe = 0;
            double wrIm = 0;
            double lbRe = 0;
            double lbIm = 0;
            for (int j = 0; j < n; j++) {
                wrRe += w[j] * rr[j * n + i];
                wrIm += w[j] * ri[j * n + i];
                lbRe += lr[i * n + j] * b[j];
                lbIm += li[i * n + j] * b[j];
            }
            power(er[i], ei[i], steps - 1, pow);
            // (wr)(λ^{T−1})(lb), complex
            double aRe = wrRe * pow[0] - wrIm * pow[1];
            double aIm = wrRe * pow[1] + wrIm * pow[0];
            cr[i] = aRe * lbRe - aIm * lbIm;
            ci[i] = aRe * lbIm + aIm * lbRe;
        }
        return new Contributions(cr, ci, partners(er, ei));
    }

    /**
     * The readout's linear response at one fixed point as modes are removed.
     *
     * @param steps        T
     * @param response     resp(k) for k = 0..S (the real part)
     * @param modesKept    the number of modes actually in kept(k): k, or k − 1 where the cut would split a pair
     * @param maxImaginary max over k of |Im Σ_{kept(k)} c_i|; rounding-level when pairs are kept whole
     * @param direct       {@code w J^{T−1} b} from the Jacobian itself, the check on resp(S)
     */
    public record Ablation(int steps, double[] response, int[] modesKept, double maxImaginary, double direct) {

        /** resp(S), the whole linear system through its modes. */
        public double full() {
            return response[response.length - 1];
        }
    }

    /** The ablation curve for input column b and readout row w (both S entries), T = {@code steps}. */
    public static Ablation ablate(Linearisation lin, double[] b, double[] w, int steps) {
        Contributions c = contributions(lin, b, w, steps);
        int n = lin.size();
        double[] resp = new double[n + 1];
        int[] kept = new int[n + 1];
        double maxIm = 0;
        for (int k = 1; k <= n; k++) {
            double sr = 0;
            double si = 0;
            int count = 0;
            for (int i = 0; i < k; i++) {
                if (c.partner()[i] >= k) {
                    continue; // its conjugate is cut: drop the pair as a whole
                }
                sr += c.real()[i];
                si += c.imag()[i];
                count++;
            }
            resp[k] = sr;
            kept[k] = count;
            maxIm = Math.max(maxIm, Math.abs(si));
        }
        if (!lin.hasLeftEigenvectors()) {
            Arrays.fill(resp, 1, n + 1, Double.NaN);
            maxIm = Double.NaN;
        }
        return new Ablation(steps, resp, kept, maxIm, directResponse(lin.jacobian(), n, b, w, steps));
    }

    /**
     * Everything at one fixed point of a network laid out like {@code org.rnnatlas.core.train.Model}: the cell's
     * parameter blocks, then {@code readout_W} (N × K) and {@code readout_b}. The cued stream comes from the condition
     * input's one-hot context ({@link #cuedStream}); the readout is output 0 (CDI has K = 1).
     *
     * @param params         the full parameter vector (cell blocks, then the readout)
     * @param outputs        K
     * @param state          the fixed point
     * @param conditionInput the context's condition input x*
     * @param steps          T, the task's trial length
     */
    public static Ablation at(Cell cell, CellSpec spec, double[] params, int outputs, double[] state,
                              double[] conditionInput, int steps) {
        checkParams(cell, spec, params, outputs);
        return at(cell, spec, params, outputs, state, conditionInput, steps,
                Linearisation.at(cell, spec, params, state, conditionInput));
    }

    /** {@link #at} with the linearisation at {@code state} already computed (the caller's, to reuse). */
    public static Ablation at(Cell cell, CellSpec spec, double[] params, int outputs, double[] state,
                              double[] conditionInput, int steps, Linearisation lin) {
        checkParams(cell, spec, params, outputs);
        Objects.requireNonNull(lin, "lin");
        int cellParams = cell.parameterCount(spec);
        int n = spec.hidden();
        int column = cuedStream(conditionInput);
        double[] b = inputColumn(cell, spec, params, state, conditionInput, column);
        double[] w = readoutRow(Arrays.copyOfRange(params, cellParams, cellParams + n * outputs), n, outputs, 0,
                cell.stateSize(spec));
        return ablate(lin, b, w, steps);
    }

    private static void checkParams(Cell cell, CellSpec spec, double[] params, int outputs) {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(params, "params");
        int cellParams = cell.parameterCount(spec);
        int n = spec.hidden();
        if (params.length != cellParams + n * outputs + outputs) {
            throw new IllegalArgumentException("params has " + params.length + " values; cell " + cell.name()
                    + " + readout need " + cellParams + " + " + n + "·" + outputs + " + " + outputs + " = "
                    + (cellParams + n * outputs + outputs));
        }
    }

    /** {@code w J^{T−1} b} by repeated products with J (n × n row-major), in real arithmetic. */
    public static double directResponse(double[] jacobian, int n, double[] b, double[] w, int steps) {
        Objects.requireNonNull(jacobian, "jacobian");
        if (jacobian.length != n * n) {
            throw new IllegalArgumentException("jacobian must hold n × n = " + n + " × " + n + " values, got "
                    + jacobian.length);
        }
        check(n, b, w, steps);
        double[] v = b.clone();
        double[] next = new double[n];
        for (int t = 1; t < steps; t++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += jacobian[i * n + j] * v[j];
                }
                next[i] = s;
            }
            double[] tmp = v;
            v = next;
            next = tmp;
        }
        double y = 0;
        for (int i = 0; i < n; i++) {
            y += w[i] * v[i];
        }
        return y;
    }

    private static void check(int n, double[] b, double[] w, int steps) {
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(w, "w");
        if (b.length != n || w.length != n) {
            throw new IllegalArgumentException("input column and readout row must have the state size " + n
                    + ", got " + b.length + " and " + w.length);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps T must be >= 1, got " + steps);
        }
    }

    /** λ^e for an integer e ≥ 0 by repeated squaring (λ^0 = 1, also for λ = 0); out = {re, im}. */
    static void power(double re, double im, int e, double[] out) {
        double rRe = 1;
        double rIm = 0;
        double bRe = re;
        double bIm = im;
        while (e > 0) {
            if ((e & 1) != 0) {
                double t = rRe * bRe - rIm * bIm;
                rIm = rRe * bIm + rIm * bRe;
                rRe = t;
            }
            e >>= 1;
            if (e > 0) {
                double t = bRe * bRe - bIm * bIm;
                bIm = 2 * bRe * bIm;
                bRe = t;
            }
        }
        out[0] = rRe;
        out[1] = rIm;
    }

    /** Conjugate partners by value: each Im &gt; 0 mode takes the unmatched Im &lt; 0 mode nearest its conjugate. */
    private static int[] partners(double[] re, double[] im) {
        int n = re.length;
        int[] p = new int[n];
        Arrays.fill(p, -1);
        for (int i = 0; i < n; i++) {
            if (!(im[i] > 0)) {
                continue;
            }
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (im[j] < 0 && p[j] < 0) {
                    double d = Math.hypot(re[j] - re[i], im[j] + im[i]);
                    if (d < bestD) {
                        bestD = d;
                        best = j;
                    }
                }
            }
            if (best >= 0) {
                p[i] = best;
                p[best] = i;
            }
        }
        return p;
    }
}

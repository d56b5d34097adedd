package org.rnnatlas.cells.ugrnn;

import java.util.random.RandomGenerator;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.CellArgs;
import org.rnnatlas.spi.support.FusedCell;
import org.rnnatlas.spi.support.FusedLayout;

/**
 * The update-gate RNN (UGRNN) of SPEC §1:
 *
 * <pre>
 *   g  = σ(h·W_g + x·U_g + b_g)     update gate
 *   c  = φ(h·W_c + x·U_c + b_c)     candidate
 *   h' = g ⊙ h + (1 − g) ⊙ c
 * </pre>
 *
 * in the row-vector convention (SPEC's {@code W_g} is the transpose of the column block {@code W[:, 0:N]}).
 *
 * <p><b>Parameters</b>, in storage order: {@code W} (N×2N, fan-in N), {@code U} (M×2N, fan-in M), {@code b} (2N); the
 * column blocks are {@code [g, c]}, each N wide. Initialisation is SPEC §1's with the gate bias b_g at +1 and b_c at
 * 0. {@code z = [h, x]·[W; U] + b} is one product.
 *
 * <p><b>Derivatives</b> (upstream gradient γ, φ' written through c): {@code ∂z_g = γ(h − c)g(1 − g)},
 * {@code ∂z_c = γ(1 − g)φ'}, {@code gS = γ⊙g + ∂z·Wᵀ}; the state Jacobian is
 * {@code J[i][k] = δ_ik g_i + a_i W_g[k][i] + e_i W_c[k][i]} with {@code a = (h − c)g(1 − g)},
 * {@code e = (1 − g)φ'}, and the input Jacobian {@code a_i U_g[j][i] + e_i U_c[j][i]}.
 */
public final class UgrnnCell extends FusedCell {

    /** The registered name. */
    public static final String NAME = "ugrnn";

    /** Service-loader constructor; does no work beyond naming the cell. */
    public UgrnnCell() {
        super(NAME, "Update-gate RNN: h' = g*h + (1-g)*phi(hW_c + xU_c + b_c)", 2);
    }

    /** Gate values g, c (2N) and ∂z (2N); the Jacobians keep a, e in the ∂z area. */
    @Override
    public int scratchSize(CellSpec spec) {
        return 4 * spec.hidden();
    }

    @Override
    public void initialize(CellSpec spec, RandomGenerator rng, double[] params) {
        Cell.initializeDefault(parameters(spec), rng, params);
        int bias = FusedLayout.biasOffset(spec, 2);
        // the update-gate bias b_g starts at +1 (SPEC §1): the first N bias entries
        java.util.Arrays.fill(params, bias, bias + spec.hidden(), 1.0);
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, sNext, n, "sNext");
        forward(spec, p, s, x, scratch);
        for (int i = 0; i < n; i++) {
            double g = scratch[i];
            sNext[i] = g * s[i] + (1.0 - g) * scratch[n + i];
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                             double[] gS, double[] gX, double[] gP, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int gn = 2 * n;
        CellArgs.requireLength(this, spec, g, n, "g");
        CellArgs.requireBackwardOutputs(this, spec, gS, gX, gP);
        forward(spec, p, s, x, scratch);
        Activation act = spec.activation();
        int dz = 2 * n;
        for (int i = 0; i < n; i++) {
            double gate = scratch[i];
            double c = scratch[n + i];
            scratch[dz + i] = g[i] * (s[i] - c) * gate * (1.0 - gate);
            scratch[dz + n + i] = g[i] * (1.0 - gate) * act.derivativeFromOutput(c);
        }
        if (gS != null) {
            // reads g[k] before writing gS[k] only: g may alias gS
            for (int k = 0; k < n; k++) {
                gS[k] = g[k] * scratch[k] + FusedLayout.dot(p, k * gn, scratch, dz, gn);
            }
        }
        if (gX != null) {
            FusedLayout.inputGradient(spec, 2, p, scratch, dz, gX);
        }
        if (gP != null) {
            FusedLayout.addParameterGradient(spec, 2, s, x, scratch, dz, gP);
        }
    }

    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, jac, n * n, "jac");
        coefficients(spec, p, s, x, scratch);
        int gn = 2 * n;
        for (int k = 0; k < n; k++) {
            int w = k * gn;
            for (int i = 0; i < n; i++) {
                double v = scratch[2 * n + i] * p[w + i] + scratch[3 * n + i] * p[w + n + i];
                jac[i * n + k] = i == k ? v + scratch[i] : v;
            }
        }
    }

    @Override
    public void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        CellArgs.requireLength(this, spec, jac, n * m, "jac");
        coefficients(spec, p, s, x, scratch);
        int gn = 2 * n;
        for (int j = 0; j < m; j++) {
            int u = (n + j) * gn;
            for (int i = 0; i < n; i++) {
                jac[i * m + j] = scratch[2 * n + i] * p[u + i] + scratch[3 * n + i] * p[u + n + i];
            }
        }
    }

    @Override
    public CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new UgrnnKernel(ops, spec, batch, maxSteps);
    }

    /** scratch[0..2N) = g, c at (s, x). */
    private static void forward(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        int n = spec.hidden();
        int gn = 2 * n;
        FusedLayout.preactivation(spec, 2, p, s, x, scratch, 0);
        for (int i = 0; i < n; i++) {
            scratch[i] = Activation.sigmoid(scratch[i]);
        }
        Activation act = spec.activation();
        for (int i = n; i < gn; i++) {
            scratch[i] = act.apply(scratch[i]);
        }
    }

    /** The forward values plus the Jacobian coefficients a (at 2N) and e (at 3N). */
    private static void coefficients(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        forward(spec, p, s, x, scratch);
        int n = spec.hidden();
        Activation act = spec.activation();
        for (int i = 0; i < n; i++) {
            double g = scratch[i];
            double c = scratch[n + i];
            scratch[2 * n + i] = (s[i] - c) * g * (1.0 - g);
            scratch[3 * n + i] = (1.0 - g) * act.derivativeFromOutput(c);
        }
    }
}

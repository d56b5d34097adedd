package org.rnnatlas.report;

import java.util.ArrayList;
import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;

/**
 * Heteroclinic orbits of a saddle with one unstable dimension (the paper's Fig. 1 lines between fixed points): the
 * network is run autonomously, s ← F(s, x*), from s* ± δ·v, where v is the saddle's unstable eigenvector. v comes
 * from power iteration on the Jacobian, with products J·u taken as central differences of the cell's double step,
 * (F(s* + εu) − F(s* − εu)) / 2ε: for a 1-saddle the unstable eigenvalue is real and the largest in modulus, so
 * power iteration converges to it when the next modulus is smaller.
 */
final class Heteroclinic {
    private final Cell cell;
    private final CellSpec spec;
    private final double[] params;
    private final int s;
    private final double[] scratch;
    private final double[] a;
    private final double[] b;

    Heteroclinic(Cell cell, CellSpec spec, double[] params) {
        this.cell = cell;
        this.spec = spec;
        this.params = params;
        this.s = cell.stateSize(spec);
        this.scratch = new double[Math.max(1, cell.scratchSize(spec))];
        this.a = new double[s];
        this.b = new double[s];
    }

    /** J·u at {@code point} by central differences (ε = 1e-6 relative to ‖s*‖ + 1). */
    private void jacobianTimes(double[] point, double[] x, double[] u, double[] out) {
        double eps = 1e-6 * (1 + norm(point));
        double[] plus = new double[s];
        double[] minus = new double[s];
        for (int i = 0; i < s; i++) {
            plus[i] = point[i] + eps * u[i];
            minus[i] = point[i] - eps * u[i];
        }
        cell.step(spec, params, plus, x, a, scratch);
        cell.step(spec, params, minus, x, b, scratch);
        for (int i = 0; i < s; i++) {
            out[i] = (a[i] - b[i]) / (2 * eps);
        }
    }

    /**
     * The unstable direction, or null when power iteration does not settle on an eigenvalue of modulus
     * {@code lambda} (within 2%) — then the saddle's orbit is not drawn rather than drawn wrong.
     */
    double[] unstableDirection(double[] point, double[] x, double lambda) {
        double[] v = new double[s];
        for (int i = 0; i < s; i++) {
            v[i] = 1 + 0.37 * Math.sin(1.7 * i); // fixed start with no symmetry, so runs are reproducible
        }
        scale(v, 1 / norm(v));
        double[] w = new double[s];
        double mod = 0;
        for (int it = 0; it < 300; it++) {
            jacobianTimes(point, x, v, w);
            mod = norm(w);
            if (!(mod > 0) || !Double.isFinite(mod)) {
                return null;
            }
            double sign = dot(w, v) < 0 ? -1 : 1; // a negative eigenvalue flips v each step; keep one orientation
            for (int i = 0; i < s; i++) {
                v[i] = sign * w[i] / mod;
            }
            if (it > 20 && Math.abs(mod - lambda) <= 1e-3 * lambda) {
                break;
            }
        }
        return Math.abs(mod - lambda) <= 0.02 * lambda ? v : null;
    }

    /** The two orbits from s* ± δv, each as states [t][s], until they settle (‖F(s) − s‖ < 1e-7) or for steps. */
    List<double[][]> orbits(double[] point, double[] x, double[] v, double delta, int steps) {
        List<double[][]> out = new ArrayList<>();
        for (int sign = -1; sign <= 1; sign += 2) {
            List<double[]> path = new ArrayList<>();
            double[] cur = new double[s];
            for (int i = 0; i < s; i++) {
                cur[i] = point[i] + sign * delta * v[i];
            }
            path.add(cur.clone());
            for (int t = 0; t < steps; t++) {
                double[] next = new double[s];
                cell.step(spec, params, cur, x, next, scratch);
                double d = 0;
                for (int i = 0; i < s; i++) {
                    d += (next[i] - cur[i]) * (next[i] - cur[i]);
                }
                path.add(next);
                cur = next;
                if (Math.sqrt(d) < 1e-7 || !Double.isFinite(d)) {
                    break;
                }
            }
            out.add(path.toArray(double[][]::new));
        }
        return out;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(double[] u, double[] v) {
        double d = 0;
        for (int i = 0; i < u.length; i++) {
            d += u[i] * v[i];
        }
        return d;
    }

    private static void scale(double[] v, double f) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= f;
        }
    }
}

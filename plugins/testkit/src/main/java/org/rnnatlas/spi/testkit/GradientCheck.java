package org.rnnatlas.spi.testkit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central finite differences in double precision, compared component by component with a hand-derived gradient.
 *
 * <p>For each component {@code θ_i} of an argument array it evaluates {@code (L(θ + h e_i) − L(θ − h e_i)) / 2h} and
 * requires {@code |fd − an| ≤ tol · (|an| + 0.01·‖an‖∞) + 1e-12}: relative for large entries, relative to the
 * gradient's scale for tiny ones (whose finite-difference estimate is dominated by rounding, about
 * {@code ε·|L| / h}).
 *
 * <p><b>Kinks.</b> A relu makes L piecewise smooth. When a component fails and kinks are allowed, the check compares
 * the one-sided differences: if {@code (L(θ+h) − L(θ))/h} and {@code (L(θ) − L(θ−h))/h} disagree by more than the
 * smooth-curvature bound and by more than the error, a kink lies inside {@code [θ−h, θ+h]} and the component is
 * skipped (counted). A wrong gradient at a smooth point cannot pass this way: there the one-sided differences agree to
 * {@code O(h·L'')}. Kinks have measure zero, so at random points skips are rare; more than 1% of the components (and
 * more than 2) skipped fails the check.
 */
public final class GradientCheck {

    /** The loss, evaluated at the current contents of the argument arrays. */
    @FunctionalInterface
    public interface Loss {
        double value();
    }

    /** The outcome of one check: how many components were compared and the largest scaled error. */
    public record Report(String what, int checked, int kinks, double maxError) {
        @Override
        public String toString() {
            return String.format("%s: %d components, max scaled error %.2e%s", what, checked, maxError,
                    kinks > 0 ? ", " + kinks + " skipped at relu kinks" : "");
        }
    }

    private GradientCheck() {
    }

    /**
     * Checks {@code analytic} against central differences of {@code loss} with respect to every entry of {@code arg}
     * (which is perturbed in place and restored).
     *
     * @param context printed on failure: seed, sizes, activation
     */
    public static Report check(String what, double[] arg, double[] analytic, Loss loss, double h, double tol,
                               boolean kinksAllowed, String context) {
        if (arg.length != analytic.length) {
            fail(context + " " + what + ": analytic gradient has " + analytic.length + " entries, argument has "
                    + arg.length);
        }
        double scale = 0.0;
        for (double a : analytic) {
            scale = Math.max(scale, Math.abs(a));
        }
        double l0 = loss.value();
        int kinks = 0;
        double maxError = 0.0;
        for (int i = 0; i < arg.length; i++) {
            double v = arg[i];
            arg[i] = v + h;
            double lp = loss.value();
            arg[i] = v - h;
            double lm = loss.value();
            arg[i] = v;
            double fd = (lp - lm) / (2 * h);
            double an = analytic[i];
            if (!Double.isFinite(an)) {
                fail(context + " " + what + "[" + i + "]: analytic gradient is " + an);
            }
            double denom = Math.abs(an) + 0.01 * scale + 1e-12;
            double err = Math.abs(fd - an) / denom;
            if (err > tol) {
                double fwd = (lp - l0) / h;
                double bwd = (l0 - lm) / h;
                double jump = Math.abs(fwd - bwd);
                boolean kink = kinksAllowed && jump > 1e-3 * (Math.abs(fwd) + Math.abs(bwd)) + 1e-7
                        && Math.abs(fd - an) <= jump;
                if (kink) {
                    kinks++;
                    continue;
                }
                fail(String.format("%s %s[%d]: analytic %.12g, central difference %.12g (h=%.1e), scaled error "
                        + "%.3e > %.1e; one-sided differences %.12g / %.12g", context, what, i, an, fd, h, err, tol,
                        fwd, bwd));
            }
            maxError = Math.max(maxError, err);
        }
        if (kinks > Math.max(2, arg.length / 100)) {
            fail(context + " " + what + ": " + kinks + " of " + arg.length
                    + " components sit at relu kinks; too many to be chance at a random point");
        }
        return new Report(what, arg.length, kinks, maxError);
    }
}

package org.rnnatlas.topology.support;

import java.util.List;
import java.util.Map;
import org.rnnatlas.spi.NetworkDynamics;

/**
 * The settings of the perturbation runs of SPEC §6, each a named option with the SPEC default.
 *
 * @param perturbations  starts per fixed point (option {@code perturbations}, default 100)
 * @param radius         distance r of the starts from the fixed point (option {@code radius}); NaN means
 *                       {@code auto}: {@code radiusFraction} × the network's {@link NetworkDynamics#meanStateNorm()}
 * @param radiusFraction the factor of {@code radius=auto} (option {@code radius-fraction}, default 0.1)
 * @param tolerance      a start has settled when it is within this L2 distance of a stable fixed point of its
 *                       condition (option {@code tolerance}, default 1e-2)
 * @param maxSteps       steps of F(·, x*) before a start counts as settled nowhere (option {@code max-steps},
 *                       default 2,000)
 */
public record TransitionSettings(int perturbations, double radius, double radiusFraction, double tolerance,
                                 int maxSteps) {

    /** The option names, in the order {@link #putOptions} writes them. */
    public static final List<String> KEYS = List.of("perturbations", "radius", "radius-fraction", "tolerance",
            "max-steps");

    /** One line describing the options, for error messages. */
    public static final String HELP = "perturbations (starts per fixed point, 1..100000, default 100), radius (auto or "
            + "a distance > 0; auto = radius-fraction x mean state norm), radius-fraction (> 0, default 0.1), "
            + "tolerance (settling distance > 0, default 0.01), max-steps (1..10000000, default 2000)";

    /** SPEC §6 defaults. */
    public static final TransitionSettings DEFAULTS = new TransitionSettings(100, Double.NaN, 0.1, 1e-2, 2_000);

    /** This record with one option set; {@code metric} names the caller in error messages. */
    public TransitionSettings with(String metric, String key, String value) {
        return switch (key) {
            case "perturbations" -> new TransitionSettings(Options.integer(metric, key, value, 1, 100_000), radius,
                    radiusFraction, tolerance, maxSteps);
            case "radius" -> new TransitionSettings(perturbations,
                    "auto".equals(value == null ? null : value.strip()) ? Double.NaN
                            : Options.positive(metric, key, value, false), radiusFraction, tolerance, maxSteps);
            case "radius-fraction" -> new TransitionSettings(perturbations, radius,
                    Options.positive(metric, key, value, false), tolerance, maxSteps);
            case "tolerance" -> new TransitionSettings(perturbations, radius, radiusFraction,
                    Options.positive(metric, key, value, false), maxSteps);
            case "max-steps" -> new TransitionSettings(perturbations, radius, radiusFraction, tolerance,
                    Options.integer(metric, key, value, 1, 10_000_000));
            default -> throw new IllegalArgumentException("Topology metric '" + metric + "' has no option '" + key
                    + "'. Allowed: " + HELP);
        };
    }

    /** Writes this record's options (all of them, defaults included) into {@code out}. */
    public void putOptions(Map<String, String> out) {
        out.put("perturbations", Integer.toString(perturbations));
        out.put("radius", Double.isNaN(radius) ? "auto" : Double.toString(radius));
        out.put("radius-fraction", Double.toString(radiusFraction));
        out.put("tolerance", Double.toString(tolerance));
        out.put("max-steps", Integer.toString(maxSteps));
    }

    /** The radius r for one network: the fixed radius, or {@code radiusFraction · meanStateNorm} for auto. */
    public double radiusFor(NetworkDynamics network) {
        if (!Double.isNaN(radius)) {
            return radius;
        }
        double norm = network.meanStateNorm();
        if (!(norm > 0.0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("radius=auto needs a finite mean state norm > 0, but the network reports "
                    + norm + "; set the option radius to a distance > 0");
        }
        return radiusFraction * norm;
    }
}

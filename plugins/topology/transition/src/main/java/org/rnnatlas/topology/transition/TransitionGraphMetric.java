package org.rnnatlas.topology.transition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.topology.support.FixedPointOrder;
import org.rnnatlas.topology.support.Matrices;
import org.rnnatlas.topology.support.Options;
import org.rnnatlas.topology.support.TransitionSettings;
import org.rnnatlas.topology.support.Transitions;

/**
 * The flip-flop fixed-point transition graph (SPEC §6; the paper's Fig. 1e–f).
 *
 * <p><b>Order.</b> All fixed points of the network, stable and unstable, sorted lexicographically by their readout
 * y* = W_out h* + b_out, each component rounded to 2 decimals, ties by |λ|max ascending (see
 * {@link FixedPointOrder}); this order is what makes two networks' matrices comparable entry by entry (the paper's
 * footnote 5). The columns are the stable points in the same order, plus one.
 *
 * <p><b>Transitions.</b> From each fixed point i, B starts s*ᵢ + r·g/‖g‖ with g ~ Normal(0, I) are iterated under
 * F(·, x*) (one {@link NetworkDynamics#stepBatch} batch per point) until they come within the tolerance ε of a stable
 * fixed point j of the same condition or T steps pass:
 * <pre>
 *   P[i][j] = #{starts from i settled at stable point j} / B ,   P[i][J] = #{settled nowhere} / B ,
 * </pre>
 * so each row sums to 1. Defaults (SPEC §6): B = 100 ({@code perturbations}), r = 0.1 × the network's mean state
 * norm along its probe trajectories ({@code radius=auto}, {@code radius-fraction=0.1}; or {@code radius} = a fixed
 * distance), ε = 1e-2 ({@code tolerance}), T = 2,000 ({@code max-steps}). Random directions are drawn from the
 * generator in a fixed order, fixed points in matrix order, starts in order, components in state order (see
 * {@link Transitions}), so a seed fixes the matrix. A stable point's row is [.., 1 at its own column, ..] because its
 * starts lie within r of it and, r being small against the basin, F carries them back; nothing forces this — it is
 * what the iteration gives, and a row that is not 1 on the diagonal tells that r reaches outside the basin.
 *
 * <p><b>Rows and labels.</b> rows = fixed points, cols = stable points + 1; row label = rounded readout and number of
 * unstable dimensions, e.g. {@code "y=[1.00, -1.00, 1.00] unstable=0"}.
 *
 * <p><b>Distance.</b> ‖P_a − P_b‖_F when both matrices have the same shape, NaN otherwise (the paper compares only
 * networks with the modal fixed-point count; the {@code matched} metric handles the rest).
 */
public final class TransitionGraphMetric implements TopologyMetric {

    private static final String NAME = "transition";
    private final TransitionSettings settings;

    /** Does no work; SPEC defaults. */
    public TransitionGraphMetric() {
        this(TransitionSettings.DEFAULTS);
    }

    private TransitionGraphMetric(TransitionSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Flip-flop transition graph: probability that perturbations of each fixed point settle at each stable point";
    }

    @Override
    public boolean appliesTo(String taskName) {
        return "flipflop".equals(taskName);
    }

    @Override
    public Topology topology(NetworkDynamics network, RandomGenerator rng) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(rng, "rng");
        List<FixedPoint> ordered = FixedPointOrder.sorted(network.fixedPoints());
        List<FixedPoint> stable = Transitions.stable(ordered);
        double[] p = Transitions.matrix(network, ordered, stable, settings, rng);
        List<String> labels = new ArrayList<>(ordered.size());
        for (FixedPoint fp : ordered) {
            labels.add(FixedPointOrder.label(fp, network.task()));
        }
        List<String> columns = new ArrayList<>(stable.size() + 1);
        for (FixedPoint fp : stable) {
            columns.add(FixedPointOrder.label(fp, network.task()));
        }
        columns.add("nowhere");
        return new Topology(ordered.size(), stable.size() + 1, p, labels, columns);
    }

    @Override
    public double distance(Topology a, Topology b) {
        return Matrices.frobenius(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        settings.putOptions(out);
        return out;
    }

    @Override
    public TransitionGraphMetric configure(Map<String, String> options) {
        Options.checkKeys(NAME, options, TransitionSettings.KEYS, TransitionSettings.HELP);
        TransitionSettings s = settings;
        for (Map.Entry<String, String> e : options.entrySet()) {
            s = s.with(NAME, e.getKey(), e.getValue());
        }
        return new TransitionGraphMetric(s);
    }

    @Override
    public String toString() {
        return NAME + options();
    }
}

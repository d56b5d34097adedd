package org.rnnatlas.topology.matched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.topology.support.Assignment;
import org.rnnatlas.topology.support.FixedPointOrder;
import org.rnnatlas.topology.support.Options;
import org.rnnatlas.topology.support.PointSelection;
import org.rnnatlas.topology.support.TransitionSettings;
import org.rnnatlas.topology.support.Transitions;

/**
 * A fixed-point topology distance that is defined when two networks have different numbers of fixed points: optimal
 * matching of their fixed points by condition, readout, stability and (flip-flop) transition targets. <b>Beyond the
 * paper</b> (SPEC §6): the paper's Frobenius distance needs equal counts and drops networks off the modal count; this
 * metric keeps them, and is meant to be reported next to the paper's.
 *
 * <p><b>Points.</b> Flip-flop and sine: every fixed point the finder reports. CDI: per context the m = 20
 * ({@code cdi-points}) readout-quantile points of the line attractor ({@link PointSelection#quantiles}), since the
 * number of points found along a continuous attractor is an artefact of the finder's candidates, not of the network.
 *
 * <p><b>Feature row</b> of point i (one row of the topology, in {@link FixedPointOrder}):
 * <pre>
 *   [ cᵢ , uᵢ , K , y*ᵢ₁ … y*ᵢK , hᵢ₀ … hᵢ_{B−1} ]      (cols = 3 + K + B)
 * </pre>
 * cᵢ = condition index; uᵢ = number of unstable dimensions (+ ½ for a marginal point, |λ|max = 1 with none above);
 * K = readout width (the same in every row; it tells the distance where the readout ends); y*ᵢ = readout. For the
 * flip-flop ({@code transitions=auto}) hᵢ is the point's transition row (SPEC §6, computed exactly as the
 * {@code transition} metric does, same options) summarised so that it is comparable across networks: the probability
 * mass is pooled by the <em>readout orthant</em> of the target stable point,
 * <pre>
 *   hᵢ[o] = Σ_{stable j : orthant(y*ⱼ) = o} P[i][j] ,  orthant(y) = Σₖ [yₖ &lt; 0]·2ᵏ ,  o = 0 … 2^K − 1 ,
 *   hᵢ[2^K] = P[i][settled nowhere] ,   B = 2^K + 1 .
 * </pre>
 * Why orthants: a flip-flop's stable points are its memories, one per sign pattern of the three outputs; pooling by
 * sign pattern makes "this saddle sends its perturbations to memories +−+ and +++" comparable whatever the count and
 * order of stable points in either network (two stable points in one orthant pool together). For sine and CDI (and
 * with {@code transitions=off}) B = 0.
 *
 * <p><b>Pair cost</b> between point i of network a and point j of network b:
 * <pre>
 *   C[i][j] = min( 2p ,  ‖y*ᵢ − y*ⱼ‖₂ / σ  +  w_s·|uᵢ − uⱼ|  +  w_t·½‖hᵢ − hⱼ‖₁ )   if cᵢ = cⱼ ,   2p otherwise ,
 * </pre>
 * with p the penalty of an unmatched point ({@code penalty}, default 1), σ the readout scale ({@code readout-scale},
 * default 1 output unit), w_s ({@code stability-weight}, default 0.5) and w_t ({@code transition-weight}, default
 * 0.5). ½‖hᵢ − hⱼ‖₁ is the total-variation distance of the two target distributions, in [0, 1]. Defaults: with
 * flip-flop outputs ±1, a readout error of one unit (half a bit's swing) costs as much as a missing point; a stable
 * point matched to a 1-saddle at the same readout costs half a missing point, and so do entirely different transition
 * targets. Points of different conditions never correspond.
 *
 * <p><b>Distance.</b> Every point is either matched to one point of the other network or left unmatched at cost p:
 * <pre>
 *   D(a, b) = min_M [ Σ_{(i,j) ∈ M} C[i][j] + p·(n_a + n_b − 2|M|) ] / ( p·(n_a + n_b) )   ∈ [0, 1] ,
 * </pre>
 * and D = 0 when both networks have no points. Because every C[i][j] ≤ 2p — exactly the cost of leaving both i and j
 * unmatched — an optimal M can always be completed to match all min(n_a, n_b) points of the smaller set without
 * raising the cost, so D is computed as one rectangular assignment of the smaller set into the larger (the dummy
 * columns of the usual square padding add nothing here), solved by the Hungarian method in O(n³)
 * ({@link Assignment}). The normalisation divides by the cost of matching nothing, so D = 0 for identical topologies,
 * D = 1 when nothing corresponds better than not at all, and D is comparable across pairs of different sizes (it is
 * the mean cost per point in units of p). D is symmetric (the assignment problem transposed has the same optimum;
 * the pair is put in a canonical order so that both orders compute the same sums bit for bit). D is NaN when the two
 * rows are not of one layout (different readout widths or one with transition summaries and one without: networks
 * of different tasks or options). D is not guaranteed to satisfy the triangle inequality (the cap at 2p can break it);
 * MDS of D is still meaningful as an embedding of dissimilarities.
 */
public final class MatchedTopologyMetric implements TopologyMetric {

    private static final String NAME = "matched";
    private static final List<String> OWN_KEYS = List.of("penalty", "readout-scale", "stability-weight",
            "transition-weight", "cdi-points", "transitions");
    private static final String HELP = "penalty (cost of an unmatched point, > 0, default 1), readout-scale (> 0, "
            + "default 1), stability-weight (>= 0, default 0.5), transition-weight (>= 0, default 0.5), cdi-points "
            + "(2..10000, default 20), transitions (auto = flip-flop only, or off), and for the flip-flop transitions "
            + TransitionSettings.HELP;
    /** The widest readout whose orthant histogram is built (2^K + 1 bins). */
    private static final int MAX_ORTHANT_BITS = 12;

    private final double penalty;
    private final double readoutScale;
    private final double stabilityWeight;
    private final double transitionWeight;
    private final int cdiPoints;
    private final boolean transitions;
    private final TransitionSettings settings;

    /** Does no work; the defaults of the class comment. */
    public MatchedTopologyMetric() {
        this(1.0, 1.0, 0.5, 0.5, 20, true, TransitionSettings.DEFAULTS);
    }

    private MatchedTopologyMetric(double penalty, double readoutScale, double stabilityWeight, double transitionWeight,
                                  int cdiPoints, boolean transitions, TransitionSettings settings) {
        this.penalty = penalty;
        this.readoutScale = readoutScale;
        this.stabilityWeight = stabilityWeight;
        this.transitionWeight = transitionWeight;
        this.cdiPoints = cdiPoints;
        this.transitions = transitions;
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Optimal matching of fixed points by readout, stability and transitions; defined for differing counts";
    }

    @Override
    public boolean appliesTo(String taskName) {
        return "flipflop".equals(taskName) || "sine".equals(taskName) || "cdi".equals(taskName);
    }

    @Override
    public Topology topology(NetworkDynamics network, RandomGenerator rng) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(rng, "rng");
        String task = network.task().name();
        int conditions = network.task().conditions().size();
        List<FixedPoint> points;
        if ("cdi".equals(task)) {
            List<List<FixedPoint>> byContext = new ArrayList<>();
            for (int c = 0; c < conditions; c++) {
                byContext.add(new ArrayList<>());
            }
            for (FixedPoint p : network.fixedPoints()) {
                FixedPointOrder.checkCondition(p, conditions);
                byContext.get(p.condition()).add(p);
            }
            points = new ArrayList<>();
            for (List<FixedPoint> ctx : byContext) {
                points.addAll(PointSelection.quantiles(ctx, cdiPoints));
            }
            points = FixedPointOrder.sorted(points);
        } else {
            points = FixedPointOrder.sorted(network.fixedPoints());
        }
        int k = network.task().shape().outputs();
        boolean withTransitions = transitions && "flipflop".equals(task);
        if (withTransitions && k > MAX_ORTHANT_BITS) {
            throw new IllegalArgumentException("matched: orthant summaries need a readout of at most "
                    + MAX_ORTHANT_BITS + " outputs, the task has " + k + "; use transitions=off");
        }
        int bins = withTransitions ? (1 << k) + 1 : 0;
        int cols = 3 + k + bins;
        double[] v = new double[points.size() * cols];
        List<String> labels = new ArrayList<>(points.size());
        double[] p = null;
        List<FixedPoint> stable = List.of();
        if (withTransitions) {
            stable = Transitions.stable(points);
            p = Transitions.matrix(network, points, stable, settings, rng);
        }
        int[] orthant = new int[stable.size()];
        for (int j = 0; j < orthant.length; j++) {
            double[] y = stable.get(j).readout();
            for (int b = 0; b < k; b++) {
                orthant[j] |= y[b] < 0.0 ? 1 << b : 0;
            }
        }
        for (int i = 0; i < points.size(); i++) {
            FixedPoint fp = points.get(i);
            if (fp.readout().length != k) {
                throw new IllegalArgumentException("fixed point readout has " + fp.readout().length
                        + " values but the task has K = " + k + " outputs");
            }
            int row = i * cols;
            v[row] = fp.condition();
            v[row + 1] = fp.unstableDims() + (!fp.stable() && fp.unstableDims() == 0 ? 0.5 : 0.0);
            v[row + 2] = k;
            System.arraycopy(fp.readout(), 0, v, row + 3, k);
            if (withTransitions) {
                int h = row + 3 + k;
                int pc = stable.size() + 1;
                for (int j = 0; j < stable.size(); j++) {
                    v[h + orthant[j]] += p[i * pc + j];
                }
                v[h + bins - 1] = p[i * pc + pc - 1];
            }
            labels.add(FixedPointOrder.label(fp, network.task()));
        }
        return new Topology(points.size(), cols, v, labels);
    }

    @Override
    public double distance(Topology a, Topology b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.cols() != b.cols() || a.cols() < 3) {
            return Double.NaN;
        }
        if (a.rows() == 0 && b.rows() == 0) {
            return 0.0;
        }
        int ka = readoutWidth(a);
        int kb = readoutWidth(b);
        if (ka == -1 || kb == -1 || (ka >= 0 && kb >= 0 && ka != kb)) {
            return Double.NaN;
        }
        int k = Math.max(ka, kb); // an empty topology (-2) takes the other's layout
        // canonical order: both argument orders run the same arithmetic, so D(a, b) == D(b, a) bit for bit
        if (canonical(a, b) > 0) {
            Topology t = a;
            a = b;
            b = t;
        }
        boolean flip = a.rows() > b.rows();
        Topology small = flip ? b : a;
        Topology large = flip ? a : b;
        int ns = small.rows();
        int nl = large.rows();
        double[] cost = new double[ns * nl];
        for (int i = 0; i < ns; i++) {
            for (int j = 0; j < nl; j++) {
                cost[i * nl + j] = pairCost(small, i, large, j, k);
            }
        }
        int[] match = Assignment.solve(ns, nl, cost);
        double total = Assignment.cost(nl, cost, match) + penalty * (nl - ns);
        return total / (penalty * (ns + nl));
    }

    /** K from the rows' layout column (every row carries it), or −1 when rows disagree or it does not fit. */
    private static int readoutWidth(Topology t) {
        if (t.rows() == 0) {
            return -2; // an empty topology fits any layout with as many columns
        }
        double[] v = t.values();
        double k = v[2];
        for (int i = 1; i < t.rows(); i++) {
            if (v[i * t.cols() + 2] != k) {
                return -1;
            }
        }
        int bins = t.cols() - 3 - (int) k;
        boolean ok = k == Math.rint(k) && k >= 1 && bins >= 0 && (bins == 0 || (k <= MAX_ORTHANT_BITS
                && bins == (1 << (int) k) + 1));
        return ok ? (int) k : -1;
    }

    private double pairCost(Topology a, int i, Topology b, int j, int k) {
        double[] va = a.values();
        double[] vb = b.values();
        int ra = i * a.cols();
        int rb = j * b.cols();
        double cap = 2.0 * penalty;
        if (va[ra] != vb[rb]) {
            return cap; // different conditions never correspond
        }
        double y2 = 0.0;
        for (int c = 3; c < 3 + k; c++) {
            double d = va[ra + c] - vb[rb + c];
            y2 += d * d;
        }
        double tv = 0.0;
        for (int c = 3 + k; c < a.cols(); c++) {
            tv += Math.abs(va[ra + c] - vb[rb + c]);
        }
        double c = Math.sqrt(y2) / readoutScale + stabilityWeight * Math.abs(va[ra + 1] - vb[rb + 1])
                + transitionWeight * 0.5 * tv;
        return Math.min(cap, c);
    }

    private static int canonical(Topology a, Topology b) {
        int c = Integer.compare(a.rows(), b.rows());
        return c != 0 ? c : Arrays.compare(a.values(), b.values());
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("penalty", Double.toString(penalty));
        out.put("readout-scale", Double.toString(readoutScale));
        out.put("stability-weight", Double.toString(stabilityWeight));
        out.put("transition-weight", Double.toString(transitionWeight));
        out.put("cdi-points", Integer.toString(cdiPoints));
        out.put("transitions", transitions ? "auto" : "off");
        settings.putOptions(out);
        return out;
    }

    @Override
    public MatchedTopologyMetric configure(Map<String, String> options) {
        List<String> keys = new ArrayList<>(OWN_KEYS);
        keys.addAll(TransitionSettings.KEYS);
        Options.checkKeys(NAME, options, keys, HELP);
        double p = penalty;
        double s = readoutScale;
        double ws = stabilityWeight;
        double wt = transitionWeight;
        int m = cdiPoints;
        boolean tr = transitions;
        TransitionSettings ts = settings;
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey();
            String val = e.getValue();
            switch (key) {
                case "penalty" -> p = Options.positive(NAME, key, val, false);
                case "readout-scale" -> s = Options.positive(NAME, key, val, false);
                case "stability-weight" -> ws = Options.positive(NAME, key, val, true);
                case "transition-weight" -> wt = Options.positive(NAME, key, val, true);
                case "cdi-points" -> m = Options.integer(NAME, key, val, 2, 10_000);
                case "transitions" -> {
                    String t = val == null ? "" : val.strip();
                    if (!t.equals("auto") && !t.equals("off")) {
                        throw new IllegalArgumentException(NAME + " option transitions: '" + val
                                + "' is not allowed; allowed: auto (flip-flop only) or off");
                    }
                    tr = t.equals("auto");
                }
                default -> ts = ts.with(NAME, key, val);
            }
        }
        return new MatchedTopologyMetric(p, s, ws, wt, m, tr, ts);
    }

    @Override
    public String toString() {
        return NAME + options();
    }
}

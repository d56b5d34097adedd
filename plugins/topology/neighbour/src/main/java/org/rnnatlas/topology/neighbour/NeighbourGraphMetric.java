package org.rnnatlas.topology.neighbour;

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
import org.rnnatlas.topology.support.PointSelection;

/**
 * The nearest-neighbour graph of input-dependent fixed points for the sine and CDI tasks (SPEC §6; the paper's
 * Fig. 2e and 3d).
 *
 * <p><b>Points.</b> Sine ({@code "sine"}): one fixed point per condition; the sine task's conditions are its 21 static
 * inputs evenly spaced on [0, 1], taken in order of input; when a condition has several fixed points the one that
 * continues the shortest chain through the neighbouring conditions is used, and a condition without any is skipped
 * ({@link PointSelection#chain}). CDI ({@code "cdi"}): for each context (condition, in index order), the points along
 * the line attractor resampled to m = 20 ({@code points}) by readout quantile — nearest rank round(k(n−1)/(m−1)) of the
 * n points sorted by readout, k = 0..m−1, so both ends are kept; a context with n &lt; m points keeps all n
 * ({@link PointSelection#quantiles}). Order: by input (sine), by context and then readout (CDI).
 *
 * <p><b>Graph.</b> With the points' states s₁…s_n in that order,
 * <pre>
 *   A[i][j] = 1  if j ≠ i is among the k nearest points to i in Euclidean state distance ‖sᵢ − sⱼ‖₂ ,  else 0 ,
 * </pre>
 * with k = 2 ({@code neighbours}); ties go to the lower index. The relation is directed (A need not be symmetric).
 * For sine all 21 points form one graph; for CDI each context is its own graph (the paper: "a graph for each line
 * attractor in each context"), so A is block-diagonal and neighbours are only sought within a context. A row label is
 * the rounded readout, unstable dimensions and condition label ({@link FixedPointOrder#label}). A straight or gently
 * curved line gives the "path" graph: interior points linked to their two neighbours in order, the ends to the next
 * two; folds, gaps and spurious points show up as other links.
 *
 * <p><b>Distance.</b> ‖A_a − A_b‖_F when the matrices have the same shape (the same number of points), NaN otherwise,
 * as the paper excludes networks with a different fixed-point count.
 */
public final class NeighbourGraphMetric implements TopologyMetric {

    private static final String NAME = "neighbour";
    private static final String HELP = "points (CDI points per context by readout quantile, 2..10000, default 20), "
            + "neighbours (nearest neighbours per point, 1..100, default 2)";
    private final int points;
    private final int neighbours;

    /** Does no work; SPEC defaults (20 CDI points per context, 2 neighbours). */
    public NeighbourGraphMetric() {
        this(20, 2);
    }

    private NeighbourGraphMetric(int points, int neighbours) {
        this.points = points;
        this.neighbours = neighbours;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Nearest-neighbour graph of input-dependent fixed points (sine: one per input; CDI: 20 per context by readout)";
    }

    @Override
    public boolean appliesTo(String taskName) {
        return "sine".equals(taskName) || "cdi".equals(taskName);
    }

    @Override
    public Topology topology(NetworkDynamics network, RandomGenerator rng) {
        Objects.requireNonNull(network, "network");
        String task = network.task().name();
        List<FixedPoint> all = network.fixedPoints();
        int conditions = network.task().conditions().size();
        List<List<FixedPoint>> groups = new ArrayList<>();
        if ("sine".equals(task)) {
            groups.add(PointSelection.chain(all, PointSelection.conditionsByInput(network.task().conditions())));
        } else if ("cdi".equals(task)) {
            List<List<FixedPoint>> byContext = new ArrayList<>();
            for (int c = 0; c < conditions; c++) {
                byContext.add(new ArrayList<>());
            }
            for (FixedPoint p : all) {
                FixedPointOrder.checkCondition(p, conditions);
                byContext.get(p.condition()).add(p);
            }
            for (List<FixedPoint> ctx : byContext) {
                groups.add(PointSelection.quantiles(ctx, points));
            }
        } else {
            throw new IllegalArgumentException("Topology metric '" + NAME + "' is defined for the tasks sine and cdi, "
                    + "not '" + task + "'");
        }
        int n = 0;
        for (List<FixedPoint> g : groups) {
            n += g.size();
        }
        double[] a = new double[n * n];
        List<String> labels = new ArrayList<>(n);
        int base = 0;
        for (List<FixedPoint> g : groups) {
            link(g, base, n, a);
            for (FixedPoint p : g) {
                labels.add(FixedPointOrder.label(p, network.task()));
            }
            base += g.size();
        }
        return new Topology(n, n, a, labels);
    }

    /** Sets A[base+i][base+j] = 1 for the {@link #neighbours} nearest j of each i within one group. */
    private void link(List<FixedPoint> g, int base, int n, double[] a) {
        int m = g.size();
        int k = Math.min(neighbours, m - 1);
        double[] d = new double[m];
        boolean[] taken = new boolean[m];
        for (int i = 0; i < m; i++) {
            double[] si = g.get(i).state();
            for (int j = 0; j < m; j++) {
                d[j] = PointSelection.dist(si, g.get(j).state());
                taken[j] = j == i;
            }
            // k rounds of "smallest remaining distance, lowest index on ties": k is 2, so no sort is needed
            for (int r = 0; r < k; r++) {
                int best = -1;
                for (int j = 0; j < m; j++) {
                    if (!taken[j] && (best < 0 || d[j] < d[best])) {
                        best = j;
                    }
                }
                taken[best] = true;
                a[(base + i) * n + base + best] = 1.0;
            }
        }
    }

    @Override
    public double distance(Topology a, Topology b) {
        return Matrices.frobenius(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("points", Integer.toString(points));
        out.put("neighbours", Integer.toString(neighbours));
        return out;
    }

    @Override
    public NeighbourGraphMetric configure(Map<String, String> options) {
        Options.checkKeys(NAME, options, List.of("points", "neighbours"), HELP);
        int p = points;
        int k = neighbours;
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey().equals("points")) {
                p = Options.integer(NAME, e.getKey(), e.getValue(), 2, 10_000);
            } else {
                k = Options.integer(NAME, e.getKey(), e.getValue(), 1, 100);
            }
        }
        return new NeighbourGraphMetric(p, k);
    }

    @Override
    public String toString() {
        return NAME + options();
    }
}

package org.rnnatlas.core.dynamics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.Trials;

/**
 * The task-specific linearised analyses of SPEC §7, chosen by task name, written as {@code linear.json}
 * (format {@value #FORMAT}):
 *
 * <ul>
 *   <li>{@code sine}: per condition input x, the linear frequency f = |arg λ|/2π of the dominant complex pair at the
 *   condition's fixed point ({@link SineFrequency}) against the command frequency ω = 0.04x + 0.01, and the mean
 *   absolute error. When a condition has several fixed points, the one nearest the centre of the network's probe
 *   orbit for that input is used (the probe trial whose {@code input} attribute is nearest x; the centre is the mean
 *   of its states), since the oscillation the task asks for circles that point; without an {@code input} attribute,
 *   the lowest-q point.</li>
 *   <li>{@code cdi}: per context, at each of the context's fixed points near the states the network visits on that
 *   context's probe trials (within {@link NetworkAnalysis.Options#cdiNearProbe} times their spread, default
 *   {@value #DEFAULT_CDI_NEAR_PROBE}, recorded as {@code near_probe_factor}; the others are counted), the sorted
 *   eigenvalue moduli and the
 *   mode-ablation curve of the readout's response to a unit pulse on the cued stream after T steps
 *   ({@link CdiModes}), plus their means over the context's points and the median of the full-system responses
 *   (robust to the odd point off the line).</li>
 * </ul>
 * Other tasks have no linearised analysis ({@code null}).
 */
public final class LinearAnalyses {
    public static final String FORMAT = "rnnatlas.linear/1";

    private LinearAnalyses() {
    }

    /** The {@code linear.json} content for one analysed network, or null when its task has no linearised analysis. */
    public static Map<String, Object> of(StoredNetwork net, Task task, NetworkAnalysis.Result result) {
        return switch (task.name()) {
            case "sine" -> sine(net, task, result);
            case "cdi" -> cdi(net, task, result);
            default -> null;
        };
    }

    private static Map<String, Object> sine(StoredNetwork net, Task task, NetworkAnalysis.Result result) {
        List<Condition> conditions = task.conditions();
        Trials probe = task.probe();
        double[] inputs = probe.attributes().get("input");
        int s = net.model().stateSize();
        List<Linearisation> lins = new ArrayList<>();
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < conditions.size(); c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < result.fixedPoints().size(); i++) {
                if (result.fixedPoints().get(i).condition() == c) {
                    idx.add(i);
                }
            }
            if (idx.isEmpty()) {
                lins.add(null);
                chosen.add(-1);
                continue;
            }
            int pick = idx.get(0); // lowest q: the finder's order
            if (inputs != null && idx.size() > 1 && conditions.get(c).input().length == 1) {
                double[] centre = orbitCentre(net, probe, inputs, conditions.get(c).input()[0], s);
                double best = Double.POSITIVE_INFINITY;
                for (int i : idx) {
                    double d = distance(result.fixedPoints().get(i).state(), centre);
                    if (d < best) {
                        best = d;
                        pick = i;
                    }
                }
            }
            FixedPoint p = result.fixedPoints().get(pick);
            lins.add(Linearisation.at(net.cell(), net.spec(), net.params(), p.state(), conditions.get(c).input()));
            chosen.add(pick);
        }
        SineFrequency.Summary sum = SineFrequency.summarise(conditions, lins);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("analysis", "sine-frequency");
        m.put("id", net.id());
        m.put("units", "cycles per step");
        m.put("mean_absolute_error", sum.meanAbsoluteError());
        m.put("missing", sum.missing());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c = 0; c < conditions.size(); c++) {
            SineFrequency.ConditionFrequency f = sum.conditions().get(c);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("condition", c);
            r.put("label", conditions.get(c).label());
            r.put("input", f.input());
            r.put("command_frequency", f.command());
            r.put("linear_frequency", f.linear());
            r.put("modulus", f.modulus());
            r.put("has_complex_pair", f.hasPair());
            r.put("fixed_point_row", chosen.get(c));
            rows.add(r);
        }
        m.put("conditions", rows);
        return m;
    }

    /** Mean state of the probe trial whose input is nearest {@code x}; probe states are trials × T × S. */
    static double[] orbitCentre(StoredNetwork net, Trials probe, double[] inputs, double x, int s) {
        int best = 0;
        for (int t = 1; t < inputs.length; t++) {
            if (Math.abs(inputs[t] - x) < Math.abs(inputs[best] - x)) {
                best = t;
            }
        }
        int steps = probe.steps();
        double[] centre = new double[s];
        double[] states = net.probeStates();
        for (int k = 0; k < steps; k++) {
            int off = (best * steps + k) * s;
            for (int d = 0; d < s; d++) {
                centre[d] += states[off + d] / steps;
            }
        }
        return centre;
    }

    private static double distance(double[] a, double[] b) {
        double acc = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - b[i];
            acc += e * e;
        }
        return Math.sqrt(acc);
    }

    /**
     * Default of {@link NetworkAnalysis.Options#cdiNearProbe}. CDI: a fixed point counts as on the line the network
     * uses when its distance to the nearest probe state of its context is at most this multiple of those states' mean
     * distance to their centroid (their spread). The probe states are driven by the streams, so the zero-input line
     * sits somewhat off them: on trained 64-unit networks its points lay 0.04–0.3 spreads away (vanilla), 0.2–5
     * (LSTM); 3 keeps nearly all of them. Trained GRU and UGRNN networks also have hundreds of fixed points 7–20
     * spreads away, where saturated update gates shut the input out and the linear response to the cued stream is near
     * 0; they say nothing about how the network integrates, and 3 leaves them out with a wide margin. All points stay
     * in fixed_points.npy; the rule selects the ones the CDI analysis and the topology metrics use.
     */
    public static final double DEFAULT_CDI_NEAR_PROBE = 3.0;

    /**
     * For each of {@code points}, whether it lies within {@code factor} probe spreads of its context's probe states
     * (see {@link #DEFAULT_CDI_NEAR_PROBE}). Contexts are the probe trials' {@code context} attribute; without one,
     * every probe state counts for every condition.
     */
    static boolean[] nearProbe(StoredNetwork net, Task task, List<FixedPoint> points, double factor) {
        Trials probe = task.probe();
        double[] probeContext = probe.attributes().get("context");
        int conditions = task.conditions().size();
        double[][] visited = new double[conditions][];
        double[] spread = new double[conditions];
        boolean[] near = new boolean[points.size()];
        for (int i = 0; i < points.size(); i++) {
            int c = points.get(i).condition();
            if (visited[c] == null) {
                visited[c] = contextStates(net, probe, probeContext, c);
                spread[c] = spread(visited[c], net.model().stateSize());
            }
            near[i] = nearest(visited[c], points.get(i).state()) <= factor * spread[c];
        }
        return near;
    }

    private static Map<String, Object> cdi(StoredNetwork net, Task task, NetworkAnalysis.Result result) {
        List<Condition> conditions = task.conditions();
        int steps = task.shape().steps();
        Trials probe = task.probe();
        double[] probeContext = probe.attributes().get("context");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("analysis", "cdi-modes");
        m.put("id", net.id());
        m.put("steps", steps);
        m.put("near_probe_factor", result.cdiNearProbe());
        boolean[] near = nearProbe(net, task, result.fixedPoints(), result.cdiNearProbe());
        List<Map<String, Object>> contexts = new ArrayList<>();
        for (int c = 0; c < conditions.size(); c++) {
            double[] x = conditions.get(c).input();
            List<double[]> spectra = new ArrayList<>();
            List<Linearisation> lins = new ArrayList<>();
            List<CdiModes.Ablation> ablations = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            List<Double> full = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            double[] visited = contextStates(net, probe, probeContext, c);
            double spread = spread(visited, net.model().stateSize());
            int far = 0;
            for (int i = 0; i < result.fixedPoints().size(); i++) {
                FixedPoint p = result.fixedPoints().get(i);
                if (p.condition() != c) {
                    continue;
                }
                if (!near[i]) {
                    far++;
                    continue;
                }
                Linearisation lin = Linearisation.at(net.cell(), net.spec(), net.params(), p.state(), x);
                lins.add(lin);
                spectra.add(CdiModes.spectrum(lin));
                CdiModes.Ablation a = CdiModes.at(net.cell(), net.spec(), net.params(), net.model().outputs(),
                        p.state(), x, steps, lin);
                ablations.add(a);
                rows.add(i);
                full.add(a.full());
                direct.add(a.direct());
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("condition", c);
            r.put("label", conditions.get(c).label());
            r.put("cued_stream", CdiModes.cuedStream(x));
            r.put("fixed_points", rows.size());
            r.put("fixed_points_far_from_probe", far);
            r.put("probe_spread", spread);
            r.put("fixed_point_rows", rows);
            r.put("mean_spectrum", rows.isEmpty() ? List.of() : CdiModes.meanSpectrum(lins));
            r.put("mean_ablation", rows.isEmpty() ? List.of() : CdiModes.meanResponse(ablations));
            r.put("median_ablation", medianCurve(ablations));
            r.put("full_response", full);
            r.put("median_full_response", median(full));
            r.put("direct_response", direct);
            r.put("top_modulus", spectra.stream().mapToDouble(v -> v.length == 0 ? Double.NaN : v[0]).toArray());
            contexts.add(r);
        }
        m.put("contexts", contexts);
        return m;
    }

    /** The median, robust to the few points off the line attractor; NaN for none. */
    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
    }

    /** The probe states of context c's trials (all trials when the probe has no context attribute), row-major. */
    private static double[] contextStates(StoredNetwork net, Trials probe, double[] context, int c) {
        int s = net.model().stateSize();
        int steps = probe.steps();
        double[] all = net.probeStates();
        int trials = probe.count();
        int keep = 0;
        for (int t = 0; t < trials; t++) {
            if (context == null || context[t] == c) {
                keep++;
            }
        }
        double[] out = new double[keep * steps * s];
        int o = 0;
        for (int t = 0; t < trials; t++) {
            if (context == null || context[t] == c) {
                System.arraycopy(all, t * steps * s, out, o, steps * s);
                o += steps * s;
            }
        }
        return out;
    }

    /** Mean distance of the states to their centroid. */
    private static double spread(double[] states, int s) {
        int n = states.length / s;
        if (n == 0) {
            return 0;
        }
        double[] centre = new double[s];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < s; d++) {
                centre[d] += states[i * s + d] / n;
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int d = 0; d < s; d++) {
                double e = states[i * s + d] - centre[d];
                acc += e * e;
            }
            sum += Math.sqrt(acc);
        }
        return sum / n;
    }

    /** Distance from {@code p} to the nearest of {@code states}. */
    private static double nearest(double[] states, double[] p) {
        int s = p.length;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < states.length / s; i++) {
            double acc = 0;
            for (int d = 0; d < s && acc < best; d++) {
                double e = states[i * s + d] - p[d];
                acc += e * e;
            }
            best = Math.min(best, acc);
        }
        return Math.sqrt(best);
    }

    /** Element-wise median of the points' ablation curves: robust to a point off the line with a huge response. */
    private static double[] medianCurve(List<CdiModes.Ablation> ablations) {
        if (ablations.isEmpty()) {
            return new double[0];
        }
        int len = ablations.get(0).response().length;
        double[] out = new double[len];
        List<Double> column = new ArrayList<>(ablations.size());
        for (int k = 0; k < len; k++) {
            column.clear();
            for (CdiModes.Ablation a : ablations) {
                column.add(a.response()[k]);
            }
            out[k] = median(column);
        }
        return out;
    }
}

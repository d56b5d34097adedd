package org.rnnatlas.core.dynamics;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.TopologyMetric;

/**
 * Where and how {@code rnnatlas dynamics} stores its results (public API, documented in {@code docs/store.md}):
 *
 * <pre>
 * STORE/dynamics/&lt;task&gt;/&lt;trained|untrained&gt;/&lt;id&gt;/
 *   fixed_points.npy      fixed points, P × S, float64 (condition order, then increasing q)
 *   slow_points.npy       slow points, Q × S, float64
 *   fixed_points.json     per point: kind, condition, q, readout, eigenvalues, stability (format rnnatlas.fixedpoints/1)
 *   topology_&lt;m&gt;.npy      each applicable topology metric's matrix, float64
 *   linear.json           the task's linearised analysis, when it has one (format rnnatlas.linear/1)
 *   run.json              wall time and thread (not deterministic)
 *   analysis.json         the record, written last: its presence marks the network done (format rnnatlas.dynamics/1)
 * STORE/dynamics/&lt;task&gt;/
 *   topology_&lt;m&gt;[_untrained].npy / .json      distances between networks' topologies (format rnnatlas.distances/1)
 *   topology_&lt;m&gt;[_untrained]_mds.npy / .json  their MDS embedding
 *   summary[_untrained].json                   per network: fixed-point counts by stability
 * </pre>
 */
public final class DynamicsStore {
    public static final String FORMAT = "rnnatlas.dynamics/1";
    public static final String POINTS_FORMAT = "rnnatlas.fixedpoints/1";
    public static final String SUMMARY_FORMAT = "rnnatlas.dynamics-summary/1";
    public static final String ANALYSIS = "analysis.json";

    private final Store store;

    public DynamicsStore(Store store) {
        this.store = store;
    }

    public Store store() {
        return store;
    }

    public Path taskDir(String task) {
        return store.root().resolve("dynamics").resolve(task);
    }

    public Path networkDir(String task, String id, boolean untrained) {
        return taskDir(task).resolve(NetworkAnalysis.stateLabel(untrained)).resolve(id);
    }

    /** The stored record of a finished analysis, if any. */
    public Optional<Map<String, Object>> record(String task, String id, boolean untrained) throws IOException {
        Path f = networkDir(task, id, untrained).resolve(ANALYSIS);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(Json.LENIENT.readValue(Files.readAllBytes(f), new TypeReference<Map<String, Object>>() {
        }));
    }

    /**
     * Writes one network's results; {@code record} (the analysis.json content without the points) last.
     *
     * @param linear the task's linearised analysis, or null
     */
    public void write(NetworkAnalysis.Result r, int stateSize, Map<String, Object> record, Map<String, Object> linear,
                      Map<String, Object> run) throws IOException {
        Path dir = networkDir(r.task(), r.id(), r.untrained());
        Files.createDirectories(dir);
        writePoints(dir.resolve("fixed_points.npy"), r.fixedPoints(), stateSize);
        writePoints(dir.resolve("slow_points.npy"), r.slowPoints(), stateSize);
        Map<String, Object> pts = new LinkedHashMap<>();
        pts.put("format", POINTS_FORMAT);
        pts.put("id", r.id());
        pts.put("state", NetworkAnalysis.stateLabel(r.untrained()));
        pts.put("state_size", stateSize);
        pts.put("fixed_points", describe(r.fixedPoints(), "fixed", "fixed_points.npy", r));
        pts.put("slow_points", describe(r.slowPoints(), "slow", "slow_points.npy", r));
        Json.write(dir.resolve("fixed_points.json"), pts);
        for (var e : r.topologies().entrySet()) {
            TopologyMetric.Topology t = e.getValue();
            Npy.write(dir.resolve(topologyFile(e.getKey())), t.values(), t.rows(), t.cols());
        }
        if (linear != null) {
            Json.write(dir.resolve("linear.json"), linear);
        }
        Json.write(dir.resolve("run.json"), run);
        Json.write(dir.resolve(ANALYSIS), record);
    }

    public static String topologyFile(String metric) {
        return "topology_" + metric + ".npy";
    }

    /** Reads a stored topology matrix with the row labels its analysis.json records. */
    @SuppressWarnings("unchecked")
    public Optional<TopologyMetric.Topology> topology(String task, String id, boolean untrained, String metric)
            throws IOException {
        var rec = record(task, id, untrained);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Object topo = rec.get().get("topology");
        if (!(topo instanceof Map<?, ?> tm) || !(tm.get(metric) instanceof Map<?, ?> info)) {
            return Optional.empty();
        }
        Npy.Array a = Npy.read(networkDir(task, id, untrained).resolve(topologyFile(metric)));
        int[] sh = a.shape();
        List<String> labels = (List<String>) info.get("row_labels");
        List<String> columns = (List<String>) info.get("col_labels");
        return Optional.of(new TopologyMetric.Topology(sh[0], sh[1], a.data(), labels == null ? List.of() : labels,
                columns == null ? List.of() : columns));
    }

    private static void writePoints(Path file, List<FixedPoint> points, int s) throws IOException {
        double[] data = new double[points.size() * s];
        for (int i = 0; i < points.size(); i++) {
            System.arraycopy(points.get(i).state(), 0, data, i * s, s);
        }
        Npy.write(file, data, points.size(), s);
    }

    private static List<Map<String, Object>> describe(List<FixedPoint> points, String kind, String file,
                                                      NetworkAnalysis.Result r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            FixedPoint p = points.get(i);
            Map<String, Object> m = new TreeMap<>();
            m.put("row", i);
            m.put("file", file);
            m.put("kind", kind);
            m.put("condition", p.condition());
            m.put("condition_label", r.conditions().get(p.condition()).label());
            m.put("q", p.q());
            m.put("readout", p.readout());
            m.put("stable", p.stable());
            m.put("unstable_dims", p.unstableDims());
            double radius = p.eigenReal().length == 0 ? 0.0 : Math.hypot(p.eigenReal()[0], p.eigenImag()[0]);
            m.put("spectral_radius", radius);
            m.put("eigenvalues_real", p.eigenReal());
            m.put("eigenvalues_imag", p.eigenImag());
            out.add(m);
        }
        return out;
    }
}

package org.rnnatlas.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;

/**
 * A small store written file by file as docs/store.md lays it out, with random contents: three tasks, every
 * architecture and activation, geometry for flip-flop and CDI (sine has none, so the report must say so), dynamics with
 * linear analyses and topology, one diverged network, one skipped and one excluded network.
 */
final class SyntheticStore {
    static final List<String> CELLS = List.of("vanilla", "ugrnn", "gru", "lstm");
    static final List<String> ACTS = List.of("tanh", "relu");
    static final int UNITS = 4;
    static final int TRIALS = 3;
    static final int STEPS = 12;

    private final Path root;
    private final SplittableRandom rng = new SplittableRandom(7);

    private SyntheticStore(Path root) {
        this.root = root;
    }

    static String id(String task, String cell, String act) {
        return task + "-" + cell + "-" + act + "-n" + UNITS + "-l2_1e-04-s0";
    }

    static Path write(Path root) throws IOException {
        new SyntheticStore(root).all();
        return root;
    }

    private void all() throws IOException {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String task : List.of("flipflop", "sine", "cdi")) {
            int m = switch (task) {
                case "flipflop" -> 3;
                case "sine" -> 1;
                default -> 4;
            };
            int k = task.equals("flipflop") ? 3 : 1;
            task(task, m, k);
            List<String> ids = new ArrayList<>();
            for (String act : ACTS) {
                for (String cell : CELLS) {
                    String id = id(task, cell, act);
                    boolean diverged = task.equals("flipflop") && cell.equals("vanilla") && act.equals("relu");
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", id);
                    e.put("task", task);
                    e.put("cell", cell);
                    e.put("activation", act);
                    e.put("units", UNITS);
                    e.put("l2", 1e-4);
                    e.put("seed", 0);
                    e.put("status", diverged ? "diverged" : "trained");
                    e.put("validation_mse", diverged ? null : 0.01 + rng.nextDouble() * 0.01);
                    entries.add(e);
                    if (!diverged) {
                        network(id, cell, m, k);
                        ids.add(id);
                    }
                }
            }
            if (!task.equals("sine")) {
                Path g = root.resolve("geometry").resolve(task);
                // one network skipped by the metric (as compare does for a constant representation)
                String skipped = ids.get(ids.size() - 1);
                List<String> kept = ids.subList(0, ids.size() - 1);
                square(g, "svcca", kept, Map.of("id", skipped, "reason", "states are constant"), Map.of());
                square(g, "cka", kept, null, Map.of());
                embedding(g, "svcca_mds", kept);
                embedding(g, "cka_mds", kept);
                square(g, "svcca_untrained", kept, null, Map.of());
                cross(g, "svcca_trained_x_untrained", kept);
                List<String> both = new ArrayList<>();
                kept.forEach(i -> both.add("trained:" + i));
                kept.forEach(i -> both.add("untrained:" + i));
                embedding(g, "svcca_combined_mds", both);
            }
            dynamics(task, ids);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("format", "rnnatlas.population/1");
        spec.put("name", "synthetic");
        spec.put("tasks", List.of("flipflop", "sine", "cdi"));
        spec.put("task_options", Map.of());
        spec.put("cells", CELLS);
        spec.put("activations", ACTS);
        spec.put("units", List.of(UNITS));
        spec.put("l2", List.of(1e-4));
        spec.put("seeds", List.of(0));
        spec.put("iterations", 50);
        spec.put("batch", 8);
        spec.put("optimizer", "adam");
        spec.put("hyperparameters", Map.of("learning_rate", 0.01, "decay", 0.5, "decay_steps", 0, "momentum", 0.9,
                "clip", 1.0));
        spec.put("search", Map.of("trials", 0, "iterations", 0, "seed", 0));
        spec.put("validation_trials", 16);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "rnnatlas.store/1");
        manifest.put("spec", spec);
        manifest.put("created", Map.of("rnnatlas", "test"));
        manifest.put("networks", entries);
        manifest.put("search", Map.of());
        manifest.put("counts", Map.of());
        Json.write(root.resolve("manifest.json"), manifest);
    }

    private void task(String task, int m, int k) throws IOException {
        Path d = root.resolve("tasks").resolve(task);
        Files.createDirectories(d);
        Npy.write(d.resolve("probe_inputs.npy"), floats(TRIALS * STEPS * m), TRIALS, STEPS, m);
        Npy.write(d.resolve("probe_targets.npy"), floats(TRIALS * STEPS * k), TRIALS, STEPS, k);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", task);
        t.put("inputs", m);
        t.put("outputs", k);
        t.put("validation_zero_output_mse", 0.5);
        t.put("probe_attributes", task.equals("sine") ? Map.of("input", List.of(0.0, 0.5, 1.0))
                : task.equals("cdi") ? Map.of("context", List.of(0.0, 1.0, 0.0)) : Map.of());
        Json.write(d.resolve("task.json"), t);
    }

    private void network(String id, String cell, int m, int k) throws IOException {
        Path d = root.resolve("networks").resolve(id);
        Files.createDirectories(d.resolve("params"));
        int s = cell.equals("lstm") ? 2 * UNITS : UNITS;
        Npy.write(d.resolve("probe_states.npy"), floats(TRIALS * STEPS * s), TRIALS, STEPS, s);
        Npy.write(d.resolve("params/readout_W.npy"), floats(UNITS * k), UNITS, k);
        Npy.write(d.resolve("params/readout_b.npy"), floats(k), k);
        float[] loss = new float[50];
        for (int i = 0; i < loss.length; i++) {
            loss[i] = (float) (Math.exp(-i / 10.0) * (0.5 + rng.nextDouble()));
        }
        Npy.write(d.resolve("loss.npy"), loss, loss.length);
    }

    private void dynamics(String task, List<String> ids) throws IOException {
        Path base = root.resolve("dynamics").resolve(task);
        for (String id : ids) {
            String cell = id.split("-")[1];
            int s = cell.equals("lstm") ? 2 * UNITS : UNITS;
            Path d = base.resolve("trained").resolve(id);
            Files.createDirectories(d);
            int p = 5;
            Npy.write(d.resolve("fixed_points.npy"), doubles(p * s), p, s);
            List<Map<String, Object>> pts = new ArrayList<>();
            Map<String, Integer> hist = new LinkedHashMap<>();
            for (int r = 0; r < p; r++) {
                int dims = r % 4;
                hist.merge(String.valueOf(dims), 1, Integer::sum);
                Map<String, Object> fp = new LinkedHashMap<>();
                fp.put("row", r);
                fp.put("kind", "fixed");
                fp.put("condition", 0);
                fp.put("unstable_dims", dims);
                fp.put("stable", dims == 0);
                fp.put("eigenvalues_real", List.of(0.9 + 0.1 * dims, 0.5, 0.1));
                fp.put("eigenvalues_imag", List.of(0.0, 0.2, -0.2));
                pts.add(fp);
            }
            Json.write(d.resolve("fixed_points.json"), Map.of("format", "rnnatlas.fixedpoints/1", "id", id,
                    "fixed_points", pts, "slow_points", List.of()));
            if (task.equals("sine")) {
                List<Map<String, Object>> conds = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    double w = 0.04 * c / 2 + 0.01;
                    conds.add(Map.of("condition", c, "command_frequency", w, "linear_frequency",
                            w + 0.002 * rng.nextDouble(), "has_complex_pair", c != 1 || !cell.equals("gru")));
                }
                Json.write(d.resolve("linear.json"), Map.of("format", "rnnatlas.linear/1", "analysis",
                        "sine-frequency", "id", id, "conditions", conds, "mean_absolute_error", 0.001, "missing", 0));
            } else if (task.equals("cdi")) {
                List<Map<String, Object>> ctx = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    List<Double> spectrum = new ArrayList<>();
                    List<Double> ablation = new ArrayList<>();
                    ablation.add(0.0);
                    for (int i = 0; i < s; i++) {
                        spectrum.add(1.0 - i / (double) s);
                        ablation.add(Math.min(1.0, 0.5 + i / (double) s));
                    }
                    ctx.add(Map.of("condition", c, "fixed_point_rows", List.of(0, 1), "mean_spectrum", spectrum,
                            "mean_ablation", ablation, "top_modulus", List.of(0.99, 1.0), "full_response",
                            List.of(0.97, 1.01)));
                }
                Json.write(d.resolve("linear.json"), Map.of("format", "rnnatlas.linear/1", "analysis", "cdi-modes",
                        "id", id, "steps", 30, "contexts", ctx));
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("format", "rnnatlas.dynamics/1");
            a.put("id", id);
            a.put("fixed_points", p);
            a.put("stable_fixed_points", hist.getOrDefault("0", 0));
            a.put("unstable_dims_histogram", hist);
            a.put("finder_options", Map.of("candidates", 64, "fixed_point_tolerance", 1e-8));
            if (task.equals("flipflop")) {
                // rows: the 5 points (unstable dims 0,1,2,3,0); columns: the 2 stable ones, then "settled nowhere"
                List<String> labels = new ArrayList<>();
                double[] t = new double[p * 3];
                for (int r = 0; r < p; r++) {
                    labels.add(String.format(java.util.Locale.ROOT, "y=[%.2f, %.2f, %.2f] unstable=%d",
                            rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1, r % 4));
                    double x = rng.nextDouble();
                    t[3 * r] = x * 0.9;
                    t[3 * r + 1] = (1 - x) * 0.9;
                    t[3 * r + 2] = 0.1;
                }
                Npy.write(d.resolve("topology_transition.npy"), t, p, 3);
                a.put("topology", Map.of("transition", Map.of("file", "topology_transition.npy", "row_labels", labels,
                        "shape", List.of(p, 3), "plugin", Map.of("name", "transition", "options",
                                Map.of("perturbations", "100")))));
            }
            Json.write(d.resolve("analysis.json"), a);
        }
        // topology: one network excluded for a non-modal shape; a second metric with no MDS (non-finite)
        String excluded = ids.get(0);
        List<String> kept = ids.subList(1, ids.size());
        square(base, "topology_transition", kept, null, Map.of(excluded, "topology shape 3x3 differs from the"
                + " modal 8x8 (fixed-point count not modal)"));
        embedding(base, "topology_transition", kept);
        square(base, "topology_matched", ids, null, Map.of());
    }

    private void square(Path dir, String name, List<String> ids, Map<String, Object> skipped,
                        Map<String, String> excluded) throws IOException {
        int n = ids.size();
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i * n + j] = d[j * n + i] = rng.nextDouble();
            }
        }
        Files.createDirectories(dir);
        Npy.write(dir.resolve(name + ".npy"), d, n, n);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "rnnatlas.distances/1");
        m.put("name", name);
        m.put("mode", "square");
        m.put("shape", List.of(n, n));
        m.put("metric", Map.of("name", name.replace("topology_", ""), "version", "test", "options",
                Map.of("threshold", "0.99"), "range", "[0, 1]"));
        m.put("row_states", name.endsWith("_untrained") ? "untrained-h" : "trained-h");
        m.put("col_states", m.get("row_states"));
        m.put("row_ids", ids);
        m.put("col_ids", ids);
        m.put("skipped_rows", skipped == null ? List.of() : List.of(skipped));
        m.put("skipped_cols", skipped == null ? List.of() : List.of(skipped));
        if (!excluded.isEmpty()) {
            m.put("excluded", excluded);
            m.put("excluded_count", excluded.size());
            m.put("modal_shape", "8x8");
        }
        Json.write(dir.resolve(name + ".json"), m);
    }

    private void cross(Path dir, String name, List<String> ids) throws IOException {
        int n = ids.size();
        Npy.write(dir.resolve(name + ".npy"), doubles(n * n), n, n);
        Json.write(dir.resolve(name + ".json"), Map.of("format", "rnnatlas.distances/1", "name", name, "mode",
                "cross", "shape", List.of(n, n), "row_ids", ids, "col_ids", ids, "row_states", "trained-h",
                "col_states", "untrained-h", "metric", Map.of("name", "svcca")));
    }

    /** {@code <source>_mds}: a random n x 2 embedding of the named networks. */
    private void embedding(Path dir, String source, List<String> ids) throws IOException {
        String name = source.endsWith("_mds") ? source : source + "_mds";
        int n = ids.size();
        Npy.write(dir.resolve(name + ".npy"), doubles(2 * n), n, 2);
        Json.write(dir.resolve(name + ".json"), Map.of("format", "rnnatlas.embedding/1", "name", name, "ids", ids,
                "method", "classical", "stress", 0.1, "variance_proportion", List.of(0.6, 0.3), "shape",
                List.of(n, 2)));
    }

    private float[] floats(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return f;
    }

    private double[] doubles(int n) {
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = rng.nextDouble() * 2 - 1;
        }
        return f;
    }
}

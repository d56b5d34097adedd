package org.rnnatlas.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnnatlas.core.dynamics.GroupStats;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.io.AtomicFiles;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.PopulationSpec;

/**
 * Builds a store's report: {@code index.html} and every figure as {@code figures/<name>.png} and {@code .svg}. The
 * page is self-contained (inline CSS, images referenced relatively, no script), one section per task, each figure
 * captioned with what it shows and the settings read from the store's JSON. Whatever a store lacks (no geometry, no
 * dynamics, a task without a linear analysis) is stated in the page instead of drawn empty.
 *
 * <pre>
 * Path index = Report.builder(store).out(store.resolve("report")).progress(System.err::println).build();
 * </pre>
 */
public final class Report {
    private final StoreData data;
    private final Path out;
    private final Path figures;
    private final Consumer<String> progress;
    private final Html html = new Html();
    private final List<String> written = new ArrayList<>();
    private final List<List<String>> clustering = new ArrayList<>();
    private final List<List<String>> exclusions = new ArrayList<>();
    private final Claims claims = new Claims();
    /** task|kind|name → {within/between by architecture, silhouette by architecture, the same by activation}. */
    private final Map<String, double[]> clusterNumbers = new LinkedHashMap<>();
    private int figureCount;

    private Report(StoreData data, Path out, Consumer<String> progress) {
        this.data = data;
        this.out = out;
        this.figures = out.resolve("figures");
        this.progress = progress;
    }

    public static Builder builder(Path store) {
        return new Builder(store);
    }

    /** Where the report goes and where progress lines go. */
    public static final class Builder {
        private final Path store;
        private Path out;
        private Consumer<String> progress = s -> { };

        private Builder(Path store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The report folder; default {@code STORE/report}. */
        public Builder out(Path dir) {
            this.out = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public Builder progress(Consumer<String> sink) {
            this.progress = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Writes the report; returns the path of {@code index.html}. */
        public Path build() throws IOException {
            // XChart and AWT must never look for a display: a stray DISPLAY makes rendering fail
            System.setProperty("java.awt.headless", "true");
            StoreData d = new StoreData(store);
            Path dir = (out == null ? d.root().resolve("report") : out).toAbsolutePath().normalize();
            return new Report(d, dir, progress).write();
        }
    }

    /** The figure files written, without extension, in page order. */
    private Path write() throws IOException {
        Files.createDirectories(figures);
        PopulationSpec spec = data.manifest.spec();
        StringBuilder intro = new StringBuilder();
        intro.append("<p>Store <code>").append(Html.esc(data.root().toString())).append("</code>, population <b>")
                .append(Html.esc(String.valueOf(spec.name()))).append("</b>: ").append(Html.esc(population()))
                .append("</p>\n<p>Networks in the manifest: ").append(data.manifest.networks().size())
                .append(" (").append(Html.esc(counts())).append("). Colours: one per architecture (vanilla, ugrnn,"
                        + " gru, lstm) in every figure; circles are tanh networks, triangles relu networks.</p>\n");
        for (String task : data.tasks()) {
            progress.accept("report: " + task);
            taskSection(task);
        }
        summarySection();
        String page = html.page("rnnatlas report: " + spec.name(), intro.toString());
        Path index = out.resolve("index.html");
        AtomicFiles.writeString(index, page);
        progress.accept("report: " + written.size() + " figures (PNG and SVG) in " + figures);
        return index;
    }

    // ---------------------------------------------------------------------------------------------- captions

    private String population() {
        PopulationSpec s = data.manifest.spec();
        var hp = s.hyperparameters();
        return String.format(Locale.ROOT, "tasks %s; cells %s; activations %s; units %s; L2 %s; seeds %s;"
                        + " %d iterations of %s (batch %d, learning rate %s, decay %s, momentum %s, clip %s)%s.",
                String.join(", ", s.tasks()), String.join(", ", s.cells()), String.join(", ", s.activations()),
                s.units(), s.l2().stream().map(Fmt::num).toList(), s.seeds(), s.iterations(), s.optimizer(),
                s.batch(), Fmt.num(hp.learningRate()), Fmt.num(hp.decay()), Fmt.num(hp.momentum()),
                Fmt.num(hp.clip()), s.search() != null && s.search().trials() > 0
                        ? "; hyperparameter search with " + s.search().trials() + " trials per configuration" : "");
    }

    private String counts() {
        return data.manifest.networks().stream().collect(Collectors.groupingBy(Manifest.Entry::status,
                TreeMap::new, Collectors.counting())).entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static String metricSettings(DistanceMatrix m) {
        Map<String, Object> metric = StoreData.obj(m.metadata().get("metric"));
        String s = "Metric " + metric.getOrDefault("name", "?") + " " + metric.getOrDefault("version", "")
                + ", options " + settings(metric.getOrDefault("options", Map.of())) + ", states " + m.metadata()
                .getOrDefault("row_states", "?");
        double bound = StoreData.num(metric.get("error_bound"));
        if (bound > 0) {
            s += ", error bound " + Fmt.num(bound);
        }
        return s + "; " + Fmt.count(m.rows(), "network") + ".";
    }

    private static String mdsSettings(StoreData.Embedding e) {
        double[] v = StoreData.doubles(e.meta().get("variance_proportion"));
        return "MDS " + e.meta().getOrDefault("method", "?") + ", Kruskal stress-1 " + Fmt.num(StoreData.num(
                e.meta().get("stress"))) + (v.length >= 2 ? ", axes carry " + pct(v[0]) + " and " + pct(v[1])
                + " of the trace of the double-centred matrix" : "") + ".";
    }

    /** Settings as {@code key=value, …} with numbers written exactly but without Java's float spelling (1e-08). */
    static String settings(Object o) {
        if (o instanceof Map<?, ?> m) {
            return "{" + m.entrySet().stream().map(e -> e.getKey() + "=" + settings(e.getValue()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        if (o instanceof Double d && Double.isFinite(d)) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d.doubleValue());
            }
            String t = new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toString();
            return t.replace("E", "e");
        }
        return String.valueOf(o);
    }

    private static String pct(double p) {
        return Double.isFinite(p) ? Fmt.num(100 * p) + "%" : "n/a";
    }

    private String figureLabel() {
        return "Figure " + (++figureCount) + ".";
    }

    private void emit(Figure f, String file, String title, String caption) throws IOException {
        Figure.save(f, figures, file);
        written.add(file);
        html.figure(file, figureLabel(), title, caption, Math.min(1100, f.width()));
        progress.accept("report:   figure " + file);
    }

    // ---------------------------------------------------------------------------------------------- task section

    private static String taskTitle(String task) {
        return switch (task) {
            case "flipflop" -> "3-bit flip-flop (the paper's Fig. 1)";
            case "sine" -> "Sine wave generation (Fig. 2)";
            case "cdi" -> "Context-dependent integration (Fig. 3)";
            default -> "Task " + task;
        };
    }

    private void taskSection(String task) throws IOException {
        html.h2("task-" + task, taskTitle(task));
        List<Manifest.Entry> trained = data.trained(task);
        for (Manifest.Entry e : data.manifest.networks()) {
            if (e.task().equals(task) && !NetworkRecord.TRAINED.equals(e.status())) {
                exclusions.add(List.of(task, e.id(), "training", NetworkRecord.DIVERGED.equals(e.status())
                        ? "diverged (the loss became NaN or infinite)" : "not finished (status " + e.status() + ")"));
            }
        }
        if (trained.isEmpty()) {
            html.missing("No trained network of this task in the store: nothing to show. Train with rnnatlas train.");
            return;
        }
        Optional<Manifest.Entry> example = exampleNetwork(task, trained);
        html.h3("An example network");
        if (example.isPresent()) {
            exampleTrial(task, example.get());
            trajectories(task, example.get());
        }
        trainingClaim(task, trained);
        geometry(task);
        dynamics(task, trained);
        lossHistograms(task, trained);
        geometryClaims(task);
    }

    /** Which trained networks learned the task: validation MSE under a tenth of a zero-output network's. */
    private void trainingClaim(String task, List<Manifest.Entry> trained) throws IOException {
        double zero = StoreData.num(data.taskJson(task).get("validation_zero_output_mse"));
        if (!(zero > 0)) {
            claims.add(0, "The networks learn the task (precondition of every other row)", task,
                    "tasks/" + task + "/task.json has no validation_zero_output_mse", "—", Claims.NO_DATA);
            return;
        }
        List<String> failed = new ArrayList<>();
        for (Manifest.Entry e : trained) {
            double v = e.validationMse() == null ? Double.NaN : e.validationMse();
            if (!(v < 0.1 * zero)) {
                failed.add(e.cell() + " " + e.activation() + " s" + e.seed() + " (" + Fmt.num(v) + ")");
            }
        }
        int ok = trained.size() - failed.size();
        List<String> diverged = data.manifest.networks().stream().filter(e -> e.task().equals(task)
                && NetworkRecord.DIVERGED.equals(e.status())).map(e -> e.cell() + " " + e.activation() + " s"
                + e.seed()).toList();
        claims.add(0, "The networks learn the task (precondition of every other row)", task, ok + " of "
                + trained.size() + " trained networks" + (diverged.isEmpty() ? "" : " (" + diverged.size()
                + " more diverged: " + String.join(", ", diverged) + ")") + (failed.isEmpty() ? "" : "; did not learn: "
                + String.join(", ", failed)), "validation MSE < 0.1 × a zero-output network's ("
                + Fmt.num(zero) + ")", Claims.fraction(ok, trained.size()));
    }

    /** Geometry clusters by architecture and activation; topology less so (universality). */
    private void geometryClaims(String task) {
        double[] svcca = clusterNumbers.get(task + "|geometry|svcca");
        if (svcca == null) {
            claims.add(1, "Representational geometry (SVCCA) clusters by architecture", task, "no SVCCA matrix",
                    "—", Claims.NO_DATA);
            return;
        }
        claims.add(1, "Representational geometry (SVCCA) clusters by architecture", task, "silhouette "
                + Fmt.num(svcca[1]) + ", within/between " + Fmt.num(svcca[0]), "silhouette > 0 and within/between"
                + " < 1; one of the two: partly", Claims.clustered(svcca[1], svcca[0]));
        claims.add(2, "Representational geometry (SVCCA) clusters by activation", task, "silhouette "
                + Fmt.num(svcca[3]) + ", within/between " + Fmt.num(svcca[2]), "silhouette > 0 and within/between"
                + " < 1; one of the two: partly", Claims.clustered(svcca[3], svcca[2]));
        boolean any = false;
        for (var en : clusterNumbers.entrySet()) {
            String[] k = en.getKey().split("\\|");
            if (!k[0].equals(task) || !k[1].equals("topology")) {
                continue;
            }
            any = true;
            double[] t = en.getValue();
            String verdict = !Double.isFinite(t[1]) || !Double.isFinite(svcca[1]) ? Claims.NO_DATA
                    : t[1] < Math.max(svcca[1], 0.1) ? Claims.SUPPORTED : Claims.NOT;
            claims.add(3, "Fixed-point topology is shared across architectures: it clusters by architecture less"
                    + " than geometry does, or not at all", task, metricTitle(k[2]) + " silhouette by architecture "
                    + Fmt.num(t[1])
                    + " vs SVCCA " + Fmt.num(svcca[1]) + " (" + Fmt.count((int) t[4], "network") + ")", "topology silhouette <"
                    + " max(SVCCA silhouette, 0.1)", verdict);
        }
        if (!any) {
            claims.add(3, "Fixed-point topology is shared across architectures", task, "no topology distance"
                    + " matrix (dynamics not run, or every pair undefined)", "—", Claims.NO_DATA);
        }
    }

    /**
     * The example network: the best-validated tanh network whose dynamics were analysed (so its fixed points can be
     * drawn in the same projection), else the best-validated trained network.
     */
    private Optional<Manifest.Entry> exampleNetwork(String task, List<Manifest.Entry> trained) {
        Comparator<Manifest.Entry> order = Comparator
                .comparingInt((Manifest.Entry e) -> "tanh".equals(e.activation()) ? 0 : 1)
                .thenComparingDouble(e -> e.validationMse() == null || e.validationMse().isNaN()
                        ? Double.POSITIVE_INFINITY : e.validationMse());
        Optional<Manifest.Entry> withDynamics = trained.stream()
                .filter(e -> data.analysed(task, "trained", e.id()).isPresent()).min(order);
        return withDynamics.isPresent() ? withDynamics : trained.stream().min(order);
    }

    private void exampleTrial(String task, Manifest.Entry e) throws IOException {
        Path taskDir = data.store.taskDir(task);
        Path net = data.store.networkDir(e.id());
        if (!Files.exists(taskDir.resolve("probe_inputs.npy")) || !Files.exists(taskDir.resolve("probe_targets.npy"))
                || !Files.exists(net.resolve("probe_states.npy")) || !Files.exists(net.resolve("params/readout_W.npy"))) {
            html.missing("The example trial cannot be drawn: the probe set or " + e.id()
                    + "'s probe states or readout are missing.");
            return;
        }
        Npy.Array in = Npy.read(taskDir.resolve("probe_inputs.npy"));
        Npy.Array tg = Npy.read(taskDir.resolve("probe_targets.npy"));
        Npy.Array st = Npy.read(net.resolve("probe_states.npy"));
        Npy.Array rw = Npy.read(net.resolve("params/readout_W.npy"));
        Npy.Array rb = Npy.read(net.resolve("params/readout_b.npy"));
        int steps = in.shape()[1];
        int m = in.shape()[2];
        int k = tg.shape()[2];
        int s = st.shape()[2];
        int n = rw.shape()[0];
        int trial = 0;
        double[] time = new double[steps];
        double[][] x = new double[m][steps];
        double[][] y = new double[k][steps];
        double[][] out = new double[k][steps];
        for (int t = 0; t < steps; t++) {
            time[t] = t;
            for (int i = 0; i < m; i++) {
                x[i][t] = in.data()[(trial * steps + t) * m + i];
            }
            int base = (trial * steps + t) * s;
            for (int j = 0; j < k; j++) {
                y[j][t] = tg.data()[(trial * steps + t) * k + j];
                // y = h @ readout_W + readout_b, h the first N entries of the state (the LSTM's state is [h; c])
                double v = rb.data()[j];
                for (int u = 0; u < n; u++) {
                    v += st.data()[base + u] * rw.data()[u * k + j];
                }
                out[j][t] = v;
            }
        }
        List<Figure> panels = new ArrayList<>();
        Color net0 = Palette.cell(e.cell());
        if (m == k) {
            for (int j = 0; j < k; j++) {
                XYChart c = Charts.xy((k > 1 ? "bit / channel " + (j + 1) : "channel 1"), "time step",
                        "value (a.u.)", 1000, 300);
                Charts.line(c, "input", time, x[j], Palette.CONTEXT, 2f, true);
                Charts.dashed(c, "target", time, y[j], Color.BLACK, true);
                Charts.line(c, "output", time, out[j], net0, 2.5f, true);
                panels.add(Figure.of(c));
            }
        } else {
            XYChart c = Charts.xy("inputs", "time step", "input (a.u.)", 1000, 300);
            for (int i = 0; i < m; i++) {
                Color g = new Color(60 + 40 * i, 60 + 40 * i, 60 + 40 * i);
                Charts.line(c, "input " + (i + 1), time, x[i], g, 2f, true);
            }
            panels.add(Figure.of(c));
            for (int j = 0; j < k; j++) {
                XYChart o = Charts.xy("output " + (j + 1), "time step", "value (a.u.)", 1000, 300);
                Charts.dashed(o, "target", time, y[j], Color.BLACK, true);
                Charts.line(o, "output", time, out[j], net0, 2.5f, true);
                panels.add(Figure.of(o));
            }
        }
        emit(Figure.grid(1, panels), task + "-example-trial", "Inputs, targets and outputs of " + e.id(),
                "Probe trial " + trial + " of tasks/" + task + "/probe_inputs.npy; outputs recomputed from the stored"
                        + " probe states as y = h·readout_W + readout_b. Validation MSE "
                        + Fmt.num(e.validationMse() == null ? Double.NaN : e.validationMse()) + " (a network that outputs 0 scores "
                        + Fmt.num(StoreData.num(data.taskJson(task).get("validation_zero_output_mse"))) + ").");
    }

    /** PCA of the example's probe states; trajectories, then its fixed points in the same projection. */
    private void trajectories(String task, Manifest.Entry e) throws IOException {
        Path file = data.store.networkDir(e.id()).resolve("probe_states.npy");
        if (!Files.exists(file)) {
            return;
        }
        Npy.Array st = Npy.read(file);
        int trials = st.shape()[0];
        int steps = st.shape()[1];
        int s = st.shape()[2];
        Stats.Pca pca = Stats.pca(st.data(), trials * steps, s, 2);
        String xl = "PC 1 (" + pct(pca.explained()[0]) + " of variance)";
        String yl = "PC 2 (" + pct(pca.explained()[1]) + " of variance)";
        int shown = Math.min(trials, 24);
        double[] attr = probeAttribute(task, trials);
        double amin = Double.POSITIVE_INFINITY;
        double amax = Double.NEGATIVE_INFINITY;
        for (double a : attr) {
            amin = Math.min(amin, a);
            amax = Math.max(amax, a);
        }
        XYChart c = Charts.xy("Probe trajectories, " + e.cell() + " " + e.activation(), xl, yl);
        XYChart f = Charts.xy("Fixed points, " + e.cell() + " " + e.activation(), xl, yl);
        double[][][] proj = new double[shown][2][steps];
        for (int tr = 0; tr < shown; tr++) {
            for (int t = 0; t < steps; t++) {
                double[] p = pca.project(st.data(), (tr * steps + t) * s);
                proj[tr][0][t] = p[0];
                proj[tr][1][t] = p[1];
            }
            Color col = attr.length == 0 ? Palette.cell(e.cell())
                    : HeatmapFigure.viridis(amax > amin ? (attr[tr] - amin) / (amax - amin) : 0.5);
            Charts.line(c, "trial " + tr, proj[tr][0], proj[tr][1], col, 1.5f, false);
            Charts.line(f, "trial " + tr, proj[tr][0], proj[tr][1], Palette.CONTEXT, 1f, tr == 0);
        }
        f.getSeries("trial 0").setLabel("probe trajectories");
        c.getStyler().setLegendVisible(false);
        String attrNote = attr.length == 0 ? "" : " Colour: the trial's " + attributeName(task) + " (viridis, dark = "
                + Fmt.num(amin) + ", light = " + Fmt.num(amax) + ").";
        emit(Figure.of(c), task + "-trajectories", "State trajectories of " + e.id() + " on the probe set",
                "The first " + shown + " of " + trials + " probe trials, projected on the top two principal"
                        + " components of all " + trials * steps + " probe states (" + s + "-dimensional state"
                        + (s != e.units() ? ", the LSTM's [h; c]" : "") + ")." + attrNote);

        Optional<Path> dyn = data.analysed(task, "trained", e.id());
        if (dyn.isEmpty()) {
            html.missing("No fixed points for " + e.id() + ": its dynamics were not analysed (run rnnatlas dynamics"
                    + " STORE).");
            return;
        }
        Map<String, Object> fpj = StoreData.map(dyn.get().resolve("fixed_points.json")).orElse(Map.of());
        List<Map<String, Object>> pts = StoreData.list(fpj.get("fixed_points"));
        Map<String, Object> analysis = StoreData.map(dyn.get().resolve("analysis.json")).orElse(Map.of());
        if (pts.isEmpty()) {
            html.missing("The fixed-point finder found no fixed point for " + e.id() + " (settings "
                    + settings(analysis.get("finder_options")) + ").");
            return;
        }
        Npy.Array fp = Npy.read(dyn.get().resolve("fixed_points.npy"));
        TreeMap<Integer, List<double[]>> byDims = new TreeMap<>();
        for (Map<String, Object> p : pts) {
            int row = (int) StoreData.num(p.get("row"));
            int dims = (int) StoreData.num(p.get("unstable_dims"));
            byDims.computeIfAbsent(dims, d -> new ArrayList<>()).add(pca.project(fp.data(), row * s));
        }
        for (var entry : byDims.entrySet()) {
            List<double[]> list = entry.getValue();
            double[] px = list.stream().mapToDouble(v -> v[0]).toArray();
            double[] py = list.stream().mapToDouble(v -> v[1]).toArray();
            int d = entry.getKey();
            String name = (d == 0 ? "stable" : d + " unstable dim" + (d > 1 ? "s" : "")) + " (" + list.size() + ")";
            Charts.scatter(f, name, px, py, Palette.unstable(d), SeriesMarkers.CIRCLE, true).setMarkerColor(
                    Palette.unstable(d));
        }
        String orbits = task.equals("flipflop") ? heteroclinic(e, f, pts, fp, pca, s, analysis)
                : " Heteroclinic trajectories are drawn for flip-flop networks only.";
        emit(Figure.of(f), task + "-fixed-points", "Fixed points of " + e.id() + " in the trajectories' PCA space",
                pts.size() + " fixed points (" + analysis.getOrDefault("stable_fixed_points", "?")
                        + " stable) coloured by the number of unstable dimensions of their linearisation (stable"
                        + " black, 1 red, 2 green, 3 blue, more purple), over the probe trajectories in grey. Finder"
                        + " settings: " + settings(analysis.get("finder_options")) + "." + orbits);
        if (task.equals("sine")) {
            fixedPointsByFrequency(task, e, dyn.get(), pts, fp, pca, s, xl, yl, proj);
        }
        if (StoreData.obj(analysis.get("topology")).containsKey("transition")) {
            transitionGraph(task, e, dyn.get(), analysis);
        }
    }

    private org.rnnatlas.core.registry.Plugins plugins;

    /**
     * Draws the heteroclinic orbits of the example's 1-saddles on {@code f} (see {@link Heteroclinic}); returns the
     * caption sentence saying what was drawn, or why nothing was.
     */
    private String heteroclinic(Manifest.Entry e, XYChart f, List<Map<String, Object>> pts, Npy.Array fp,
                                Stats.Pca pca, int s, Map<String, Object> analysis) {
        try {
            if (plugins == null) {
                plugins = org.rnnatlas.core.registry.Plugins.classPath();
            }
            if (!plugins.cells().contains(e.cell())) {
                return " Heteroclinic trajectories not drawn: the " + e.cell() + " cell plugin is not installed"
                        + " here.";
            }
            var net = org.rnnatlas.core.dynamics.StoredNetwork.load(data.store, e.id(), plugins.cells()
                    .get(e.cell()), false);
            Heteroclinic h = new Heteroclinic(net.cell(), net.spec(), net.params());
            List<Map<String, Object>> conds = StoreData.list(analysis.get("conditions"));
            double norm = StoreData.num(analysis.get("mean_state_norm"));
            double delta = 0.01 * (Double.isFinite(norm) && norm > 0 ? norm : 1);
            int saddles = 0;
            int drawn = 0;
            boolean legend = true;
            for (Map<String, Object> p : pts) {
                if ((int) StoreData.num(p.get("unstable_dims")) != 1) {
                    continue;
                }
                saddles++;
                int c = (int) StoreData.num(p.get("condition"));
                double[] x = c >= 0 && c < conds.size() ? StoreData.doubles(conds.get(c).get("input"))
                        : new double[net.spec().inputs()];
                double[] point = java.util.Arrays.copyOfRange(fp.data(), (int) StoreData.num(p.get("row")) * s,
                        ((int) StoreData.num(p.get("row")) + 1) * s);
                double lambda = Math.hypot(StoreData.doubles(p.get("eigenvalues_real"))[0],
                        StoreData.doubles(p.get("eigenvalues_imag"))[0]);
                double[] v = h.unstableDirection(point, x, lambda);
                if (v == null) {
                    continue;
                }
                drawn++;
                int side = 0;
                for (double[][] orbit : h.orbits(point, x, v, delta, 400)) {
                    side++;
                    double[] ox = new double[orbit.length];
                    double[] oy = new double[orbit.length];
                    for (int t = 0; t < orbit.length; t++) {
                        double[] q = pca.project(orbit[t], 0);
                        ox[t] = q[0];
                        oy[t] = q[1];
                    }
                    Charts.line(f, "heteroclinic " + drawn + "." + side, ox, oy, new Color(200, 60, 60, 150), 1.5f,
                            legend)
                            .setLabel("heteroclinic orbits");
                    legend = false;
                }
            }
            if (saddles == 0) {
                return " No saddle with one unstable dimension, so no heteroclinic orbit to draw.";
            }
            return " Heteroclinic orbits (light red): from each of the " + saddles + " saddles with one unstable"
                    + " dimension, the network run autonomously from s* ± δv (v its unstable eigenvector by power"
                    + " iteration on finite-difference Jacobian products, δ = 0.01 × mean probe-state norm), up to"
                    + " 400 steps; drawn for " + drawn + " of them" + (drawn < saddles ? " (the others' power"
                    + " iteration did not match their top eigenvalue within 2%)" : "") + ".";
        } catch (IOException | RuntimeException ex) {
            return " Heteroclinic trajectories not drawn: " + ex.getMessage();
        }
    }

    /** Fig. 2c: the example's fixed points coloured by the command frequency of the input they belong to. */
    private void fixedPointsByFrequency(String task, Manifest.Entry e, Path dyn, List<Map<String, Object>> pts,
                                        Npy.Array fp, Stats.Pca pca, int s, String xl, String yl, double[][][] proj)
            throws IOException {
        Optional<Map<String, Object>> lin = StoreData.map(dyn.resolve("linear.json"));
        Map<Integer, Double> omega = new TreeMap<>();
        List<Map<String, Object>> conds = lin.map(l -> StoreData.list(l.get("conditions"))).orElse(List.of());
        for (int i = 0; i < conds.size(); i++) {
            Object c = conds.get(i).get("condition");
            omega.put(c == null ? i : (int) StoreData.num(c), StoreData.num(conds.get(i).get("command_frequency")));
        }
        if (omega.isEmpty()) {
            html.missing("Fixed points by command frequency: " + e.id() + " has no linear.json with the conditions'"
                    + " command frequencies.");
            return;
        }
        double lo = omega.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = omega.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        XYChart c = Charts.xy("Fixed points by command frequency, " + e.cell() + " " + e.activation(), xl, yl);
        for (int tr = 0; tr < proj.length; tr++) {
            Charts.line(c, "trial " + tr, proj[tr][0], proj[tr][1], Palette.CONTEXT, 1f, tr == 0);
        }
        c.getSeries("trial 0").setLabel("probe trajectories");
        // one series per condition so each gets its colour; the legend names about five, evenly spaced, ends included
        Map<Double, List<double[]>> byOmega = new TreeMap<>();
        for (var en : omega.entrySet()) {
            for (Map<String, Object> p : pts) {
                if ((int) StoreData.num(p.get("condition")) == en.getKey()) {
                    byOmega.computeIfAbsent(en.getValue(), w -> new ArrayList<>()).add(pca.project(fp.data(),
                            (int) StoreData.num(p.get("row")) * s));
                }
            }
        }
        int shown = 0;
        int labelEvery = Math.max(1, (byOmega.size() + 4) / 5);
        int k = 0;
        for (var en : byOmega.entrySet()) {
            List<double[]> xy = en.getValue();
            boolean legend = k % labelEvery == 0 || k == byOmega.size() - 1;
            k++;
            Color col = HeatmapFigure.viridis(hi > lo ? (en.getKey() - lo) / (hi - lo) : 0.5);
            Charts.scatter(c, "ω = " + Fmt.num(en.getKey()) + " (" + xy.size() + ")",
                    xy.stream().mapToDouble(v -> v[0]).toArray(), xy.stream().mapToDouble(v -> v[1]).toArray(),
                    col, SeriesMarkers.CIRCLE, legend).setMarkerColor(col);
            shown += xy.size();
        }
        emit(Figure.of(c), task + "-fixed-points-frequency", "Fixed points of " + e.id() + " by command frequency",
                shown + " fixed points on " + byOmega.size() + " of the " + omega.size() + " condition inputs (the"
                        + " others have none), coloured by the input's command frequency ω (viridis: dark = "
                        + Fmt.num(lo) + ", light = " + Fmt.num(hi) + " cycles per step; the legend names some inputs,"
                        + " with the number of fixed points in brackets),"
                        + " over the probe trajectories in grey, same projection as the trajectories above. The"
                        + " paper's Fig. 2c: the input moves the fixed point along a line.");
    }

    private static final java.util.regex.Pattern READOUT = java.util.regex.Pattern.compile("y=\\[([^\\]]*)\\]");
    private static final java.util.regex.Pattern UNSTABLE = java.util.regex.Pattern.compile("unstable=(\\d+)");

    /**
     * The example's transition graph (SPEC §6) from its topology_transition.npy: rows are its fixed points in readout
     * order (labels in analysis.json give readout and unstable dimensions), columns the stable points in the same
     * order plus one for "settled nowhere".
     */
    private void transitionGraph(String task, Manifest.Entry e, Path dyn, Map<String, Object> analysis)
            throws IOException {
        Map<String, Object> topo = StoreData.obj(StoreData.obj(analysis.get("topology")).get("transition"));
        Path file = dyn.resolve(String.valueOf(topo.getOrDefault("file", "topology_transition.npy")));
        List<?> labels = topo.get("row_labels") instanceof List<?> l ? l : List.of();
        if (topo.isEmpty() || !Files.exists(file) || labels.isEmpty()) {
            html.missing("No transition graph for " + e.id() + " (no transition topology in its analysis).");
            return;
        }
        Npy.Array a = Npy.read(file);
        int n = a.shape()[0];
        int cols = a.shape()[1];
        List<GraphFigure.Node> nodes = new ArrayList<>();
        List<Integer> stable = new ArrayList<>();
        for (int i = 0; i < n && i < labels.size(); i++) {
            String label = String.valueOf(labels.get(i));
            java.util.regex.Matcher y = READOUT.matcher(label);
            java.util.regex.Matcher u = UNSTABLE.matcher(label);
            double[] readout = y.find() && !y.group(1).isBlank() ? java.util.Arrays.stream(y.group(1).split(","))
                    .mapToDouble(v -> Double.parseDouble(v.strip())).toArray() : new double[0];
            int dims = u.find() ? Integer.parseInt(u.group(1)) : -1;
            nodes.add(new GraphFigure.Node(readout, dims));
            if (dims == 0) {
                stable.add(i);
            }
        }
        if (nodes.size() != n || stable.size() != cols - 1) {
            html.missing("The transition matrix of " + e.id() + " (" + n + " x " + cols + ") does not match its row"
                    + " labels (" + labels.size() + " points, " + stable.size() + " stable); graph not drawn.");
            return;
        }
        double[][] p = new double[n][n];
        double nowhere = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols - 1; j++) {
                p[i][stable.get(j)] = a.data()[i * cols + j];
            }
            nowhere += a.data()[i * cols + cols - 1];
        }
        emit(new GraphFigure("Transition graph, " + e.cell() + " " + e.activation(), nodes, p),
                task + "-transition-graph", "Fixed-point transition graph of " + e.id(),
                "Nodes: its " + n + " fixed points placed by readout, coloured by unstable dimensions. Arrows: the"
                        + " probability P(i → j) that a small perturbation of fixed point i settles at stable point j"
                        + " (shown when ≥ " + Fmt.num(GraphFigure.MIN_PROBABILITY) + "; width ∝ P; a stable"
                        + " point's return to itself is not drawn; mean probability of settling nowhere "
                        + Fmt.num(nowhere / n) + "). Settings: " + settings(StoreData.obj(topo.get("plugin"))
                        .get("options")) + ".");
    }

    private static String attributeName(String task) {
        return switch (task) {
            case "sine" -> "command input";
            case "cdi" -> "context";
            default -> "probe attribute";
        };
    }

    /** Per-trial colour attribute: sine's command input, CDI's context; none for other tasks. */
    private double[] probeAttribute(String task, int trials) throws IOException {
        String key = switch (task) {
            case "sine" -> "input";
            case "cdi" -> "context";
            default -> null;
        };
        if (key == null) {
            return new double[0];
        }
        double[] a = StoreData.doubles(StoreData.obj(data.taskJson(task).get("probe_attributes")).get(key));
        return a.length == trials ? a : new double[0];
    }

    // ---------------------------------------------------------------------------------------------- geometry

    private void geometry(String task) throws IOException {
        Path dir = data.geometryDir(task);
        List<String> names = data.squareMatrices(dir, "");
        html.h3("Representational geometry");
        if (names.isEmpty()) {
            html.missing("No geometry for this task: the store has no distance matrices under geometry/" + task
                    + " (run rnnatlas compare STORE --metric svcca,cka).");
            return;
        }
        for (String name : names) {
            DistanceMatrix m = data.matrix(dir, name).orElseThrow();
            distancePanels(task, "geometry", dir, name, m, metricTitle(name));
            for (Map<String, Object> sk : StoreData.list(m.metadata().get("skipped_rows"))) {
                exclusions.add(List.of(task, String.valueOf(sk.get("id")), "geometry " + name,
                        String.valueOf(sk.get("reason"))));
            }
        }
        for (String name : names) {
            trainedVsUntrained(task, dir, name);
        }
    }

    private static String metricTitle(String name) {
        String base = name.startsWith("topology_") ? name.substring(9) : name;
        String up = base.toUpperCase(Locale.ROOT);
        return switch (base) {
            case "svcca", "cka", "svcca_full", "cka_full" -> up.replace("_FULL", " (full state)");
            case "procrustes" -> "Procrustes";
            default -> name.startsWith("topology_") ? "topology (" + base + ")" : base;
        };
    }

    /** Heatmap and MDS panels of one square distance matrix, and its row in the clustering table. */
    private void distancePanels(String task, String kind, Path dir, String name, DistanceMatrix m, String title)
            throws IOException {
        int n = m.rows();
        if (n < 2) {
            html.missing(title + ": only " + n + " network in the matrix; nothing to compare.");
            return;
        }
        List<String> ids = m.rowIds();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> Palette.activationRank(
                data.activation(ids.get(i)))).thenComparingInt(i -> Palette.cellRank(data.cell(ids.get(i))))
                .thenComparing(i -> data.activation(ids.get(i)) + data.cell(ids.get(i))).thenComparing(ids::get));
        double[][] sorted = new double[n][n];
        double[][] full = new double[n][n];
        List<String> labels = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                sorted[a][b] = m.get(order[a], order[b]);
                full[a][b] = m.get(a, b);
            }
            String id = ids.get(order[a]);
            labels.add(data.cell(id) + " · " + data.activation(id));
            colors.add(Palette.cell(data.cell(id)));
        }
        String file = task + "-" + name;
        Map<String, Object> metric = StoreData.obj(m.metadata().get("metric"));
        Object range = metric.get("range");
        emit(new HeatmapFigure(title + " distances, " + task, title + " distance" + (range != null ? " (range " + range + ")" : ""),
                sorted, HeatmapFigure.runs(labels, colors)), file + "-matrix", title + " distance matrix",
                "Rows and columns grouped by activation, then architecture (group sizes in brackets), then seed. "
                        + metricSettings(m));

        List<String> cells = ids.stream().map(data::cell).toList();
        List<String> acts = ids.stream().map(data::activation).toList();
        List<String> both = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            both.add(cells.get(i) + "·" + acts.get(i));
        }
        double[] numbers = {Stats.withinBetweenRatio(full, cells), Stats.silhouette(full, cells),
            Stats.withinBetweenRatio(full, acts), Stats.silhouette(full, acts), n};
        clusterNumbers.put(task + "|" + kind + "|" + name, numbers);
        clustering.add(List.of(task, kind, title, String.valueOf(n), Fmt.num(numbers[0]), Fmt.num(numbers[1]),
                Fmt.num(numbers[2]), Fmt.num(numbers[3])));

        Optional<StoreData.Embedding> mds = data.embedding(dir, name + "_mds");
        if (mds.isEmpty()) {
            html.missing(title + ": no MDS embedding (" + name + "_mds.npy) in the store"
                    + ("topology".equals(kind) ? "; it is written only when every distance is finite." : "."));
            return;
        }
        emit(mdsFigure(title, mds.get()), file + "-mds", "MDS of the " + title + " distances",
                "Left: every network, coloured by architecture, marker by activation. Middle: tanh networks"
                        + " only, by architecture. Right: vanilla networks only, by activation (panels without"
                        + " such networks are left out). Points are rows of one embedding of all networks. "
                        + mdsSettings(mds.get()));
    }

    private Figure mdsFigure(String title, StoreData.Embedding e) {
        List<Figure> panels = new ArrayList<>();
        String xl = "MDS 1 (" + title + " units)";
        String yl = "MDS 2 (" + title + " units)";
        panels.add(Figure.of(mdsPanel(title + ": all networks", xl, yl, e, id -> true, true)));
        long tanh = e.ids().stream().filter(id -> data.activation(id).equals("tanh")).count();
        if (tanh > 0 && tanh < e.ids().size()) {
            panels.add(Figure.of(mdsPanel("tanh networks", xl, yl, e, id -> data.activation(id).equals("tanh"),
                    true)));
        }
        List<String> vanilla = e.ids().stream().filter(id -> data.cell(id).equals("vanilla")).toList();
        if (vanilla.stream().map(data::activation).distinct().count() > 1) {
            XYChart c = Charts.xy("vanilla networks", xl, yl, 700, 560);
            for (String act : activationsOf(vanilla)) {
                double[][] xy = points(e, id -> data.cell(id).equals("vanilla") && data.activation(id).equals(act));
                Charts.scatter(c, act, xy[0], xy[1], Palette.activation(act), Palette.activationMarker(act), true);
            }
            panels.add(Figure.of(c));
        }
        return Figure.grid(3, panels);
    }

    private XYChart mdsPanel(String title, String xl, String yl, StoreData.Embedding e,
                             java.util.function.Predicate<String> keep, boolean byActivationMarker) {
        XYChart c = Charts.xy(title, xl, yl, 700, 560);
        List<String> ids = e.ids().stream().filter(keep).toList();
        for (String cell : cellsOf(ids)) {
            for (String act : activationsOf(ids)) {
                double[][] xy = points(e, id -> keep.test(id) && data.cell(id).equals(cell)
                        && data.activation(id).equals(act));
                if (xy[0].length > 0) {
                    Charts.scatter(c, cell + " " + act, xy[0], xy[1], Palette.cell(cell),
                            byActivationMarker ? Palette.activationMarker(act) : SeriesMarkers.CIRCLE, true);
                }
            }
        }
        return c;
    }

    private double[][] points(StoreData.Embedding e, java.util.function.Predicate<String> keep) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < e.ids().size(); i++) {
            if (keep.test(e.ids().get(i))) {
                rows.add(i);
            }
        }
        return new double[][] {rows.stream().mapToDouble(i -> e.x()[i]).toArray(),
            rows.stream().mapToDouble(i -> e.y()[i]).toArray()};
    }

    private List<String> cellsOf(List<String> ids) {
        return ids.stream().map(data::cell).distinct().sorted(Comparator.comparingInt(Palette::cellRank)
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    private List<String> activationsOf(List<String> ids) {
        return ids.stream().map(data::activation).distinct().sorted(Comparator.comparingInt(
                Palette::activationRank).thenComparing(Comparator.naturalOrder())).toList();
    }

    /** Fig. 4: trained and untrained networks in one MDS, and the three distance distributions. */
    private void trainedVsUntrained(String task, Path dir, String name) throws IOException {
        Optional<StoreData.Embedding> comb = data.embedding(dir, name + "_combined_mds");
        Optional<DistanceMatrix> untrained = data.matrix(dir, name + "_untrained");
        Optional<DistanceMatrix> cross = data.matrix(dir, name + "_trained_x_untrained");
        String title = metricTitle(name);
        if (comb.isEmpty() && untrained.isEmpty()) {
            if ("svcca".equals(name)) {
                html.missing("Trained vs untrained (Fig. 4): the store has no untrained distances (run rnnatlas"
                        + " compare STORE --include-untrained).");
            }
            return;
        }
        html.h3("Trained vs untrained networks under " + title + (name.equals("svcca") ? " (Fig. 4)" : ""));
        List<Figure> panels = new ArrayList<>();
        if (comb.isPresent()) {
            StoreData.Embedding e = comb.get();
            XYChart c = Charts.xy(title + ": trained and untrained", "MDS 1 (" + title + " units)",
                    "MDS 2 (" + title + " units)", 760, 600);
            for (String cell : cellsOf(e.ids())) {
                for (String state : List.of("trained", "untrained")) {
                    double[][] xy = points(e, id -> id.startsWith(state + ":") && data.cell(id).equals(cell));
                    if (xy[0].length > 0) {
                        Charts.scatter(c, cell + " " + state, xy[0], xy[1], Palette.cell(cell), "trained".equals(state)
                                ? SeriesMarkers.CIRCLE : SeriesMarkers.CROSS, true);
                    }
                }
            }
            panels.add(Figure.of(c));
        }
        Optional<DistanceMatrix> trained = data.matrix(dir, name);
        List<double[]> sets = new ArrayList<>();
        List<String> setNames = new ArrayList<>();
        trained.ifPresent(m -> {
            sets.add(upper(m));
            setNames.add("trained × trained");
        });
        untrained.ifPresent(m -> {
            sets.add(upper(m));
            setNames.add("untrained × untrained");
        });
        cross.ifPresent(m -> {
            sets.add(m.data().clone());
            setNames.add("trained × untrained");
        });
        double lo = sets.stream().flatMapToDouble(java.util.Arrays::stream).filter(Double::isFinite).min().orElse(0);
        double hi = sets.stream().flatMapToDouble(java.util.Arrays::stream).filter(Double::isFinite).max().orElse(1);
        double[] edges = Charts.edges(lo, hi, 30);
        XYChart h = Charts.xy(title + " distance distributions", title + " distance", "pairs of networks", 760, 600);
        Color[] tones = {new Color(40, 40, 40), new Color(170, 170, 170), new Color(120, 60, 160)};
        for (int i = 0; i < sets.size(); i++) {
            Charts.histogram(h, setNames.get(i) + " (" + sets.get(i).length + ")", edges,
                    Charts.counts(sets.get(i), edges), tones[i], true);
        }
        panels.add(Figure.of(h));
        StringBuilder means = new StringBuilder();
        for (int i = 0; i < sets.size(); i++) {
            means.append(i == 0 ? "" : "; ").append(setNames.get(i)).append(" mean ")
                    .append(Fmt.num(GroupStats.of(sets.get(i)).mean()));
        }
        if ("svcca".equals(name)) {
            untrainedClaim(task, trained, untrained, cross);
        }
        emit(Figure.grid(2, panels), task + "-" + name + "-trained-vs-untrained", title
                        + " distances of trained and untrained networks",
                "Left: one MDS of trained (circles) and untrained (crosses: each seed's initial weights) networks"
                        + " together, coloured by architecture" + comb.map(e -> " (" + mdsSettings(e).replaceAll("\\.$", "") + ")")
                        .orElse(": no combined embedding in the store") + ". Right: distributions of the pairwise"
                        + " distances (" + means + ")." + untrained.map(m -> " " + metricSettings(m)).orElse(""));
    }

    /** Fig. 4's claim: untrained networks sit apart from trained ones (silhouette of the trained/untrained split). */
    private void untrainedClaim(String task, Optional<DistanceMatrix> trained, Optional<DistanceMatrix> untrained,
                                Optional<DistanceMatrix> cross) {
        String claim = "Untrained networks differ from trained ones (Fig. 4)";
        if (trained.isEmpty() || untrained.isEmpty() || cross.isEmpty()
                || cross.get().rows() != trained.get().rows() || cross.get().cols() != untrained.get().rows()) {
            claims.add(4, claim, task, "the store lacks one of the trained, untrained and cross SVCCA matrices", "—",
                    Claims.NO_DATA);
            return;
        }
        DistanceMatrix a = trained.get();
        DistanceMatrix b = untrained.get();
        DistanceMatrix x = cross.get();
        int n = a.rows();
        int m = b.rows();
        double[][] d = new double[n + m][n + m];
        List<String> state = new ArrayList<>();
        for (int i = 0; i < n + m; i++) {
            state.add(i < n ? "trained" : "untrained");
            for (int j = 0; j < n + m; j++) {
                d[i][j] = i < n && j < n ? a.get(i, j) : i >= n && j >= n ? b.get(i - n, j - n)
                        : i < n ? x.get(i, j - n) : x.get(j, i - n);
            }
        }
        double sil = Stats.silhouette(d, state);
        double tt = GroupStats.of(upper(a)).mean();
        double tu = GroupStats.of(x.data()).mean();
        double uu = GroupStats.of(upper(b)).mean();
        claims.add(4, claim, task, "silhouette of the trained/untrained split " + Fmt.num(sil) + "; mean SVCCA"
                + " distance trained × trained " + Fmt.num(tt) + ", trained × untrained " + Fmt.num(tu)
                + ", untrained × untrained " + Fmt.num(uu), "silhouette > 0 and trained × untrained > trained ×"
                + " trained", !Double.isFinite(sil) ? Claims.NO_DATA : sil > 0 && tu > tt ? Claims.SUPPORTED
                        : Claims.NOT);
    }

    private static double[] upper(DistanceMatrix m) {
        int n = m.rows();
        double[] v = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                v[k++] = m.get(i, j);
            }
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------- dynamics

    private void dynamics(String task, List<Manifest.Entry> trained) throws IOException {
        html.h3("Dynamics: fixed points, topology, linearisation");
        Path dir = data.dynamicsDir(task);
        List<Manifest.Entry> done = trained.stream().filter(e -> data.analysed(task, "trained", e.id()).isPresent())
                .toList();
        if (done.isEmpty()) {
            html.missing("No dynamics for this task: no trained network has dynamics/" + task + "/trained/<id>/"
                    + "analysis.json (run rnnatlas dynamics STORE).");
            return;
        }
        for (Manifest.Entry e : trained) {
            if (!done.contains(e)) {
                exclusions.add(List.of(task, e.id(), "dynamics", "not analysed (no analysis.json)"));
            }
        }
        Map<String, Object> first = StoreData.map(data.analysed(task, "trained", done.get(0).id()).orElseThrow()
                .resolve("analysis.json")).orElse(Map.of());
        html.p(done.size() + " of " + trained.size() + " trained networks analysed. Fixed-point finder settings: "
                + settings(first.get("finder_options")) + ".");
        fixedPointTable(task, done);
        for (String name : data.squareMatrices(dir, "topology_")) {
            DistanceMatrix m = data.matrix(dir, name).orElseThrow();
            Map<String, Object> ex = StoreData.obj(m.metadata().get("excluded"));
            ex.forEach((id, why) -> exclusions.add(List.of(task, id, name.replace('_', ' '), String.valueOf(why))));
            if (!ex.isEmpty()) {
                html.p(metricTitle(name) + ": " + Fmt.count(ex.size(), "network") + " excluded (modal topology shape "
                        + m.metadata().get("modal_shape") + "); see the exclusions table.");
            }
            distancePanels(task, "topology", dir, name, m, metricTitle(name));
        }
        if (task.equals("flipflop")) {
            scaffoldClaim(task, done);
        }
        if (task.equals("sine")) {
            sineFrequency(task, done);
            sineClaim(task, done);
        }
        if (task.equals("sine") || task.equals("cdi")) {
            eigenvalues(task, done);
        }
        if (task.equals("cdi")) {
            cdiModes(task, done);
            cdiClaim(task, done);
        }
    }

    /**
     * Fig. 1's scaffold: a network has it when it has exactly 8 stable fixed points whose readouts carry the 8
     * distinct sign patterns of {±1}³ (the corners) and at least one saddle with one unstable dimension.
     */
    private void scaffoldClaim(String task, List<Manifest.Entry> done) throws IOException {
        Map<String, int[]> byType = new LinkedHashMap<>();
        int networks = 0;
        for (Manifest.Entry e : done.stream().sorted(Comparator.comparingInt((Manifest.Entry e) ->
                Palette.activationRank(e.activation())).thenComparingInt(e -> Palette.cellRank(e.cell()))).toList()) {
            Map<String, Object> fpj = StoreData.map(data.analysed(task, "trained", e.id()).orElseThrow()
                    .resolve("fixed_points.json")).orElse(Map.of());
            java.util.Set<String> corners = new java.util.HashSet<>();
            int stable = 0;
            int saddles1 = 0;
            for (Map<String, Object> p : StoreData.list(fpj.get("fixed_points"))) {
                int dims = (int) StoreData.num(p.get("unstable_dims"));
                if (dims == 0) {
                    stable++;
                    StringBuilder sign = new StringBuilder();
                    for (double y : StoreData.doubles(p.get("readout"))) {
                        sign.append(y > 0 ? '+' : '-');
                    }
                    corners.add(sign.toString());
                } else if (dims == 1) {
                    saddles1++;
                }
            }
            boolean scaffold = stable == 8 && corners.size() == 8 && saddles1 > 0;
            int[] c = byType.computeIfAbsent(e.cell() + " " + e.activation(), k -> new int[2]);
            c[0] += scaffold ? 1 : 0;
            c[1]++;
            networks += scaffold ? 1 : 0;
        }
        int types = (int) byType.values().stream().filter(c -> c[0] > 0).count();
        List<String> missing = byType.entrySet().stream().filter(en -> en.getValue()[0] == 0).map(Map.Entry::getKey)
                .toList();
        claims.add(5, "Every flip-flop network type has the 8-corner scaffold: 8 stable points at the corners with"
                + " saddles between them (Fig. 1)", task, networks + " of " + done.size() + " networks, " + types
                + " of " + byType.size() + " types (architecture × activation)" + (missing.isEmpty() ? ""
                : "; no network with it: " + String.join(", ", missing)), "per network: exactly 8 stable points"
                + " whose readouts have the 8 sign patterns of {±1}³, and ≥ 1 saddle with 1 unstable dimension;"
                + " per type: ≥ 1 such network", Claims.fraction(types, byType.size()));
    }

    /** Fig. 2: per network, whether the linear frequency follows the command frequency across conditions. */
    private void sineClaim(String task, List<Manifest.Entry> done) throws IOException {
        int tracking = 0;
        int total = 0;
        List<String> not = new ArrayList<>();
        List<Double> rs = new ArrayList<>();
        for (Manifest.Entry e : done) {
            Optional<Map<String, Object>> l = StoreData.map(data.analysed(task, "trained", e.id()).orElseThrow()
                    .resolve("linear.json"));
            if (l.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> conds = StoreData.list(l.get().get("conditions"));
            double[] w = new double[conds.size()];
            double[] f = new double[conds.size()];
            double sum = 0;
            double err = 0;
            int pairs = 0;
            for (int i = 0; i < conds.size(); i++) {
                w[i] = StoreData.num(conds.get(i).get("command_frequency"));
                f[i] = Boolean.TRUE.equals(conds.get(i).get("has_complex_pair"))
                        ? StoreData.num(conds.get(i).get("linear_frequency")) : Double.NaN;
                if (Double.isFinite(f[i])) {
                    sum += w[i];
                    err += Math.abs(f[i] - w[i]);
                    pairs++;
                }
            }
            total++;
            double r = Claims.pearson(w, f);
            rs.add(r);
            // tracks: strongly correlated, off by under 20% of the mean command frequency, and a pair on most inputs
            boolean ok = r >= 0.9 && pairs > 0 && err / pairs <= 0.2 * (sum / pairs) && 2 * pairs > conds.size();
            if (ok) {
                tracking++;
            } else {
                not.add(e.cell() + " " + e.activation() + " s" + e.seed() + " (r " + Fmt.num(r) + ", " + pairs + "/"
                        + conds.size() + " inputs with a complex pair)");
            }
        }
        claims.add(6, "The linear frequency at each input's fixed point tracks the command frequency (Fig. 2)",
                task, total == 0 ? "no linear.json" : tracking + " of " + total + " networks; median Pearson r "
                        + Fmt.num(median(rs)) + (not.isEmpty() ? "" : "; not tracking: " + String.join(", ", not)),
                "per network: r(f, ω) ≥ 0.9, mean |f − ω| ≤ 0.2 × mean ω, a complex pair on most inputs; verdict by"
                        + " majority", Claims.majority(tracking, total));
    }

    /** Fig. 3: line attractors (top |λ| near 1) whose full-mode response integrates (near 1). */
    private void cdiClaim(String task, List<Manifest.Entry> done) throws IOException {
        List<Double> top = new ArrayList<>();
        List<Double> full = new ArrayList<>();
        Map<String, List<Double>> topByCell = new TreeMap<>(Comparator.comparingInt(Palette::cellRank)
                .thenComparing(Comparator.naturalOrder()));
        for (Manifest.Entry e : done) {
            Optional<Map<String, Object>> l = StoreData.map(data.analysed(task, "trained", e.id()).orElseThrow()
                    .resolve("linear.json"));
            for (Map<String, Object> c : l.map(m -> StoreData.list(m.get("contexts"))).orElse(List.of())) {
                for (double v : StoreData.doubles(c.get("top_modulus"))) {
                    top.add(v);
                    topByCell.computeIfAbsent(e.cell(), k -> new ArrayList<>()).add(v);
                }
                for (double v : StoreData.doubles(c.get("full_response"))) {
                    full.add(v);
                }
            }
        }
        double t = median(top);
        double f = median(full);
        boolean line = Math.abs(t - 1) <= 0.05;
        boolean integrates = Math.abs(f - 1) <= 0.25;
        String perCell = topByCell.entrySet().stream().map(en -> en.getKey() + " " + Fmt.num(median(en.getValue())))
                .collect(Collectors.joining(", "));
        claims.add(7, "CDI networks integrate on line attractors: top |λ| ≈ 1 at the fixed points, and the mode"
                + " ablation ends near 1 when every mode is kept (Fig. 3)", task, top.isEmpty() ? "no fixed points"
                        + " in linear.json" : "median top |λ| " + Fmt.num(t) + " (" + perCell + "); median full-mode"
                        + " response " + Fmt.num(f) + " over " + full.size() + " fixed points",
                "|median top |λ| − 1| ≤ 0.05 and |median full response − 1| ≤ 0.25; one of the two: partly",
                top.isEmpty() ? Claims.NO_DATA : line && integrates ? Claims.SUPPORTED : line || integrates
                        ? Claims.PARTLY : Claims.NOT);
    }

    /** Per architecture: fixed-point counts and the task's linear-analysis numbers. */
    private void fixedPointTable(String task, List<Manifest.Entry> done) throws IOException {
        Map<String, List<Map<String, Object>>> byCell = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> linear = new LinkedHashMap<>();
        for (Manifest.Entry e : done.stream().sorted(Comparator.comparingInt(e -> Palette.cellRank(e.cell())))
                .toList()) {
            Path d = data.analysed(task, "trained", e.id()).orElseThrow();
            byCell.computeIfAbsent(e.cell(), c -> new ArrayList<>()).add(StoreData.map(d.resolve("analysis.json"))
                    .orElseThrow());
            StoreData.map(d.resolve("linear.json")).ifPresent(l -> linear.computeIfAbsent(e.cell(),
                    c -> new ArrayList<>()).add(l));
        }
        List<String> header = new ArrayList<>(List.of("architecture", "networks", "fixed points (mean ± s.e.)",
                "stable (mean ± s.e.)", "networks with saddles of 1 / 2 / 3 unstable dims"));
        if (task.equals("flipflop")) {
            header.add("networks with exactly 8 stable points");
        } else if (task.equals("sine")) {
            header.add("mean |linear − command frequency| (cycles/step, mean ± s.e.)");
        } else if (task.equals("cdi")) {
            header.add("median top |λ| (line attractor: near 1)");
            header.add("median full-mode response (integrator: 1)");
        }
        List<List<String>> rows = new ArrayList<>();
        for (var en : byCell.entrySet()) {
            List<Map<String, Object>> as = en.getValue();
            double[] fps = as.stream().mapToDouble(a -> StoreData.num(a.get("fixed_points"))).toArray();
            double[] stable = as.stream().mapToDouble(a -> StoreData.num(a.get("stable_fixed_points"))).toArray();
            int[] saddles = new int[4];
            int eight = 0;
            for (Map<String, Object> a : as) {
                Map<String, Object> h = StoreData.obj(a.get("unstable_dims_histogram"));
                for (int d = 1; d <= 3; d++) {
                    if (StoreData.num(h.get(String.valueOf(d))) > 0) {
                        saddles[d]++;
                    }
                }
                if (StoreData.num(a.get("stable_fixed_points")) == 8) {
                    eight++;
                }
            }
            List<String> r = new ArrayList<>(List.of(en.getKey(), String.valueOf(as.size()), meanSe(fps),
                    meanSe(stable), saddles[1] + " / " + saddles[2] + " / " + saddles[3]));
            List<Map<String, Object>> lin = linear.getOrDefault(en.getKey(), List.of());
            if (task.equals("flipflop")) {
                r.add(eight + " of " + as.size());
            } else if (task.equals("sine")) {
                r.add(lin.isEmpty() ? "no linear.json" : meanSe(lin.stream().mapToDouble(l -> StoreData.num(
                        l.get("mean_absolute_error"))).toArray()));
            } else if (task.equals("cdi")) {
                List<Double> top = new ArrayList<>();
                List<Double> full = new ArrayList<>();
                for (Map<String, Object> l : lin) {
                    for (Map<String, Object> c : StoreData.list(l.get("contexts"))) {
                        for (double v : StoreData.doubles(c.get("top_modulus"))) {
                            top.add(v);
                        }
                        for (double v : StoreData.doubles(c.get("full_response"))) {
                            full.add(v);
                        }
                    }
                }
                r.add(lin.isEmpty() ? "no linear.json" : Fmt.num(median(top)));
                r.add(lin.isEmpty() ? "no linear.json" : Fmt.num(median(full)));
            }
            rows.add(r);
        }
        html.table(header, rows);
    }

    private static String meanSe(double[] v) {
        GroupStats.MeanSe m = GroupStats.of(v);
        return Fmt.num(m.mean()) + (Double.isFinite(m.standardError()) ? " ± " + Fmt.num(m.standardError()) : "");
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().filter(Double::isFinite).sorted().toList();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private Map<String, List<Map<String, Object>>> linearByCell(String task, List<Manifest.Entry> done)
            throws IOException {
        Map<String, List<Map<String, Object>>> out = new TreeMap<>(Comparator.comparingInt(Palette::cellRank)
                .thenComparing(Comparator.naturalOrder()));
        for (Manifest.Entry e : done) {
            Optional<Map<String, Object>> l = StoreData.map(data.analysed(task, "trained", e.id()).orElseThrow()
                    .resolve("linear.json"));
            if (l.isPresent()) {
                out.computeIfAbsent(e.cell(), c -> new ArrayList<>()).add(l.get());
            }
        }
        return out;
    }

    /** Fig. 2: linear frequency at the fixed points vs command frequency, per architecture and per activation. */
    private void sineFrequency(String task, List<Manifest.Entry> done) throws IOException {
        Map<String, List<Map<String, Object>>> byCell = linearByCell(task, done);
        if (byCell.isEmpty()) {
            html.missing("No linear.json for the sine networks: the linearised frequency analysis is missing.");
            return;
        }
        Map<String, List<Map<String, Object>>> byAct = new TreeMap<>();
        for (Manifest.Entry e : done) {
            StoreData.map(data.analysed(task, "trained", e.id()).orElseThrow().resolve("linear.json"))
                    .ifPresent(l -> byAct.computeIfAbsent(e.activation(), a -> new ArrayList<>()).add(l));
        }
        List<Figure> panels = new ArrayList<>();
        panels.add(Figure.of(frequencyChart("per architecture", byCell, true)));
        panels.add(Figure.of(frequencyChart("per activation", byAct, false)));
        emit(Figure.grid(2, panels), task + "-linear-frequency", "Linear frequency vs command frequency",
                "For each condition input, f = |arg λ|/2π of the dominant complex eigenvalue pair of the Jacobian at"
                        + " the condition's fixed point (linear.json), mean ± standard error over the networks of"
                        + " each group; conditions without a complex pair are left out of the mean. Dashed: f = ω."
                        + " Both axes in cycles per time step.");
    }

    private XYChart frequencyChart(String title, Map<String, List<Map<String, Object>>> groups, boolean cells) {
        XYChart c = Charts.xy("Linear frequency, " + title, "command frequency ω (cycles/step)",
                "linear frequency f (cycles/step)", 760, 600);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (var g : groups.entrySet()) {
            TreeMap<Double, List<Double>> byCommand = new TreeMap<>();
            for (Map<String, Object> l : g.getValue()) {
                for (Map<String, Object> cond : StoreData.list(l.get("conditions"))) {
                    double w = StoreData.num(cond.get("command_frequency"));
                    double f = Boolean.TRUE.equals(cond.get("has_complex_pair"))
                            ? StoreData.num(cond.get("linear_frequency")) : Double.NaN;
                    byCommand.computeIfAbsent(w, k -> new ArrayList<>()).add(f);
                }
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> es = new ArrayList<>();
            for (var b : byCommand.entrySet()) {
                GroupStats.MeanSe m = GroupStats.of(b.getValue());
                if (Double.isFinite(m.mean())) {
                    xs.add(b.getKey());
                    ys.add(m.mean());
                    es.add(Double.isFinite(m.standardError()) ? m.standardError() : 0);
                    lo = Math.min(lo, b.getKey());
                    hi = Math.max(hi, b.getKey());
                }
            }
            if (!xs.isEmpty()) {
                Color col = cells ? Palette.cell(g.getKey()) : Palette.activation(g.getKey());
                Charts.errorBars(c, g.getKey() + " (" + Fmt.count(g.getValue().size(), "network") + ")",
                        xs.stream().mapToDouble(Double::doubleValue).toArray(),
                        ys.stream().mapToDouble(Double::doubleValue).toArray(),
                        es.stream().mapToDouble(Double::doubleValue).toArray(), col,
                        cells ? SeriesMarkers.CIRCLE : Palette.activationMarker(g.getKey()));
            }
        }
        if (hi > lo) {
            Charts.dashed(c, "f = ω", new double[] {lo, hi}, new double[] {lo, hi}, Palette.REFERENCE, true);
        }
        c.getStyler().setErrorBarsColorSeriesColor(true);
        return c;
    }

    /** Every fixed point's eigenvalues on the complex plane with the unit circle, by architecture. */
    private void eigenvalues(String task, List<Manifest.Entry> done) throws IOException {
        // legend below, so the plot area is close to square and the unit circle looks round
        XYChart c = Charts.xy("Eigenvalues of the linearisations", "Re λ", "Im λ", 760, 800);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        Map<String, List<double[]>> byCell = new TreeMap<>(Comparator.comparingInt(Palette::cellRank)
                .thenComparing(Comparator.naturalOrder()));
        int points = 0;
        for (Manifest.Entry e : done) {
            Map<String, Object> fpj = StoreData.map(data.analysed(task, "trained", e.id()).orElseThrow()
                    .resolve("fixed_points.json")).orElse(Map.of());
            for (Map<String, Object> p : StoreData.list(fpj.get("fixed_points"))) {
                double[] re = StoreData.doubles(p.get("eigenvalues_real"));
                double[] im = StoreData.doubles(p.get("eigenvalues_imag"));
                points++;
                for (int i = 0; i < Math.min(re.length, im.length); i++) {
                    byCell.computeIfAbsent(e.cell(), k -> new ArrayList<>()).add(new double[] {re[i], im[i]});
                }
            }
        }
        if (byCell.isEmpty()) {
            html.missing("No fixed points with eigenvalues in this task's dynamics.");
            return;
        }
        double r = 1.05;
        int cap = 6000; // per architecture: keeps the SVG small; a deterministic stride, not a random subsample
        for (var en : byCell.entrySet()) {
            List<double[]> l = en.getValue();
            int stride = Math.max(1, (l.size() + cap - 1) / cap);
            List<double[]> kept = new ArrayList<>();
            for (int i = 0; i < l.size(); i += stride) {
                kept.add(l.get(i));
                r = Math.max(r, Math.hypot(l.get(i)[0], l.get(i)[1]) * 1.05);
            }
            Charts.scatter(c, en.getKey() + (stride > 1 ? " (every " + stride + "th)" : ""),
                    kept.stream().mapToDouble(v -> v[0]).toArray(), kept.stream().mapToDouble(v -> v[1]).toArray(),
                    Palette.cell(en.getKey()), SeriesMarkers.CIRCLE, true);
        }
        double[] cx = new double[361];
        double[] cy = new double[361];
        for (int i = 0; i <= 360; i++) {
            cx[i] = Math.cos(Math.toRadians(i));
            cy[i] = Math.sin(Math.toRadians(i));
        }
        Charts.line(c, "unit circle", cx, cy, Palette.REFERENCE, 1.5f, true);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setXAxisMin(-r);
        c.getStyler().setXAxisMax(r);
        c.getStyler().setYAxisMin(-r);
        c.getStyler().setYAxisMax(r);
        emit(Figure.of(c), task + "-eigenvalues", "Eigenvalues on the complex plane",
                "Eigenvalues λ of the Jacobian ∂F/∂s at every fixed point (" + points + " points of " + done.size()
                        + " networks; fixed_points.json), by architecture; outside the unit circle (grey) means"
                        + " unstable.");
    }

    /** Fig. 3: sorted eigenvalue spectra and mode-ablation curves per architecture. */
    private void cdiModes(String task, List<Manifest.Entry> done) throws IOException {
        Map<String, List<Map<String, Object>>> byCell = linearByCell(task, done);
        if (byCell.isEmpty()) {
            html.missing("No linear.json for the CDI networks: spectra and mode ablation are missing.");
            return;
        }
        XYChart spec = Charts.xy("Sorted eigenvalue spectra", "mode rank (sorted by |λ|)", "|λ| (modulus)", 760, 600);
        XYChart abl = Charts.xy("Mode ablation", "slowest modes kept, k",
                "readout response to a unit pulse after T steps", 760, 600);
        int steps = 0;
        double[] specMax = {-1};
        double[] ablMax = {-1};
        for (var en : byCell.entrySet()) {
            List<double[]> spectra = new ArrayList<>();
            List<double[]> ablations = new ArrayList<>();
            for (Map<String, Object> l : en.getValue()) {
                steps = (int) StoreData.num(l.get("steps"));
                List<double[]> s = new ArrayList<>();
                List<double[]> a = new ArrayList<>();
                for (Map<String, Object> ctx : StoreData.list(l.get("contexts"))) {
                    double[] sp = StoreData.doubles(ctx.get("mean_spectrum"));
                    double[] ab = StoreData.doubles(ctx.get("mean_ablation"));
                    if (sp.length > 0) {
                        s.add(sp);
                    }
                    if (ab.length > 0) {
                        a.add(ab);
                    }
                }
                if (!s.isEmpty()) {
                    spectra.add(means(truncate(s)));
                }
                if (!a.isEmpty()) {
                    ablations.add(means(truncate(a)));
                }
            }
            specMax[0] = Math.max(specMax[0], addMeanSe(spec, en.getKey(), spectra, 1));
            ablMax[0] = Math.max(ablMax[0], addMeanSe(abl, en.getKey(), ablations, 0));
        }
        if (specMax[0] < 0 && ablMax[0] < 0) {
            html.missing("The CDI networks' linear.json lists no fixed point on either context: no spectra.");
            return;
        }
        List<Figure> panels = new ArrayList<>();
        if (specMax[0] >= 0) {
            Charts.dashed(spec, "|λ| = 1", new double[] {1, specMax[0]}, new double[] {1, 1}, Palette.REFERENCE,
                    true);
            panels.add(Figure.of(spec));
        }
        if (ablMax[0] >= 0) {
            Charts.dashed(abl, "ideal integrator", new double[] {0, ablMax[0]}, new double[] {1, 1},
                    Palette.REFERENCE, true);
            panels.add(Figure.of(abl));
        }
        emit(Figure.grid(2, panels), task + "-modes", "Eigenvalue spectra and mode ablation",
                "From linear.json: per network, the sorted |λ| and the ablation curve averaged over the fixed points"
                        + " of each context and then over contexts; lines are means over networks of each"
                        + " architecture, error bars ± standard error (networks of one architecture are cut to"
                        + " their shortest curve). Ablation: the readout's linear response to a unit pulse on the"
                        + " cued stream after T = " + steps + " steps keeping the k slowest modes (conjugate pairs"
                        + " whole); an ideal integrator gives 1.");
    }

    private static List<double[]> truncate(List<double[]> rows) {
        int len = rows.stream().mapToInt(r -> r.length).min().orElse(0);
        return rows.stream().map(r -> java.util.Arrays.copyOf(r, len)).toList();
    }

    private static double[] means(List<double[]> rows) {
        return java.util.Arrays.stream(GroupStats.elementwise(rows)).mapToDouble(GroupStats.MeanSe::mean).toArray();
    }

    /** Adds the mean ± s.e. curve; returns its largest x, or −1 when there is nothing to draw. */
    private static double addMeanSe(XYChart c, String cell, List<double[]> rows, int firstX) {
        if (rows.isEmpty() || truncate(rows).get(0).length == 0) {
            return -1;
        }
        GroupStats.MeanSe[] m = GroupStats.elementwise(truncate(rows));
        double[] x = new double[m.length];
        double[] y = new double[m.length];
        double[] e = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            x[i] = firstX + i;
            y[i] = m[i].mean();
            e[i] = Double.isFinite(m[i].standardError()) ? m[i].standardError() : 0;
        }
        Charts.errorBars(c, cell + " (" + rows.size() + ")", x, y, e, Palette.cell(cell), SeriesMarkers.NONE);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        return x[x.length - 1];
    }

    // ---------------------------------------------------------------------------------------------- losses

    /** Appendix C: final training loss per configuration. */
    private void lossHistograms(String task, List<Manifest.Entry> trained) throws IOException {
        html.h3("Training");
        Map<String, List<Double>> byConfig = new LinkedHashMap<>();
        Map<String, String> cellOf = new LinkedHashMap<>();
        for (Manifest.Entry e : trained.stream().sorted(Comparator.comparingInt((Manifest.Entry e) ->
                Palette.activationRank(e.activation())).thenComparingInt(e -> Palette.cellRank(e.cell()))).toList()) {
            Path f = data.store.networkDir(e.id()).resolve("loss.npy");
            if (!Files.exists(f)) {
                continue;
            }
            double[] loss = Npy.read(f).data();
            int tail = Math.max(1, loss.length / 100);
            double sum = 0;
            int n = 0;
            for (int i = loss.length - tail; i < loss.length; i++) {
                if (Double.isFinite(loss[i])) {
                    sum += loss[i];
                    n++;
                }
            }
            if (n > 0 && sum > 0) {
                String config = e.cell() + " " + e.activation() + " n" + e.units() + " L2 " + Fmt.num(e.l2());
                byConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(Math.log10(sum / n));
                cellOf.put(config, e.cell());
            }
        }
        if (byConfig.isEmpty()) {
            html.missing("No loss.npy for the trained networks of this task.");
            return;
        }
        double lo = byConfig.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min()
                .orElseThrow();
        double hi = byConfig.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max()
                .orElseThrow();
        double[] edges = Charts.edges(lo, hi, 12);
        List<Figure> panels = new ArrayList<>();
        for (var en : byConfig.entrySet()) {
            XYChart c = Charts.xy(en.getKey(), "log10 final training MSE", "networks", 460, 340);
            c.getStyler().setChartTitleFont(new java.awt.Font(Charts.SANS, java.awt.Font.BOLD, 15));
            c.getStyler().setLegendVisible(false);
            double[] v = en.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Charts.histogram(c, en.getKey(), edges, Charts.counts(v, edges), Palette.cell(cellOf.get(en.getKey())),
                    false);
            panels.add(Figure.of(c));
        }
        emit(Figure.grid(4, panels), task + "-loss", "Final training loss per configuration",
                "Histogram of log10 of each trained network's training MSE (without the L2 term) averaged over the"
                        + " last 1% of its iterations (loss.npy), one panel per configuration, shared bins; "
                        + data.manifest.spec().iterations() + " iterations. Diverged networks are listed in the"
                        + " exclusions table instead.");
    }

    // ---------------------------------------------------------------------------------------------- summary

    private void summarySection() {
        html.h2("claims", "The paper's claims in this store");
        if (claims.rows().isEmpty()) {
            html.missing("No trained network in the store, so no claim can be checked.");
        } else {
            html.p("Each row is one of the paper's findings, the number from this store that bears on it, the rule"
                    + " that turns the number into a verdict, and the verdict. A small or briefly trained population"
                    + " may not show a finding; the verdict then says so rather than hiding it.");
            html.table(List.of("claim (paper)", "task", "this store", "rule", "verdict"),
                    claims.rows().stream().map(Claims.Row::cells).toList());
        }
        html.h2("summary", "Summary: does each distance cluster by architecture?");
        if (clustering.isEmpty()) {
            html.missing("No distance matrices in the store, so no clustering numbers.");
        } else {
            html.p("The paper's claim: representational geometry (SVCCA, CKA) clusters by architecture and activation,"
                    + " while the fixed-point topology is shared across architectures. Within/between ratio: mean"
                    + " distance between networks of the same group over mean distance between networks of"
                    + " different groups (below 1 = clustered, about 1 = not). Silhouette: mean over networks, from"
                    + " −1 to 1 (above 0 = closer to its own group). n/a when a grouping has a single group.");
            html.table(List.of("task", "kind", "distance", "networks", "within/between, architecture",
                    "silhouette, architecture", "within/between, activation", "silhouette, activation"), clustering);
        }
        html.h2("exclusions", "Excluded networks");
        if (exclusions.isEmpty()) {
            html.p("No network was excluded from any analysis.");
        } else {
            html.table(List.of("task", "network", "left out of", "reason"), exclusions);
        }
    }

    /** Renders {@code value} as JSON for captions that quote a settings object verbatim. */
    static String json(Object value) {
        try {
            return Json.write(value);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}

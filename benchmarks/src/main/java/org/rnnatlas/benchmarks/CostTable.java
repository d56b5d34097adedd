package org.rnnatlas.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The paper-scale cost table: core-hours per task for training, fixed-point analysis and all-pairs distances, computed
 * from measured figures only.
 *
 * <ul>
 *   <li><b>Training</b>: seconds per iteration per (task, cell, units, activation) from the JSON output of
 *       {@link TrainingIterationBenchmark} (one thread). A configuration's activation missing from the file takes the
 *       other activation's figure, and the table says so. Cost = configurations × L2 values × seeds × iterations ×
 *       seconds per iteration, plus, per search trial, configurations × L2 values × search iterations × seconds per
 *       iteration.</li>
 *   <li><b>Dynamics</b>: CPU seconds per trained network (finder + linearisation + topology, from each analysis's
 *       {@code run.json}) averaged per (task, cell, units) over the stores given. A size absent from the stores is
 *       scaled from a measured size by the ratio of {@link org.rnnatlas.benchmarks.dynamics.FixedPointBenchmark}
 *       times for that cell when its JSON is given; otherwise it is reported as not measured.</li>
 *   <li><b>All pairs</b>: the single-shot time of {@link org.rnnatlas.benchmarks.geometry.AllPairsBenchmark} per
 *       metric, times its thread count (core-seconds), for one square matrix; a run with fewer networks than the
 *       study is scaled by the ratio of pair counts (an over-estimate, since preparation grows only linearly).</li>
 * </ul>
 *
 * <pre>
 * HOW TO RUN (after the benchmarks it reads, see README "Paper-scale cost")
 *   $JAVA_HOME/bin/java -cp benchmarks/target/benchmarks.jar org.rnnatlas.benchmarks.CostTable \
 *       --training training.json [--finder finder.json] [--dynamics STORE]... [--allpairs allpairs.json]... \
 *       [--seeds 30] [--iterations 20000] [--search-trials 0] [--search-iterations 0] [--networks 2880]
 * </pre>
 */
public final class CostTable {

    private static final List<String> CELLS = List.of("vanilla", "ugrnn", "gru", "lstm");
    private static final List<String> ACTIVATIONS = List.of("tanh", "relu");
    private static final List<Integer> UNITS = List.of(64, 128, 256);
    private static final List<String> TASKS = List.of("flipflop", "sine", "cdi");
    private static final int L2_VALUES = 4;

    private final Map<String, Double> secondsPerIteration = new TreeMap<>(); // task|cell|units|activation
    private final Map<String, Double> finderSeconds = new TreeMap<>();       // cell|units
    private final Map<String, double[]> dynamicsSeconds = new TreeMap<>();   // task|cell|units -> {sum, count}
    private final Map<String, double[]> allPairs = new LinkedHashMap<>();     // metric -> {core-seconds, networks}
    private int seeds = 30;
    private int iterations = 20_000;
    private int searchTrials = 0;
    private int searchIterations = 0;
    private int networks = 2_880;
    private final List<String> notes = new ArrayList<>();

    private CostTable() {
    }

    public static void main(String[] args) throws IOException {
        CostTable t = new CostTable();
        ObjectMapper json = new ObjectMapper();
        boolean training = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: CostTable --training training.json [--finder finder.json]"
                        + " [--dynamics STORE]... [--allpairs allpairs.json]... [--seeds N] [--iterations N]"
                        + " [--search-trials N] [--search-iterations N] [--networks N]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value; see --help");
            }
            String v = args[++i];
            switch (a) {
                case "--training" -> {
                    t.readTraining(json.readTree(Path.of(v).toFile()));
                    training = true;
                }
                case "--finder" -> t.readFinder(json.readTree(Path.of(v).toFile()));
                case "--dynamics" -> t.readDynamics(json, Path.of(v));
                case "--allpairs" -> t.readAllPairs(json.readTree(Path.of(v).toFile()));
                case "--seeds" -> t.seeds = positive(a, v);
                case "--iterations" -> t.iterations = positive(a, v);
                case "--search-trials" -> t.searchTrials = Integer.parseInt(v);
                case "--search-iterations" -> t.searchIterations = Integer.parseInt(v);
                case "--networks" -> t.networks = positive(a, v);
                default -> throw new IllegalArgumentException("Unknown option '" + a + "'. Allowed: --training,"
                        + " --finder, --dynamics, --allpairs, --seeds, --iterations, --search-trials,"
                        + " --search-iterations, --networks");
            }
        }
        if (!training) {
            throw new IllegalArgumentException("--training FILE is required: the JSON of TrainingIterationBenchmark"
                    + " (-rf json -rff FILE)");
        }
        t.print(System.out);
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
        return n;
    }

    private void readTraining(JsonNode results) {
        for (JsonNode r : results) {
            if (!r.path("benchmark").asText().endsWith("TrainingIterationBenchmark.iteration")) {
                continue;
            }
            JsonNode p = r.path("params");
            String task = p.path("task").asText("flipflop");
            double opsPerSecond = r.path("primaryMetric").path("score").asDouble();
            if (!"ops/s".equals(r.path("primaryMetric").path("scoreUnit").asText())) {
                throw new IllegalArgumentException("expected TrainingIterationBenchmark in ops/s (throughput mode)");
            }
            secondsPerIteration.put(key(task, p.path("cell").asText(), p.path("units").asInt(),
                    p.path("activation").asText()), 1.0 / opsPerSecond);
        }
    }

    private void readFinder(JsonNode results) {
        for (JsonNode r : results) {
            if (!r.path("benchmark").asText().endsWith("FixedPointBenchmark.find")) {
                continue;
            }
            JsonNode p = r.path("params");
            if (p.has("trainIterations") && p.path("trainIterations").asInt() != 0) {
                continue; // the size ratio is taken on untrained networks, measured at every size alike
            }
            if (p.has("store") && !p.path("store").asText().isEmpty() && !p.path("store").asText().equals("none")) {
                continue;
            }
            finderSeconds.put(p.path("cell").asText() + "|" + p.path("units").asInt(),
                    r.path("primaryMetric").path("score").asDouble());
        }
    }

    private void readDynamics(ObjectMapper json, Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            throw new IllegalArgumentException("--dynamics " + store + " is not a folder (a store, or a folder of"
                    + " stores such as demo-store)");
        }
        List<Path> runs;
        try (Stream<Path> s = Files.walk(store)) {
            runs = s.filter(f -> f.getFileName().toString().equals("run.json")
                    && f.getParent().getParent() != null
                    && f.getParent().getParent().getFileName().toString().equals("trained")
                    && f.toString().contains("/dynamics/")).sorted().toList();
        }
        for (Path run : runs) {
            String id = run.getParent().getFileName().toString();
            Path dynamicsDir = run.getParent().getParent().getParent().getParent(); // <store>/dynamics
            Path network = dynamicsDir.getParent().resolve("networks").resolve(id).resolve("network.json");
            if (!Files.isRegularFile(network)) {
                continue;
            }
            JsonNode n = json.readTree(network.toFile());
            JsonNode r = json.readTree(run.toFile());
            double cpu = r.path("cpu_seconds_finder").asDouble() + r.path("cpu_seconds_linearisation").asDouble();
            for (JsonNode v : r.path("cpu_seconds_topology")) {
                cpu += v.asDouble();
            }
            double[] acc = dynamicsSeconds.computeIfAbsent(n.path("task").asText() + "|" + n.path("cell").asText()
                    + "|" + n.path("units").asInt(), k -> new double[2]);
            acc[0] += cpu;
            acc[1]++;
        }
    }

    private void readAllPairs(JsonNode results) {
        for (JsonNode r : results) {
            JsonNode p = r.path("params");
            if (!r.path("benchmark").asText().endsWith("AllPairsBenchmark.matrix")
                    || p.path("metric").asText().equals("features")) {
                continue; // 'features' measures the engine's overhead only, not a metric of the study
            }
            double seconds = r.path("primaryMetric").path("score").asDouble();
            String unit = r.path("primaryMetric").path("scoreUnit").asText();
            if (!unit.equals("s/op")) {
                throw new IllegalArgumentException("expected AllPairsBenchmark in s/op, got " + unit);
            }
            allPairs.put(p.path("metric").asText(), new double[] {seconds * p.path("threads").asInt(1),
                    p.path("networks").asInt()});
        }
    }

    private static String key(String task, String cell, int units, String activation) {
        return task + "|" + cell + "|" + units + "|" + activation;
    }

    private Double perIteration(String task, String cell, int units, String activation) {
        Double s = secondsPerIteration.get(key(task, cell, units, activation));
        if (s == null) {
            for (String other : ACTIVATIONS) {
                s = secondsPerIteration.get(key(task, cell, units, other));
                if (s != null) {
                    String note = activation + " takes the " + other + " figure (not measured separately)";
                    if (!notes.contains(note)) {
                        notes.add(note);
                    }
                    break;
                }
            }
        }
        return s;
    }

    /** Mean dynamics CPU seconds for one trained network, measured or scaled; null when neither is possible. */
    private Double dynamicsPerNetwork(String task, String cell, int units) {
        double[] acc = dynamicsSeconds.get(task + "|" + cell + "|" + units);
        if (acc != null) {
            return acc[0] / acc[1];
        }
        for (int measured : UNITS) {
            double[] m = dynamicsSeconds.get(task + "|" + cell + "|" + measured);
            Double from = finderSeconds.get(cell + "|" + measured);
            Double to = finderSeconds.get(cell + "|" + units);
            if (m != null && from != null && to != null) {
                String note = "dynamics at " + units + " units scaled from " + measured
                        + " units by FixedPointBenchmark's ratio";
                if (!notes.contains(note)) {
                    notes.add(note);
                }
                return m[0] / m[1] * to / from;
            }
        }
        return null;
    }

    private void print(PrintStream out) {
        int configurations = CELLS.size() * ACTIVATIONS.size() * UNITS.size() * L2_VALUES;
        out.printf(Locale.ROOT, "Paper-scale cost per task: %d configurations (4 cells x 2 activations x 3 sizes x"
                + " %d L2 values) x %d seeds = %,d networks, %,d iterations each%s.%n%n", configurations, L2_VALUES,
                seeds, configurations * seeds, iterations,
                searchTrials > 0 ? String.format(Locale.ROOT, ", after a search of %d trials x %,d iterations per"
                        + " configuration", searchTrials, searchIterations) : "");
        out.println("Seconds per training iteration (batch 64, one core):");
        out.println();
        out.print("| task | cell |");
        for (int u : UNITS) {
            out.print(" N=" + u + " |");
        }
        out.println();
        out.println("|---|---|---|---|---|");
        for (String task : TASKS) {
            for (String cell : CELLS) {
                out.print("| " + task + " | " + cell + " |");
                for (int u : UNITS) {
                    Double s = perIteration(task, cell, u, "tanh");
                    out.print(s == null ? " n/m |" : String.format(Locale.ROOT, " %.4f |", s));
                }
                out.println();
            }
        }
        out.println();
        out.println("Core-hours per task:");
        out.println();
        out.print("| task | training | per search trial | dynamics |");
        for (String m : allPairs.keySet()) {
            out.print(" all pairs, " + m + " |");
        }
        out.println(" total |");
        out.print("|---|---|---|---|");
        allPairs.keySet().forEach(m -> out.print("---|"));
        out.println("---|");
        for (String task : TASKS) {
            double train = 0;
            double trial = 0;
            double dyn = 0;
            boolean trainComplete = true;
            boolean dynComplete = true;
            for (String cell : CELLS) {
                for (String act : ACTIVATIONS) {
                    for (int u : UNITS) {
                        Double s = perIteration(task, cell, u, act);
                        if (s == null) {
                            trainComplete = false;
                        } else {
                            train += (double) L2_VALUES * seeds * iterations * s;
                            trial += (double) L2_VALUES * searchIterations * s;
                        }
                        Double d = dynamicsPerNetwork(task, cell, u);
                        if (d == null) {
                            dynComplete = false;
                        } else {
                            dyn += (double) L2_VALUES * seeds * d;
                        }
                    }
                }
            }
            double pairs = 0;
            StringBuilder row = new StringBuilder("| " + task + " | " + hours(train, trainComplete) + " | "
                    + (searchIterations > 0 ? hours(trial, trainComplete) : "–") + " | " + hours(dyn, dynComplete)
                    + " |");
            for (double[] ap : allPairs.values()) {
                double scaled = ap[0] * ((double) networks * (networks - 1)) / (ap[1] * (ap[1] - 1));
                pairs += scaled;
                row.append(' ').append(hours(scaled, true)).append(" |");
            }
            double total = train + searchTrials * trial + dyn + pairs;
            row.append(' ').append(hours(total, trainComplete && dynComplete)).append(" |");
            out.println(row);
        }
        out.println();
        out.println("n/m: not measured; a figure marked >= lacks some configurations. Notes:");
        for (String n : notes) {
            out.println("- " + n);
        }
        if (dynamicsSeconds.isEmpty()) {
            out.println("- no --dynamics store given: dynamics not counted");
        }
        for (var e : allPairs.entrySet()) {
            if ((int) e.getValue()[1] != networks) {
                out.printf(Locale.ROOT, "- all pairs, %s: measured at %d networks, scaled by the pair count%n",
                        e.getKey(), (int) e.getValue()[1]);
            }
        }
    }

    private static String hours(double seconds, boolean complete) {
        double h = seconds / 3600.0;
        // small entries (all pairs: minutes) keep two significant digits rather than printing as 0.0
        String f = h >= 10 || h == 0 ? String.format(Locale.ROOT, "%,.1f", h)
                : new java.math.BigDecimal(h).round(new java.math.MathContext(2)).toPlainString();
        return (complete ? "" : ">= ") + f;
    }
}

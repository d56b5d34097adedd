package org.rnnatlas.benchmarks.dynamics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnnatlas.core.dynamics.FixedPointFinder;
import org.rnnatlas.core.dynamics.NetworkAnalysis;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.train.Hyperparameters;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.core.train.Optimizer;
import org.rnnatlas.core.train.Trainer;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.Trials;

/**
 * Fixed-point finding for one network (SPEC §5, 1,024 candidates, default options) per cell at 64 and 128 units,
 * single-threaded: one {@link FixedPointFinder#find} call per operation, in seconds per network.
 *
 * <p>By default the networks are <b>untrained</b>: the cell's own initialisation (SPEC §1) from seed 1, tanh, M = 3
 * inputs. With {@code -p trainIterations=N} (N &gt; 0) the {@code @Setup} first trains the network on the 3-bit
 * flip-flop task with the core {@link Trainer} (Adam, rate 0.01 halved every N/2 iterations, batch 64, clip 1) —
 * at N = 1,500 a vanilla or LSTM network of 64 units reaches MSE ≈ 6e-4 and has the 8 stable corners and their
 * saddles; this takes minutes per network on one core, so it is opt-in.
 *
 * <p><b>Trained networks in seconds:</b> {@code -p store=DIR} takes the network of the benchmarked cell from DIR, a
 * folder of network folders as the committed flip-flop scaffold fixture
 * ({@code cli/src/test/resources/org/rnnatlas/cli/scaffold}: {@code <id>/network.json}, {@code <id>/params/*.npy},
 * optionally {@code <id>/task.json} with the task options it was trained with). The states are the ones the network
 * visits on its task's probe trials (as {@code rnnatlas train} stores them, float32), the condition input is the
 * task's first, and the finder runs with the options {@code rnnatlas dynamics} uses for that task
 * ({@link NetworkAnalysis#finderOptions}: SPEC's defaults with the task's defaults, e.g. the region rule and the
 * verified criterion), so one operation is the finder time of {@code dynamics} for that network and condition.
 * Measured on the scaffold fixture (64 units, one thread, {@code -f 1 -wi 1 -i 3}, on the shared 2-core machine at a
 * load average of 5–6, so wall time is inflated): vanilla 0.29, UGRNN 0.95, GRU 1.55, LSTM 1.06 s per network. Trajectory states come from running the
 * network from zero for 100 steps on 32 trials of flip-flop-like inputs (each input channel ±1 with probability
 * 0.05 per step, else 0). Untrained networks have few fixed points, so Newton's share of the time is smaller than
 * on trained ones; the Adam phase, 1,024 batched (step + state VJP) rows per iteration, costs the same.
 *
 * <pre>
 * HOW TO RUN
 *   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
 *       FixedPointBenchmark -t 1 -f 1 -wi 1 -i 3
 *   # one cell/size:  ... FixedPointBenchmark -p cell=gru -p units=64
 *   # trained first:  ... FixedPointBenchmark -p units=64 -p trainIterations=1500
 *   # trained fixture: ... FixedPointBenchmark -p units=64 \
 *   #                      -p store=cli/src/test/resources/org/rnnatlas/cli/scaffold
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FixedPointBenchmark {

    @Param({"vanilla", "ugrnn", "gru", "lstm"})
    public String cell;

    @Param({"64", "128"})
    public int units;

    /** Flip-flop training iterations before the search; 0 (default) leaves the network untrained. */
    @Param({"0"})
    public int trainIterations;

    /**
     * A folder of trained network folders (the scaffold fixture's layout) to take the benchmarked cell's network
     * from; empty (default): a network initialised here.
     */
    @Param({""})
    public String store;

    private FixedPointFinder finder;
    private double[] states;
    private double[] x = new double[3];

    @Setup
    public void setup() {
        if (!store.isEmpty()) {
            try {
                setupStored(Path.of(store));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the network of cell " + cell + " from " + store, e);
            }
            return;
        }
        Cell c = Plugins.classPath().cells().get(cell);
        CellSpec spec = new CellSpec(3, units, Activation.TANH);
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(1);
        double[] p = new double[c.parameterCount(spec)];
        c.initialize(spec, rng, p);
        if (trainIterations > 0) {
            Task task = Plugins.classPath().tasks().get("flipflop");
            Model model = new Model(c, spec, task.shape().outputs());
            float[] fp = model.initialize(RandomGeneratorFactory.of("L64X128MixRandom").create(1));
            Hyperparameters hp = new Hyperparameters(Optimizer.ADAM, 1e-2, 0.5, Math.max(1, trainIterations / 2),
                    0.9, 1.0, 64, trainIterations);
            new Trainer(model, task, Kernels.ops(), 64).train(fp, hp, 0.0,
                    RandomGeneratorFactory.of("L64X128MixRandom").create(2), null);
            for (int i = 0; i < p.length; i++) {
                p[i] = fp[i]; // the cell's blocks come first; the readout after them is not needed here
            }
        }
        int s = c.stateSize(spec);
        int trials = 32;
        int steps = 100;
        states = new double[trials * steps * s];
        double[] st = new double[s];
        double[] next = new double[s];
        double[] in = new double[3];
        double[] scratch = new double[Math.max(1, c.scratchSize(spec))];
        int row = 0;
        for (int t = 0; t < trials; t++) {
            java.util.Arrays.fill(st, 0.0);
            for (int k = 0; k < steps; k++) {
                for (int j = 0; j < 3; j++) {
                    in[j] = rng.nextDouble() < 0.05 ? (rng.nextBoolean() ? 1.0 : -1.0) : 0.0;
                }
                c.step(spec, p, st, in, next, scratch);
                System.arraycopy(next, 0, st, 0, s);
                System.arraycopy(st, 0, states, row++ * s, s);
            }
        }
        finder = new FixedPointFinder(c, spec, p, FixedPointFinder.Options.defaults(Activation.TANH));
    }

    /** The trained network of {@link #cell} with {@link #units} units in {@code dir}, its probe states, its options. */
    private void setupStored(Path dir) throws IOException {
        if (trainIterations > 0) {
            throw new IllegalArgumentException("-p store and -p trainIterations exclude each other");
        }
        List<Path> folders;
        try (var list = Files.list(dir)) {
            folders = list.filter(f -> Files.isRegularFile(f.resolve("network.json"))).sorted().toList();
        }
        NetworkRecord record = null;
        Path net = null;
        for (Path f : folders) {
            NetworkRecord r = Json.read(f.resolve("network.json"), NetworkRecord.class);
            if (r.cell().equals(cell) && r.units() == units) {
                record = r;
                net = f;
                break;
            }
        }
        if (record == null) {
            throw new IllegalArgumentException("no network of cell " + cell + " with " + units + " units in " + dir
                    + " (it has " + folders.size() + " network folders with a network.json); pick one with -p cell"
                    + " and -p units");
        }
        Plugins plugins = Plugins.classPath();
        Cell c = plugins.cells().get(cell);
        Task task = plugins.tasks().get(record.task());
        Path taskJson = net.resolve("task.json");
        if (Files.isRegularFile(taskJson)) {
            Map<String, String> options = new TreeMap<>();
            Json.readTree(taskJson).path("options").properties()
                    .forEach(e -> options.put(e.getKey(), e.getValue().asText()));
            task = task.configure(options);
        }
        Activation activation = Activation.of(record.activation());
        CellSpec spec = new CellSpec(record.inputs(), record.units(), activation);
        Model model = new Model(c, spec, record.outputs());
        float[] fp = new float[model.parameterCount()];
        List<ParamBlock> blocks = model.blocks();
        for (int b = 0; b < blocks.size(); b++) {
            Path file = net.resolve("params").resolve(blocks.get(b).name() + ".npy");
            float[] v = Npy.read(file).toFloats();
            if (v.length != blocks.get(b).size()) {
                throw new IllegalArgumentException(file + " holds " + v.length + " values, block "
                        + blocks.get(b).name() + " has " + blocks.get(b).size());
            }
            System.arraycopy(v, 0, fp, model.offset(b), v.length);
        }
        // the probe states as rnnatlas train stores them: float32, then widened as StoredNetwork does
        Trials probe = task.probe();
        float[] fs = new float[probe.count() * probe.steps() * model.stateSize()];
        new Trainer(model, task, Kernels.ops(), record.hyperparameters().batch()).evaluate(fp, probe, fs);
        states = new double[fs.length];
        for (int i = 0; i < fs.length; i++) {
            states[i] = fs[i];
        }
        double[] p = new double[fp.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = fp[i];
        }
        x = task.conditions().get(0).input();
        finder = new FixedPointFinder(c, spec, p, NetworkAnalysis.finderOptions(activation, task.name(), Map.of()));
    }

    @Benchmark
    public FixedPointFinder.Result find() {
        return finder.find(x, states, RandomGeneratorFactory.of("L64X128MixRandom").create(7));
    }
}

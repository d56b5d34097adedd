package org.rnnatlas.benchmarks.dynamics;

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
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.train.Hyperparameters;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.core.train.Optimizer;
import org.rnnatlas.core.train.Trainer;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Task;

/**
 * Fixed-point finding for one network (SPEC §5, 1,024 candidates, default options) per cell at 64 and 128 units,
 * single-threaded: one {@link FixedPointFinder#find} call per operation, in seconds per network.
 *
 * <p>By default the networks are <b>untrained</b>: the cell's own initialisation (SPEC §1) from seed 1, tanh, M = 3
 * inputs. With {@code -p trainIterations=N} (N &gt; 0) the {@code @Setup} first trains the network on the 3-bit
 * flip-flop task with the core {@link Trainer} (Adam, rate 0.01 halved every N/2 iterations, batch 64, clip 1) —
 * at N = 1,500 a vanilla or LSTM network of 64 units reaches MSE ≈ 6e-4 and has the 8 stable corners and their
 * saddles; this takes minutes per network on one core, so it is opt-in. Trajectory states come from running the
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

    private FixedPointFinder finder;
    private double[] states;
    private final double[] x = new double[3];

    @Setup
    public void setup() {
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

    @Benchmark
    public FixedPointFinder.Result find() {
        return finder.find(x, states, RandomGeneratorFactory.of("L64X128MixRandom").create(7));
    }
}

package org.rnnatlas.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.core.train.Hyperparameters;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.core.train.Optimizer;
import org.rnnatlas.core.train.TrainResult;
import org.rnnatlas.core.train.Trainer;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Task;

/**
 * One full training iteration (batch 64) on a task, by default the 3-bit flip-flop (T = 100; {@code -p task=sine}:
 * T = 500, {@code -p task=cdi}: T = 30): draw a batch, forward, readout, MSE, backward through time, L2, clipping and
 * the SGD-with-momentum update. Single-threaded.
 *
 * <p>Work per iteration, counted as in the issue: forward 2·B·T·G·N·(N+M) FLOPs, backward twice that, so
 * {@code GFLOP/s = 6·B·T·G·N·(N+M) / seconds per iteration / 1e9} with G = 1/2/3/4 for vanilla/ugrnn/gru/lstm and
 * M, T the task's inputs and steps. JMH reports two lines per configuration: {@code iteration} in iterations per
 * second, and the secondary {@code iteration:gflop} in GFLOP/s by that count. The paper-scale cost table
 * ({@link CostTable}) reads the first from JMH's JSON output.
 *
 * <pre>
 * HOW TO RUN
 *   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
 *       TrainingIterationBenchmark -t 1 -f 1 -wi 3 -i 5
 *   # one cell/size:  ... TrainingIterationBenchmark -p cell=gru -p units=128
 *   # scalar kernel:  ... -jvmArgsAppend -Drnnatlas.simd=scalar
 *   # all three tasks, JSON for CostTable:
 *   #   ... TrainingIterationBenchmark -p task=flipflop,sine,cdi -rf json -rff training.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainingIterationBenchmark {

    @Param({"vanilla", "ugrnn", "gru", "lstm"})
    public String cell;

    @Param({"64", "128", "256"})
    public int units;

    @Param({"tanh"})
    public String activation;

    @Param({"flipflop"})
    public String task;

    /** Counts FLOPs by the formula; JMH divides by time, so its score is GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    private double gflopPerIteration;
    private Trainer trainer;
    private float[] params;
    private Hyperparameters hp;
    private SplittableRandom data;

    @Setup
    public void setup() {
        Plugins plugins = Plugins.classPath();
        Cell c = plugins.cells().get(cell);
        Task t = plugins.tasks().get(task);
        Model model = new Model(c, new CellSpec(t.shape().inputs(), units, Activation.of(activation)),
                t.shape().outputs());
        trainer = new Trainer(model, t, Kernels.ops(), 64);
        params = model.initialize(new SplittableRandom(1));
        // a small rate keeps the network in its initial regime for the whole benchmark
        hp = new Hyperparameters(Optimizer.SGD, 1e-4, 1.0, 1, 0.9, 1.0, 64, 1);
        data = new SplittableRandom(2);
        gflopPerIteration = flopsPerIteration(c.gates(), units, t.shape().inputs(), t.shape().steps()) / 1e9;
    }

    @Benchmark
    public TrainResult iteration(Flops flops) {
        flops.gflop += gflopPerIteration;
        return trainer.train(params, hp, 1e-4, data, null);
    }

    /** FLOPs of one iteration by the count, for converting the measured time into GFLOP/s. */
    public static double flopsPerIteration(int gates, int units, int inputs, int steps) {
        return 6.0 * 64 * steps * gates * units * (units + inputs);
    }
}

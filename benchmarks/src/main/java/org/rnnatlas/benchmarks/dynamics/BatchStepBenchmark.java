package org.rnnatlas.benchmarks.dynamics;

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
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * The batched double-precision step and state vector–Jacobian product of one cell ({@link Cell#stepBatch},
 * {@link Cell#stepBackwardBatch}), the inner loop of the fixed-point search's Adam phase: batch 1,024 candidates,
 * M = 3 inputs, the cell's own initialisation from seed 1, states uniform in (−1, 1), inputs 0 (the search holds the
 * input constant). Single-threaded.
 *
 * <p>FLOPs counted as the matrix products only: a step is {@code 2·B·G·N·(N+M)} (the pre-activation; the GRU's
 * reset-gated candidate product is part of the same count), the state VJP recomputes that and adds the NT products
 * against the recurrent weights, {@code 2·B·G·N·N}, so {@code 2·B·G·N·(2N+M)}; G = 1/2/3/4 for vanilla/ugrnn/gru/lstm.
 * JMH reports each method in operations per second and the secondary {@code :gflop} line in GFLOP/s by that count.
 * A whole Adam iteration of the search is one {@code stepBatch} plus one {@code stepBackwardBatch}.
 *
 * <pre>
 * HOW TO RUN
 *   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
 *       BatchStepBenchmark -t 1 -f 1 -wi 3 -i 5
 *   # one cell/size:  ... BatchStepBenchmark -p cell=gru -p units=64
 *   # batched only:   ... BatchStepBenchmark -p path=batched
 *   # scalar kernel:  ... -jvmArgsAppend -Drnnatlas.simd=scalar
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class BatchStepBenchmark {

    private static final int INPUTS = 3;

    @Param({"vanilla", "ugrnn", "gru", "lstm"})
    public String cell;

    @Param({"64", "128"})
    public int units;

    @Param({"1024"})
    public int batch;

    @Param({"tanh"})
    public String activation;

    /**
     * {@code batched}: the cell's {@link Cell#stepBatch}/{@link Cell#stepBackwardBatch}; {@code rows}: what the SPI's
     * row-by-row defaults do, {@link Cell#step}/{@link Cell#stepBackward} once per row (row buffers kept here), as
     * the baseline.
     */
    @Param({"batched", "rows"})
    public String path;

    /** Counts FLOPs of the matrix products; JMH divides by time, so its score is GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    private Cell c;
    private CellSpec spec;
    private Ops ops;
    private double[] params;
    private double[] states;
    private double[] inputs;
    private double[] upstream;
    private double[] next;
    private double[] gradient;
    private double[] scratch;
    private boolean rows;
    private double[] rowState;
    private double[] rowInput;
    private double[] rowUpstream;
    private double[] rowOut;
    private double[] rowScratch;
    private double gflopStep;
    private double gflopBackward;

    @Setup
    public void setup() {
        c = Plugins.classPath().cells().get(cell);
        spec = new CellSpec(INPUTS, units, Activation.of(activation));
        ops = Kernels.ops();
        params = new double[c.parameterCount(spec)];
        c.initialize(spec, new SplittableRandom(1), params);
        int sz = c.stateSize(spec);
        SplittableRandom rng = new SplittableRandom(2);
        states = new double[batch * sz];
        for (int i = 0; i < states.length; i++) {
            states[i] = rng.nextDouble(-1.0, 1.0);
        }
        inputs = new double[batch * INPUTS];
        upstream = new double[batch * sz];
        for (int i = 0; i < upstream.length; i++) {
            upstream[i] = rng.nextGaussian();
        }
        next = new double[batch * sz];
        gradient = new double[batch * sz];
        scratch = new double[c.batchScratchSize(spec, batch)];
        rows = switch (path) {
            case "batched" -> false;
            case "rows" -> true;
            default -> throw new IllegalArgumentException("path must be batched or rows, got " + path);
        };
        rowState = new double[sz];
        rowInput = new double[INPUTS];
        rowUpstream = new double[sz];
        rowOut = new double[sz];
        rowScratch = new double[c.scratchSize(spec)];
        double gn = (double) c.gates() * units;
        gflopStep = 2.0 * batch * gn * (units + INPUTS) / 1e9;
        gflopBackward = 2.0 * batch * gn * (2 * units + INPUTS) / 1e9;
    }

    @Benchmark
    public double[] stepBatch(Flops flops) {
        flops.gflop += gflopStep;
        if (rows) {
            int sz = rowState.length;
            for (int b = 0; b < batch; b++) {
                System.arraycopy(states, b * sz, rowState, 0, sz);
                System.arraycopy(inputs, b * INPUTS, rowInput, 0, INPUTS);
                c.step(spec, params, rowState, rowInput, rowOut, rowScratch);
                System.arraycopy(rowOut, 0, next, b * sz, sz);
            }
        } else {
            c.stepBatch(spec, ops, params, batch, states, inputs, next, scratch);
        }
        return next;
    }

    @Benchmark
    public double[] stepBackwardBatch(Flops flops) {
        flops.gflop += gflopBackward;
        if (rows) {
            int sz = rowState.length;
            for (int b = 0; b < batch; b++) {
                System.arraycopy(states, b * sz, rowState, 0, sz);
                System.arraycopy(inputs, b * INPUTS, rowInput, 0, INPUTS);
                System.arraycopy(upstream, b * sz, rowUpstream, 0, sz);
                c.stepBackward(spec, params, rowState, rowInput, rowUpstream, rowOut, null, null, rowScratch);
                System.arraycopy(rowOut, 0, gradient, b * sz, sz);
            }
        } else {
            c.stepBackwardBatch(spec, ops, params, batch, states, inputs, upstream, gradient, scratch);
        }
        return gradient;
    }
}

package org.rnnatlas.benchmarks.dynamics;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The closed-form state Jacobian {@link Cell#stateJacobian} of one cell, what the fixed-point search's Newton phase
 * calls once per Newton step (thousands of times per trained network): M = 3 inputs, the cell's own initialisation
 * from seed 1, a state uniform in (−1, 1), inputs 0 (the search holds the input constant). Single-threaded; JMH
 * reports the average time per call in µs.
 *
 * <p>For scale: an S×S LU factorisation costs about {@code (2/3)·S³} FLOPs; the GRU's Jacobian holds one N×N×N
 * product ({@code 2N³} FLOPs, the candidate's path through the reset gate), the other cells' are O(S²).
 *
 * <p>{@code path=closed} is the cell's closed form; {@code path=vjpBatch} assembles the same matrix from one batched
 * state VJP, {@link Cell#stepBackwardBatch} on {@code Kernels.ops()} with S copies of the state and {@code G = I}
 * (row b of the result is row b of J), as a yardstick for what the {@link Ops} products would give. Setup checks
 * that the two agree.
 *
 * <pre>
 * HOW TO RUN
 *   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 *   mvn -B -o -q -pl benchmarks package -DskipTests
 *   $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar JacobianBenchmark -t 1 -f 1 -wi 2 -w 1 -i 3 -r 1
 *   # one cell/size:  ... JacobianBenchmark -p cell=gru -p units=64
 *   # closed form only: ... JacobianBenchmark -p path=closed
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class JacobianBenchmark {

    private static final int INPUTS = 3;

    @Param({"vanilla", "ugrnn", "gru", "lstm"})
    public String cell;

    @Param({"64", "128"})
    public int units;

    @Param({"tanh"})
    public String activation;

    /** {@code closed}: {@link Cell#stateJacobian}; {@code vjpBatch}: one {@link Cell#stepBackwardBatch} with G = I. */
    @Param({"closed", "vjpBatch"})
    public String path;

    private Cell c;
    private CellSpec spec;
    private double[] params;
    private double[] state;
    private double[] input;
    private double[] jac;
    private double[] scratch;
    private boolean batched;
    private Ops ops;
    private double[] states;
    private double[] inputs;
    private double[] identity;
    private double[] batchScratch;

    @Setup
    public void setup() {
        c = Plugins.classPath().cells().get(cell);
        spec = new CellSpec(INPUTS, units, Activation.of(activation));
        params = new double[c.parameterCount(spec)];
        c.initialize(spec, new SplittableRandom(1), params);
        int sz = c.stateSize(spec);
        SplittableRandom rng = new SplittableRandom(2);
        state = new double[sz];
        for (int i = 0; i < sz; i++) {
            state[i] = rng.nextDouble(-1.0, 1.0);
        }
        input = new double[INPUTS];
        jac = new double[sz * sz];
        scratch = new double[c.scratchSize(spec)];
        batched = switch (path) {
            case "closed" -> false;
            case "vjpBatch" -> true;
            default -> throw new IllegalArgumentException("path must be closed or vjpBatch, got " + path);
        };
        ops = Kernels.ops();
        states = new double[sz * sz];
        for (int b = 0; b < sz; b++) {
            System.arraycopy(state, 0, states, b * sz, sz);
        }
        inputs = new double[sz * INPUTS];
        identity = new double[sz * sz];
        for (int i = 0; i < sz; i++) {
            identity[i * sz + i] = 1.0;
        }
        batchScratch = new double[c.batchScratchSize(spec, sz)];
        // the two paths must give the same matrix, or the comparison means nothing
        double[] closed = new double[sz * sz];
        double[] fromVjp = new double[sz * sz];
        c.stateJacobian(spec, params, state, input, closed, scratch);
        c.stepBackwardBatch(spec, ops, params, sz, states, inputs, identity, fromVjp, batchScratch);
        double scale = 0.0;
        double diff = 0.0;
        for (int i = 0; i < closed.length; i++) {
            scale = Math.max(scale, Math.abs(closed[i]));
            diff = Math.max(diff, Math.abs(closed[i] - fromVjp[i]));
        }
        if (!(diff <= 1e-12 * Math.max(scale, 1.0))) {
            throw new IllegalStateException(cell + " N=" + units + ": stateJacobian and the batched VJP with G = I differ"
                    + " by " + diff + " (largest entry " + scale + ")");
        }
    }

    @Benchmark
    public double[] stateJacobian() {
        if (batched) {
            c.stepBackwardBatch(spec, ops, params, states.length / state.length, states, inputs, identity, jac,
                    batchScratch);
        } else {
            c.stateJacobian(spec, params, state, input, jac, scratch);
        }
        return jac;
    }
}

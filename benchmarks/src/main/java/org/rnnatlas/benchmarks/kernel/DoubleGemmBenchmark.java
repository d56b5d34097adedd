package org.rnnatlas.benchmarks.kernel;

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
import org.rnnatlas.spi.Ops;

/**
 * Double-precision gemm on the fixed-point finder's batched cell step, batch B, hidden size N, G gate blocks:
 * <ul>
 *   <li>{@code stepNN}: C[B×GN] = S[B×N] · W[N×GN];</li>
 *   <li>{@code backwardNT}: gS[B×N] = G[B×GN] · Wᵀ with W stored N×GN;</li>
 *   <li>{@code tanhStep}: tanh over the B×GN pre-activations (elements per second; no GFLOP/s).</li>
 * </ul>
 * JMH prints calls per second and, as the secondary result {@code :gflop}, GFLOP/s = 2·B·N·GN per gemm call / time.
 *
 * <pre>
 * HOW TO RUN (single thread; the machine is shared, so numbers are indicative):
 *   mvn -B -o -q -pl spi,core install -DskipTests &amp;&amp; mvn -B -o -q -pl benchmarks package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar DoubleGemmBenchmark \
 *       -t 1 -f 1 -wi 2 -i 3 -w 1 -r 1
 *   one shape: ... DoubleGemmBenchmark.stepNN -p kernel=panama -p n=128 -p g=4
 *   4 double lanes on an AVX-512 machine: ... -jvmArgsAppend -XX:MaxVectorSize=32
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DoubleGemmBenchmark {

    @Param({"1024"})
    public int b;

    @Param({"64", "128"})
    public int n;

    @Param({"1", "4"})
    public int g;

    @Param({"scalar", "panama"})
    public String kernel;

    /** FLOPs done, in units of 1e9; JMH divides by time, so its score is GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    private Ops ops;
    private double[] s;
    private double[] w;
    private double[] z;
    private double[] gs;

    @Setup
    public void setUp() {
        ops = "scalar".equals(kernel) ? Kernels.scalar()
                : Kernels.panama().orElseThrow(() -> new IllegalStateException("Vector API unavailable"));
        SplittableRandom rnd = new SplittableRandom(42);
        s = random(rnd, b * n);
        w = random(rnd, n * g * n);
        z = random(rnd, b * g * n);
        gs = new double[b * n];
    }

    private static double[] random(SplittableRandom rnd, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextDouble() * 2 - 1;
        }
        return x;
    }

    @Benchmark
    public double[] stepNN(Flops flops) {
        int gn = g * n;
        flops.gflop += 2e-9 * b * gn * n;
        ops.gemm(false, false, b, gn, n, s, 0, n, w, 0, gn, z, 0, gn, false);
        return z;
    }

    @Benchmark
    public double[] backwardNT(Flops flops) {
        int gn = g * n;
        flops.gflop += 2e-9 * b * n * gn;
        ops.gemm(false, true, b, n, gn, z, 0, gn, w, 0, gn, gs, 0, n, false);
        return gs;
    }

    @Benchmark
    public double[] tanhStep() {
        // in place is allowed; tanh of tanh stays in (−1, 1), so the input distribution barely drifts
        ops.tanh(z, 0, z, 0, b * g * n);
        return z;
    }
}

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
 * gemm on the three hot shapes of a training step, B = 64, hidden size N, M = 3 inputs, G gates:
 * <ul>
 *   <li>{@code forwardNN}: Z[B×GN] = [h|x][B×(N+3)] · W[(N+3)×GN];</li>
 *   <li>{@code weightGradTN}: dW[(N+3)×GN] += Aᵀ·dZ over T·B = 6400 rows (A stored 6400×(N+3), dZ 6400×GN);</li>
 *   <li>{@code backwardNT}: dH[B×N] = dZ[B×GN] · Wᵀ with W stored N×GN.</li>
 * </ul>
 * JMH prints calls per second and, as the secondary result {@code :gflop}, GFLOP/s = 2·m·n·k per call / time:
 * forward 2·64·GN·(N+3), TN 2·(N+3)·GN·6400, NT 2·64·N·GN.
 *
 * <pre>
 * HOW TO RUN (single thread; other builds on the machine make numbers noisy, rerun the key ones):
 *   mvn -B -o -q -pl spi,core install -DskipTests &amp;&amp; mvn -B -o -q -pl benchmarks package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar GemmBenchmark \
 *       -f 1 -wi 3 -i 5 -w 1 -r 1 -t 1
 *   one shape: ... GemmBenchmark.forwardNN -p kernel=panama -p n=256 -p g=4
 *   8 lanes on an AVX-512 machine: ... GemmBenchmark -p kernel=panama -jvmArgsAppend -XX:MaxVectorSize=32
 *     (-XX:UseAVX=2 instead also limits C2 to AVX2's 16 vector registers, like a real AVX2 CPU; 4 lanes:
 *     -XX:MaxVectorSize=16; -Drnnatlas.simd.registers=16|32 in -jvmArgsAppend picks the gemm tile family)
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {

    private static final int B = 64;
    private static final int M = 3;
    private static final int ROWS = 6400;

    @Param({"64", "128", "256"})
    public int n;

    @Param({"1", "3", "4"})
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
    private float[] a;
    private float[] w;
    private float[] z;
    private float[] seqA;
    private float[] seqDz;
    private float[] dw;
    private float[] dh;

    @Setup
    public void setUp() {
        ops = "scalar".equals(kernel) ? Kernels.scalar()
                : Kernels.panama().orElseThrow(() -> new IllegalStateException("Vector API unavailable"));
        int k = n + M;
        int gn = g * n;
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(rnd, B * k);
        w = random(rnd, k * gn);
        z = new float[B * gn];
        dh = new float[B * n];
        if (!"scalar".equals(kernel) || n <= 128) {
            seqA = random(rnd, ROWS * k);
            seqDz = random(rnd, ROWS * gn);
            dw = new float[k * gn];
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Benchmark
    public float[] forwardNN(Flops flops) {
        int k = n + M;
        flops.gflop += 2e-9 * B * g * n * k;
        ops.gemm(false, false, B, g * n, k, a, 0, k, w, 0, g * n, z, 0, g * n, false);
        return z;
    }

    @Benchmark
    public float[] weightGradTN(Flops flops) {
        if (dw == null) {
            throw new IllegalStateException("scalar TN at N=256 skipped (takes seconds per call)");
        }
        int k = n + M;
        flops.gflop += 2e-9 * k * g * n * ROWS;
        ops.gemm(true, false, k, g * n, ROWS, seqA, 0, k, seqDz, 0, g * n, dw, 0, g * n, true);
        return dw;
    }

    @Benchmark
    public float[] backwardNT(Flops flops) {
        flops.gflop += 2e-9 * B * n * g * n;
        // W's first N rows (N × GN block of the fused weight) play the stored-transposed operand
        ops.gemm(false, true, B, n, g * n, z, 0, g * n, w, 0, g * n, dh, 0, n, false);
        return dh;
    }
}

package org.rnnatlas.benchmarks.kernel;

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
import org.rnnatlas.spi.Ops;

/**
 * tanh and sigmoid over one step's gate pre-activations, 64 × G·N floats (input in [−6, 6]).
 *
 * <pre>
 * HOW TO RUN (single thread):
 *   mvn -B -o -q -pl spi,core install -DskipTests &amp;&amp; mvn -B -o -q -pl benchmarks package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ActivationBenchmark \
 *       -f 1 -wi 3 -i 5 -w 1 -r 1 -t 1
 *   8 or 4 lanes on an AVX-512 machine: add -jvmArgsAppend -XX:MaxVectorSize=32 (or 16)
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ActivationBenchmark {

    @Param({"64", "128", "256"})
    public int n;

    @Param({"1", "4"})
    public int g;

    @Param({"scalar", "panama"})
    public String kernel;

    private Ops ops;
    private float[] x;
    private float[] y;

    @Setup
    public void setUp() {
        ops = "scalar".equals(kernel) ? Kernels.scalar()
                : Kernels.panama().orElseThrow(() -> new IllegalStateException("Vector API unavailable"));
        SplittableRandom rnd = new SplittableRandom(7);
        x = new float[64 * g * n];
        y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 12 - 6);
        }
    }

    @Benchmark
    public float[] tanh() {
        ops.tanh(x, 0, y, 0, x.length);
        return y;
    }

    @Benchmark
    public float[] sigmoid() {
        ops.sigmoid(x, 0, y, 0, x.length);
        return y;
    }
}

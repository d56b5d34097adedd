package org.rnnatlas.store.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.exec.LocalExecutor;
import org.rnnatlas.core.io.StorePaths;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.PopulationRunner;
import org.rnnatlas.core.population.PopulationSpec;
import org.rnnatlas.core.registry.Plugins;

/**
 * End to end: core's PopulationRunner (local executor, 2 threads) trains the same tiny population into a store on
 * the default filesystem and into one reached through the Hadoop provider; every file but the documented
 * non-deterministic ones (run.json, runs.log) must be byte-identical, and a rerun on the Hadoop store must find
 * everything finished.
 */
class HadoopStoreTrainingTest {

    /** flipflop, vanilla and gru, 4 units, 2 seeds, 20 iterations, a 2-trial search of 10 iterations. */
    private static PopulationSpec tiny() {
        return new PopulationSpec(PopulationSpec.FORMAT, "tiny", List.of("flipflop"), null, List.of("vanilla", "gru"),
                List.of("tanh"), List.of(4), List.of(1e-4), List.of(0L, 1L), 20, 16, "adam",
                new PopulationSpec.HyperparameterDefaults(3e-3, 0.5, 0, 0.9, 1.0),
                new PopulationSpec.Search(2, 10, 7), 64);
    }

    private static PopulationRunner.Summary train(Path out) throws Exception {
        try (LocalExecutor executor = new LocalExecutor()) {
            PopulationRunner r = new PopulationRunner(Plugins.classPath(), Kernels.ops(), executor, 2,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
            return r.run(tiny(), out);
        }
    }


    @Test
    void aStoreWrittenThroughHadoopIsByteIdenticalToOneOnTheDefaultFilesystem(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain");
        Path viaHadoop = StorePaths.of("hadoop-file://" + dir.toAbsolutePath().resolve("hadoop"));
        assertInstanceOf(HadoopPath.class, viaHadoop);

        PopulationRunner.Summary a = train(plain);
        PopulationRunner.Summary b = train(viaHadoop);
        assertEquals(List.of(), a.failed());
        assertEquals(List.of(), b.failed());
        assertEquals(4, b.trained() + b.diverged());
        assertEquals(a.trained(), b.trained());
        assertEquals(viaHadoop, b.store());

        // read through Hadoop and through the JDK: same files, same bytes, each network complete
        Map<String, byte[]> expected = Store.deterministicFiles(plain);
        Map<String, byte[]> throughHadoop = Store.deterministicFiles(viaHadoop);
        Map<String, byte[]> onDisk = Store.deterministicFiles(dir.resolve("hadoop"));
        assertTrue(expected.keySet().stream().filter(f -> f.endsWith("network.json")).count() == 4,
                expected.keySet().toString());
        assertEquals(expected.keySet(), throughHadoop.keySet());
        assertEquals(expected.keySet(), onDisk.keySet());
        for (String f : expected.keySet()) {
            assertArrayEquals(expected.get(f), throughHadoop.get(f), f + " differs (read through Hadoop)");
            assertArrayEquals(expected.get(f), onDisk.get(f), f + " differs (read from disk)");
        }
        assertTrue(Files.isRegularFile(dir.resolve("hadoop/runs.log")));
        try (Stream<Path> s = Files.walk(dir.resolve("hadoop"))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".tmp-") || n.endsWith(".crc")).toList());
        }

        // a rerun resumes: everything is found finished, run.json untouched, and runs.log grows by one line
        String runJson = Files.readString(dir.resolve("hadoop/networks/flipflop-gru-tanh-n4-l2_1e-04-s1/run.json"));
        long logLines = Files.readAllLines(dir.resolve("hadoop/runs.log")).size();
        PopulationRunner.Summary again = train(viaHadoop);
        assertEquals(0, again.trained() + again.diverged());
        assertEquals(4, again.skipped());
        assertEquals(runJson, Files.readString(dir.resolve(
                "hadoop/networks/flipflop-gru-tanh-n4-l2_1e-04-s1/run.json")));
        assertEquals(logLines + 1, Files.readAllLines(dir.resolve("hadoop/runs.log")).size());
    }
}

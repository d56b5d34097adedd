package org.rnnatlas.executor.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.cli.Main;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.population.PopulationSpec;

/**
 * A whole study (train, compare, dynamics, report) run by Spark on {@code local[2]} into a store named by a Hadoop
 * URI: the CLI turns {@code --out hadoop-file:///…} into a java.nio path of rnnatlas-store-hadoop's provider, and
 * every unit writes through Hadoop's {@code FileSystem} API (the {@code hadoop-file} test scheme is Hadoop's local
 * filesystem, so the files land on this disk and can be compared). The store must equal the one the local executor
 * writes to a plain folder, byte for byte; and a rerun must find everything finished.
 */
class HadoopStoreStudyTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void studyIntoAHadoopUriStoreMatchesTheLocalOne(@TempDir Path dir) throws Exception {
        PopulationSpec spec = new PopulationSpec(PopulationSpec.FORMAT, "study", List.of("flipflop"), null,
                List.of("vanilla", "gru"), List.of("tanh"), List.of(4), List.of(1e-4), List.of(0L, 1L), 20, 16,
                "adam", new PopulationSpec.HyperparameterDefaults(3e-3, 0.5, 0, 0.9, 1.0),
                new PopulationSpec.Search(0, 0, 0), 64);
        Path specFile = dir.resolve("study.json");
        Json.write(specFile, spec);
        String[] common = {"--threads", "2", "--finder", "candidates=64", "--metric", "svcca"};

        Path local = dir.resolve("local/study");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, concat(new String[] {"study", specFile.toString(), "--out", local.toString()},
                common)), () -> out + "\n" + err);

        Path onDisk = dir.resolve("hadoop/study");
        String uri = "hadoop-file://" + onDisk.toAbsolutePath();
        StringWriter hout = new StringWriter();
        StringWriter herr = new StringWriter();
        String[] args = concat(new String[] {"study", specFile.toString(), "--out", uri, "--master", "local[2]"},
                common);
        assertEquals(0, run(hout, herr, args), () -> hout + "\n" + herr);
        assertTrue(herr.toString().contains(uri), "the log names the store by its URI:\n" + herr);

        Map<String, byte[]> a = Store.deterministicFiles(local);
        Map<String, byte[]> b = Store.deterministicFiles(onDisk);
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("geometry/flipflop/svcca")), a.keySet().toString());
        assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("dynamics/flipflop/trained/")), a.keySet()
                .toString());
        assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("report/figures/") && f.endsWith(".png")),
                a.keySet().toString());
        for (String f : a.keySet()) {
            if (f.equals("report/index.html")) {
                assertEquals(new String(a.get(f), StandardCharsets.UTF_8).replace(local.toString(), "STORE"),
                        new String(b.get(f), StandardCharsets.UTF_8).replace(uri, "STORE"), f);
                continue;
            }
            assertArrayEquals(a.get(f), b.get(f), f + " differs between the local and the hadoop-file store");
        }
        try (Stream<Path> s = Files.walk(onDisk)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")
                    || p.getFileName().toString().endsWith(".crc")), "no temporaries or checksum files left");
        }

        // a rerun through the URI finds every network trained and every analysis done: no run record is rewritten
        Map<String, String> before = SparkUnitsTest.runRecords(onDisk);
        StringWriter rout = new StringWriter();
        StringWriter rerr = new StringWriter();
        assertEquals(0, run(rout, rerr, args), () -> rout + "\n" + rerr);
        assertEquals(before, SparkUnitsTest.runRecords(onDisk));
        assertFalse(before.isEmpty());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}

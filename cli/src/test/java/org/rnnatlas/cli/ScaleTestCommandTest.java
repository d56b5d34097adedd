package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.geometry.AllPairs;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.geometry.SyntheticRepresentations;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.registry.Plugins;

class ScaleTestCommandTest {

    @Test
    void timesASmallPopulationAndItsMatrixMatchesTheEngineOnTheSamePopulation(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("st");
        Cli.Result r = Cli.run("scale-test", "--metric", "svcca", "--networks", "40", "--samples", "500",
                "--seed", "3", "--threads", "2", "--check", "10", "--out", out.toString(), "--keep");
        assertEquals(0, r.code(), r::toString);
        for (String phase : new String[] {"generation", "preparation", "tiles", "assembly", "total", "per pair",
                "error bound"}) {
            assertTrue(r.out().contains(phase), phase + " reported:\n" + r.out());
        }
        // 40 networks: 780 pairs, and the check compared 10 of them with the per-pair path to float rounding
        assertTrue(r.out().contains("pairs        780,"), r::toString);
        Matcher m = Pattern.compile("check +10 random pairs .*max \\|dev\\| ([0-9.eE+-]+)").matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertTrue(Double.parseDouble(m.group(1)) < 1e-4, "tile vs per-pair deviation " + m.group(1));

        // the kept matrix is the engine's on the same seeded population (independent run, fixed tile size)
        DistanceMatrix d = DistanceMatrix.read(out.resolve("svcca.npy"));
        SyntheticRepresentations pop = new SyntheticRepresentations(40, 500, SyntheticRepresentations.DEFAULT_FAMILIES, 3);
        assertEquals(pop.ids(), d.rowIds());
        var sidecar = Json.MAPPER.readTree(out.resolve("svcca.json").toFile());
        Path ref = dir.resolve("ref");
        new AllPairs(Plugins.classPath().similarityMetrics().get("svcca"), Kernels.ops(), 1).withTileSize(sidecar.get("tile_size").asInt())
                .square(pop.side(), ref, "svcca");
        DistanceMatrix e = DistanceMatrix.read(ref.resolve("svcca.npy"));
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 40; j++) {
                assertEquals(e.get(i, j), d.get(i, j), "(" + i + ", " + j + ")");
            }
        }
        assertEquals(0.0, sidecar.get("metric").get("error_bound").asDouble());
    }

    @Test
    void deletesItsTemporaryOutputUnlessKept(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("st");
        Cli.Result r = Cli.run("scale-test", "--metric", "cka", "--networks", "40", "--samples", "500",
                "--threads", "1", "--check", "0", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("error bound  0.005"), "cka's default bound is reported:\n" + r.out());
        assertFalse(Files.exists(out.resolve("cka.npy")), "matrix removed without --keep");
        assertFalse(Files.exists(out.resolve("cka.json")), "sidecar removed without --keep");
    }

    @Test
    void badInputIsAUsageError() {
        Cli.Result unknown = Cli.run("scale-test", "--metric", "nosuch", "--networks", "40", "--samples", "500");
        assertEquals(Main.USAGE, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("Unknown metric 'nosuch'"), unknown::toString);
        Cli.Result few = Cli.run("scale-test", "--networks", "1");
        assertEquals(Main.USAGE, few.code(), few::toString);
        assertTrue(few.err().contains("--networks must be >= 2"), few::toString);
        Cli.Result opt = Cli.run("scale-test", "--metric", "svcca", "--networks", "4", "--samples", "500",
                "--option", "threshold=2");
        assertEquals(Main.USAGE, opt.code(), opt::toString);
        assertTrue(opt.err().contains("threshold"), opt::toString);
    }

    @Test
    void helpNamesTheOptions() {
        Cli.Result r = Cli.run("scale-test", "--help");
        assertEquals(0, r.code(), r::toString);
        for (String o : new String[] {"--networks", "--samples", "--seed", "--metric", "--threads", "--out", "--keep",
                "--check"}) {
            assertTrue(r.out().contains(o), o + " in help:\n" + r.out());
        }
    }
}

package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;

/** {@code rnnatlas dynamics} on a tiny trained store: files, resuming, determinism across thread counts, bad input. */
class DynamicsCommandTest {
    @TempDir
    static Path dir;

    static Path store;

    static final String[] FAST = {"--finder", "candidates=128"};

    @BeforeAll
    static void trainTinyPopulation() {
        store = dir.resolve("store");
        Cli.Result r = Cli.run("train", "--task", "flipflop", "--cell", "vanilla,gru", "--activation", "tanh",
                "--units", "8", "--seeds", "0,1", "--iterations", "40", "--optimizer", "adam", "--lr", "0.01",
                "--out", store.toString());
        assertEquals(0, r.code(), r::toString);
    }

    private static Cli.Result dynamics(Path s, String... extra) {
        String[] args = new String[3 + FAST.length + extra.length];
        args[0] = "dynamics";
        args[1] = s.toString();
        args[2] = "--include-untrained";
        System.arraycopy(FAST, 0, args, 3, FAST.length);
        System.arraycopy(extra, 0, args, 3 + FAST.length, extra.length);
        return Cli.run(args);
    }

    private static Path copy(String name) throws Exception {
        Path to = dir.resolve(name);
        try (var s = Files.walk(store)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(store.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    @Test
    void writesEveryNetworksResultsAndResumes() throws Exception {
        Path s = copy("files");
        Cli.Result r = dynamics(s, "--threads", "2");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Analysed 8 networks (0 already done)"), r::toString);
        String id = "flipflop-gru-tanh-n8-l2_1e-04-s0";
        for (String state : new String[] {"trained", "untrained"}) {
            Path net = s.resolve("dynamics/flipflop").resolve(state).resolve(id);
            for (String f : new String[] {"analysis.json", "fixed_points.json", "fixed_points.npy",
                    "slow_points.npy", "run.json"}) {
                assertTrue(Files.exists(net.resolve(f)), net.resolve(f) + " exists");
            }
            Map<?, ?> rec = Json.read(net.resolve("analysis.json"), Map.class);
            assertEquals("rnnatlas.dynamics/1", rec.get("format"));
            assertEquals(state, rec.get("state"));
            int count = ((Number) rec.get("fixed_points")).intValue();
            assertArrayEquals(new int[] {count, 8}, Npy.read(net.resolve("fixed_points.npy")).shape());
            Map<?, ?> pts = Json.read(net.resolve("fixed_points.json"), Map.class);
            assertEquals(count, ((java.util.List<?>) pts.get("fixed_points")).size());
            assertTrue(((Map<?, ?>) rec.get("provenance")).containsKey("kernel"));
        }
        assertTrue(Files.exists(s.resolve("dynamics/flipflop/summary.json")));
        assertTrue(Files.exists(s.resolve("dynamics/flipflop/summary_untrained.json")));

        Cli.Result again = dynamics(s, "--threads", "2");
        assertEquals(0, again.code(), again::toString);
        assertTrue(again.out().contains("Analysed 0 networks (8 already done)"), again::toString);

        // a lost result is redone, alone
        Files.delete(s.resolve("dynamics/flipflop/trained").resolve(id).resolve("analysis.json"));
        Cli.Result resumed = dynamics(s, "--threads", "2");
        assertEquals(0, resumed.code(), resumed::toString);
        assertTrue(resumed.out().contains("Analysed 1 networks (7 already done)"), resumed::toString);

        // other settings are refused unless --recompute
        Cli.Result other = Cli.run("dynamics", s.toString(), "--finder", "candidates=64");
        assertEquals(2, other.code(), other::toString);
        assertTrue(other.err().contains("--recompute"), other::toString);
    }

    @Test
    void resultsDoNotDependOnThreadCount() throws Exception {
        Path one = copy("one");
        Path two = copy("two");
        assertEquals(0, dynamics(one, "--threads", "1").code());
        assertEquals(0, dynamics(two, "--threads", "2").code());
        Map<String, byte[]> a = Cli.deterministicFiles(one.resolve("dynamics"));
        Map<String, byte[]> b = Cli.deterministicFiles(two.resolve("dynamics"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k + " identical at 1 and 2 threads");
        }
    }

    @Test
    void badInputGetsAClearError() {
        Cli.Result unknown = Cli.run("dynamics", store.toString(), "--networks", "nope");
        assertEquals(2, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("Network 'nope' is not in store"), unknown::toString);

        Cli.Result finder = Cli.run("dynamics", store.toString(), "--finder", "speed=3");
        assertEquals(2, finder.code(), finder::toString);
        assertTrue(finder.err().contains("Unknown fixed-point finder option 'speed'")
                && finder.err().contains("candidates"), finder::toString);

        Cli.Result notNumber = Cli.run("dynamics", store.toString(), "--finder", "candidates=many");
        assertEquals(2, notNumber.code(), notNumber::toString);

        Cli.Result topo = Cli.run("dynamics", store.toString(), "--topology", "nope");
        assertEquals(2, topo.code(), topo::toString);
        assertTrue(topo.err().contains("Unknown topology metric 'nope'"), topo::toString);

        Cli.Result near = Cli.run("dynamics", store.toString(), "--cdi-near-probe", "0");
        assertEquals(2, near.code(), near::toString);
        assertTrue(near.err().contains("--cdi-near-probe must be > 0"), near::toString);

        Cli.Result noStore = Cli.run("dynamics", dir.resolve("missing").toString());
        assertEquals(2, noStore.code(), noStore::toString);
        assertTrue(noStore.err().contains("is not an rnnatlas store"), noStore::toString);
    }

    @Test
    void sineAndCdiNetworksGetTheirLinearisedAnalysis() throws Exception {
        for (String task : new String[] {"sine", "cdi"}) {
            Path s = dir.resolve("linear-" + task);
            Cli.Result t = Cli.run("train", "--task", task, "--cell", "gru", "--activation", "tanh", "--units", "6",
                    "--seeds", "0", "--iterations", "20", "--optimizer", "adam", "--lr", "0.01", "--out",
                    s.toString());
            assertEquals(0, t.code(), t::toString);
            Cli.Result r = Cli.run("dynamics", s.toString(), "--finder", "candidates=64", "--threads", "1");
            assertEquals(0, r.code(), r::toString);
            Path net = s.resolve("dynamics").resolve(task).resolve("trained")
                    .resolve(task + "-gru-tanh-n6-l2_1e-04-s0");
            Map<?, ?> lin = Json.read(net.resolve("linear.json"), Map.class);
            assertEquals("rnnatlas.linear/1", lin.get("format"));
            Map<?, ?> rec = Json.read(net.resolve("analysis.json"), Map.class);
            assertEquals("linear.json", rec.get("linear"));
            if (task.equals("sine")) {
                java.util.List<?> rows = (java.util.List<?>) lin.get("conditions");
                assertEquals(21, rows.size(), "one row per condition input");
                Map<?, ?> first = (Map<?, ?>) rows.get(0);
                assertEquals(0.01, ((Number) first.get("command_frequency")).doubleValue(), 1e-12);
            } else {
                java.util.List<?> ctx = (java.util.List<?>) lin.get("contexts");
                assertEquals(2, ctx.size(), "one entry per context");
                assertEquals(1e-5, ((Number) ((Map<?, ?>) rec.get("finder_options"))
                        .get("fixed_point_tolerance")).doubleValue(), 0.0, "CDI's default tolerance");
                assertEquals(org.rnnatlas.core.dynamics.LinearAnalyses.DEFAULT_CDI_NEAR_PROBE,
                        ((Number) lin.get("near_probe_factor")).doubleValue(), 0.0, "the flag's default");
                Cli.Result wide = Cli.run("dynamics", s.toString(), "--finder", "candidates=64", "--threads", "1",
                        "--cdi-near-probe", "8", "--recompute");
                assertEquals(0, wide.code(), wide::toString);
                assertEquals(8.0, ((Number) Json.read(net.resolve("linear.json"), Map.class)
                        .get("near_probe_factor")).doubleValue(), 0.0, "recorded as given");
            }
        }
    }
}

package org.rnnatlas.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a synthetic three-task store: files, validity, references, honest gaps, the tables. */
class ReportTest {
    @TempDir
    static Path dir;

    static Path index;
    static String html;
    static final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        Path store = SyntheticStore.write(dir.resolve("store"));
        index = Report.builder(store).progress(progress::add).build();
        html = Files.readString(index, StandardCharsets.UTF_8);
    }

    @Test
    void writesIndexInStoreReportFolder() {
        assertEquals(dir.resolve("store/report/index.html").toAbsolutePath().normalize(), index);
        assertTrue(progress.stream().anyMatch(l -> l.contains("figures (PNG and SVG)")), progress::toString);
    }

    @Test
    void everyExpectedFigureExistsAsValidPngAndSvg() throws Exception {
        List<String> expected = List.of(
                "flipflop-example-trial", "flipflop-trajectories", "flipflop-fixed-points", "flipflop-transition-graph",
                "flipflop-svcca-matrix", "flipflop-svcca-mds", "flipflop-cka-matrix", "flipflop-cka-mds",
                "flipflop-svcca-trained-vs-untrained", "flipflop-topology_transition-matrix",
                "flipflop-topology_transition-mds", "flipflop-topology_matched-matrix", "flipflop-loss",
                "sine-example-trial", "sine-trajectories", "sine-fixed-points", "sine-linear-frequency",
                "sine-eigenvalues", "sine-loss",
                "cdi-example-trial", "cdi-svcca-matrix", "cdi-eigenvalues", "cdi-modes", "cdi-loss");
        List<String> refs = ReportCheck.references(index);
        for (String f : expected) {
            assertTrue(refs.contains("figures/" + f + ".png"), f + ".png referenced; refs " + refs);
            assertTrue(refs.contains("figures/" + f + ".svg"), f + ".svg referenced");
        }
        assertEquals(List.of(), ReportCheck.problems(index));
        // and no figure file is left unreferenced (a figure written but not shown would be a silent gap)
        try (Stream<Path> s = Files.list(index.getParent().resolve("figures"))) {
            for (Path p : s.toList()) {
                assertTrue(refs.contains("figures/" + p.getFileName()), p + " is referenced by the page");
            }
        }
    }

    @Test
    void pageIsSelfContained() {
        assertFalse(html.contains("http://") || html.contains("https://"), "no network references");
        assertFalse(html.contains("<script"), "no scripts");
        assertTrue(html.contains("<style>"), "inline CSS");
    }

    @Test
    void statesWhatTheStoreLacks() {
        assertTrue(html.contains("No geometry for this task"), "sine has no geometry/ folder");
        assertTrue(html.contains("The paper's claims in this store"), "claims table");
        assertTrue(html.contains("not tracking: gru"), "sine networks without a correlation are named");
        assertTrue(html.contains("more diverged: vanilla relu"), "diverged networks counted in the training row");
        assertTrue(html.contains("median top |λ| 0.995"), "CDI line-attractor number");
        assertTrue(html.contains("<td>Representational geometry (SVCCA) clusters by architecture</td><td>sine</td>"
                + "<td>no SVCCA matrix</td><td>—</td><td>no data</td>"), "a claim without data says so");
        assertTrue(html.contains("no MDS embedding (topology_matched_mds.npy)"), "topology without MDS");
    }

    @Test
    void captionsCarryTheSettings() {
        assertTrue(html.contains("Metric svcca test, options {threshold=0.99}"), "metric options in caption");
        assertTrue(html.contains("Kruskal stress-1 0.1"), "MDS stress in caption");
        assertTrue(html.contains("candidates=64"), "finder options in caption");
        assertTrue(html.contains("50 iterations of adam"), "population settings");
    }

    @Test
    void tablesListExclusionsAndClustering() {
        assertTrue(html.contains("flipflop-vanilla-relu-n4-l2_1e-04-s0</td><td>training</td><td>diverged"),
                "diverged network listed");
        assertTrue(html.contains("states are constant"), "geometry skip listed with its reason");
        assertTrue(html.contains("fixed-point count not modal"), "topology exclusion listed");
        assertTrue(html.contains("within/between, architecture"), "clustering table");
    }

    /**
     * The browser check (.ci/browser-check) on this report, when a Chromium is installed: every image and linked SVG
     * loads in a real browser and the page raises no error. Skipped (not passed) without a browser, except with
     * CI=true, where it fails.
     */
    @Test
    void loadsInHeadlessChromium() throws Exception {
        Path script = Path.of("..", ".ci", "browser-check").toAbsolutePath().normalize();
        boolean browser = Stream.of("chromium", "chromium-browser", "google-chrome").anyMatch(b ->
                Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .anyMatch(d -> Files.isExecutable(Path.of(d, b))));
        // in CI (.ci/run installs chromium) a missing browser is a failure, not a silent skip
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(browser && Files.isExecutable(script), "CI=true but no chromium on PATH or no"
                    + " .ci/browser-check: the report's browser test cannot run (.ci/run installs chromium)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(browser && Files.isExecutable(script),
                "no chromium on PATH or no .ci/browser-check: browser check skipped");
        Process p = new ProcessBuilder(script.toString(), index.getParent().toString()).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("broken_images=0") && output.contains("errors=0"), output);
    }

    @Test
    void checkCatchesBrokenAndMissingFiles() throws Exception {
        Path copy = dir.resolve("broken");
        Files.createDirectories(copy.resolve("figures"));
        Files.writeString(copy.resolve("figures/a.png"), "not a png");
        Files.writeString(copy.resolve("figures/b.svg"), "<html></html>");
        Files.writeString(copy.resolve("index.html"), "<img src=\"figures/a.png\"><a href=\"figures/b.svg\">"
                + "<img src=\"figures/c.png\"><img src=\"https://example.org/x.png\"><a href=\"#top\">");
        List<String> p = ReportCheck.problems(copy.resolve("index.html"));
        assertEquals(4, p.size(), p::toString);
        assertTrue(p.get(0).contains("PNG signature"), p::toString);
        assertTrue(p.get(1).contains("not <svg>"), p::toString);
        assertTrue(p.get(2).contains("missing"), p::toString);
        assertTrue(p.get(3).contains("not a relative path"), p::toString);
    }

    @Test
    void storeWithoutTrainedNetworksStillGivesAPage() throws Exception {
        Path store = dir.resolve("empty");
        Files.createDirectories(store);
        String manifest = Files.readString(dir.resolve("store/manifest.json"))
                .replaceAll("\"status\"\\s*:\\s*\"trained\"", "\"status\":\"diverged\"");
        Files.writeString(store.resolve("manifest.json"), manifest);
        Path idx = Report.builder(store).out(dir.resolve("empty-report")).build();
        String page = Files.readString(idx);
        assertTrue(page.contains("No trained network of this task"), page);
        assertEquals(List.of(), ReportCheck.problems(idx));
    }
}

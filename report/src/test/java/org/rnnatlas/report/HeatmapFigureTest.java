package org.rnnatlas.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large matrices are drawn as one bitmap: the SVG stays small and both files stay valid. */
class HeatmapFigureTest {
    @TempDir
    Path dir;

    @Test
    void thousandNetworksGiveASmallValidSvg() throws Exception {
        int n = 1000;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = Math.abs(i - j) / (double) n;
            }
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(Palette.CELLS.get(4 * i / n));
        }
        List<HeatmapFigure.Group> groups = HeatmapFigure.runs(labels, labels.stream().map(Palette::cell).toList());
        assertEquals(4, groups.size());
        Figure.save(new HeatmapFigure("test", "distance", d, groups), dir, "big");
        assertTrue(Files.size(dir.resolve("big.svg")) < 2_000_000, "SVG of a 1000 x 1000 matrix under 2 MB");
        Files.writeString(dir.resolve("index.html"), "<img src=\"big.png\"><a href=\"big.svg\">svg</a>");
        assertEquals(Collections.emptyList(), ReportCheck.problems(dir.resolve("index.html")));
    }
}

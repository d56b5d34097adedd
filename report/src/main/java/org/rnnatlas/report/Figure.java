package org.rnnatlas.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.knowm.xchart.internal.chartpart.Chart;
import org.rnnatlas.core.io.AtomicFiles;

/**
 * Something drawn on a {@code width × height} canvas (logical pixels). One painting routine gives both files: a PNG
 * rendered at {@link #PNG_SCALE}× for screens and print, and an SVG through VectorGraphics2D for editing.
 */
public interface Figure {
    /** PNG pixels per logical pixel: an 800 × 600 figure becomes a 1600 × 1200 PNG. */
    int PNG_SCALE = 2;

    int width();

    int height();

    void paint(Graphics2D g);

    static Figure of(Chart<?, ?> chart) {
        return new Figure() {
            public int width() {
                return chart.getWidth();
            }

            public int height() {
                return chart.getHeight();
            }

            public void paint(Graphics2D g) {
                chart.paint(g, chart.getWidth(), chart.getHeight());
            }
        };
    }

    /** Panels left to right in rows of {@code columns}; every cell is as large as the largest panel. */
    static Figure grid(int columns, List<Figure> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one panel");
        }
        int cw = panels.stream().mapToInt(Figure::width).max().orElseThrow();
        int ch = panels.stream().mapToInt(Figure::height).max().orElseThrow();
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        return new Figure() {
            public int width() {
                return cw * cols;
            }

            public int height() {
                return ch * rows;
            }

            public void paint(Graphics2D g) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width(), height());
                for (int i = 0; i < panels.size(); i++) {
                    Graphics2D sub = (Graphics2D) g.create();
                    sub.translate((i % cols) * cw, (i / cols) * ch);
                    panels.get(i).paint(sub);
                    sub.dispose();
                }
            }
        };
    }

    /** Writes {@code <name>.png} and {@code <name>.svg} into {@code dir}, each atomically (temporary file, rename). */
    static void save(Figure f, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        BufferedImage img = new BufferedImage(f.width() * PNG_SCALE, f.height() * PNG_SCALE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(PNG_SCALE, PNG_SCALE);
            f.paint(g);
        } finally {
            g.dispose();
        }
        // both files are encoded in memory (a figure is a few hundred kB) and written atomically, on any java.nio
        // provider: the store may live on a Hadoop filesystem
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) {
            throw new IOException("no PNG writer available in this JDK");
        }
        AtomicFiles.write(dir.resolve(name + ".png"), ByteBuffer.wrap(png.toByteArray()));

        VectorGraphics2D vg = new VectorGraphics2D();
        f.paint(vg);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, f.width(), f.height())).writeTo(svg);
        AtomicFiles.write(dir.resolve(name + ".svg"), ByteBuffer.wrap(svg.toByteArray()));
    }
}

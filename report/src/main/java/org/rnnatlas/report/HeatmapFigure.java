package org.rnnatlas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A distance matrix drawn cell by cell (Java2D: XChart's heat map labels every row, unreadable past a few dozen
 * networks). Rows and columns come pre-sorted into groups; each group is labelled once and outlined, and a colour bar
 * on the right gives the scale (viridis, dark = near).
 */
final class HeatmapFigure implements Figure {
    /** A run of consecutive rows sharing a label and a colour. */
    record Group(String label, Color color, int start, int end) {
    }

    /** Up to this many networks the cells are vector rectangles; beyond, one embedded bitmap. */
    static final int VECTOR_CELLS = 200;
    private static final int W = 900;
    private static final int H = 700;
    private final String title;
    private final String unit;
    private final double[][] values;
    private final List<Group> groups;
    private final double lo;
    private final double hi;

    HeatmapFigure(String title, String unit, double[][] values, List<Group> groups) {
        this.title = title;
        this.unit = unit;
        this.values = values;
        this.groups = List.copyOf(groups);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                double v = values[i][j];
                if (i != j && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            min = Double.isFinite(min) ? min : 0;
            max = min + 1;
        }
        this.lo = min;
        this.hi = max;
    }

    /** Consecutive equal labels of {@code labels} as groups. */
    static List<Group> runs(List<String> labels, List<Color> colors) {
        List<Group> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= labels.size(); i++) {
            if (i == labels.size() || !labels.get(i).equals(labels.get(start))) {
                out.add(new Group(labels.get(start), colors.get(start), start, i));
                start = i;
            }
        }
        return out;
    }

    @Override
    public int width() {
        return W;
    }

    @Override
    public int height() {
        return H;
    }

    @Override
    public void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int n = values.length;
        int left = 190;
        int top = 70;
        int size = Math.min(W - left - 150, H - top - 40);
        double cell = (double) size / Math.max(1, n);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Charts.SANS, Font.BOLD, 18));
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (W - tm.stringWidth(title)) / 2f, 32f);

        if (n <= VECTOR_CELLS) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    g.setColor(colour(values[i][j]));
                    // +0.6 closes the hairline gaps anti-aliasing leaves between adjacent cells
                    g.fill(new Rectangle2D.Double(left + j * cell, top + i * cell, cell + 0.6, cell + 0.6));
                }
            }
        } else {
            // thousands of networks: one n x n bitmap, so the SVG stays small (an embedded image, not n² rectangles)
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(n, n,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    img.setRGB(j, i, colour(values[i][j]).getRGB());
                }
            }
            Graphics2D ig = (Graphics2D) g.create();
            ig.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            ig.drawImage(img, left, top, size, size, null);
            ig.dispose();
        }
        g.setFont(new Font(Charts.SANS, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        for (Group gr : groups) {
            double y0 = top + gr.start() * cell;
            double h = (gr.end() - gr.start()) * cell;
            g.setColor(gr.color());
            g.fill(new Rectangle2D.Double(left - 14, y0, 10, h));
            g.fill(new Rectangle2D.Double(left + gr.start() * cell, top - 14, h, 10));
            g.setColor(Color.BLACK);
            String label = gr.label() + " (" + (gr.end() - gr.start()) + ")";
            g.drawString(label, (float) (left - 20 - fm.stringWidth(label)),
                    (float) (y0 + h / 2 + fm.getAscent() / 2.0 - 2));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Rectangle2D.Double(left + gr.start() * cell, top + gr.start() * cell, h, h));
        }
        g.setColor(new Color(80, 80, 80));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(left, top, size, size));
        g.setColor(Color.BLACK);
        String axis = "networks, grouped (rows and columns in the same order)";
        g.drawString(axis, (float) (left + (size - fm.stringWidth(axis)) / 2.0), (float) (top + size + 26));

        // colour bar
        int bx = left + size + 30;
        int bw = 22;
        for (int k = 0; k < size; k++) {
            double v = hi - (hi - lo) * k / (size - 1.0);
            g.setColor(colour(v));
            g.fill(new Rectangle2D.Double(bx, top + k, bw, 1.6));
        }
        g.setColor(new Color(80, 80, 80));
        g.draw(new Rectangle2D.Double(bx, top, bw, size));
        g.setColor(Color.BLACK);
        for (int t = 0; t <= 4; t++) {
            double v = hi - (hi - lo) * t / 4.0;
            float y = (float) (top + size * t / 4.0);
            g.drawLine(bx + bw, Math.round(y), bx + bw + 5, Math.round(y));
            g.drawString(Fmt.num(v), bx + bw + 8, y + fm.getAscent() / 2f - 2);
        }
        Graphics2D r = (Graphics2D) g.create();
        r.translate(bx + bw + 80, top + size / 2.0);
        r.rotate(Math.PI / 2);
        r.drawString(unit, -fm.stringWidth(unit) / 2f, 0);
        r.dispose();
    }

    private Color colour(double v) {
        if (!Double.isFinite(v)) {
            return new Color(255, 0, 255); // non-finite entries stand out
        }
        double t = Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
        return viridis(t);
    }

    // viridis sampled at 9 points, linearly interpolated: perceptually ordered and greyscale-safe
    private static final int[][] VIRIDIS = {
        {68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
        {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};

    static Color viridis(double t) {
        double p = t * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(p));
        double f = p - i;
        int[] a = VIRIDIS[i];
        int[] b = VIRIDIS[i + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }
}

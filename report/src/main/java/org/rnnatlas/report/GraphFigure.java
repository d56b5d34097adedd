package org.rnnatlas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * A fixed-point transition graph drawn with Java2D: one node per fixed point, placed by its readout (y1 across, y2 up,
 * y3 as an oblique depth so the flip-flop's cube shows its eight corners), coloured by unstable dimensions; an arrow
 * i → j for every transition probability P[i][j] at or above {@link #MIN_PROBABILITY}, its width proportional to P.
 */
final class GraphFigure implements Figure {
    static final double MIN_PROBABILITY = 0.05;
    private static final int W = 900;
    private static final int H = 760;

    /** One node: readout coordinates and unstable-dimension count. */
    record Node(double[] readout, int unstable) {
    }

    private final String title;
    private final List<Node> nodes;
    private final double[][] p;

    GraphFigure(String title, List<Node> nodes, double[][] p) {
        this.title = title;
        this.nodes = List.copyOf(nodes);
        this.p = p;
    }

    @Override
    public int width() {
        return W;
    }

    @Override
    public int height() {
        return H;
    }

    private static double[] place(double[] y, int index) {
        return switch (y.length) {
            case 0 -> new double[] {index, 0};
            case 1 -> new double[] {y[0], index};
            case 2 -> new double[] {y[0], y[1]};
            default -> new double[] {y[0] + 0.45 * y[2], y[1] + 0.3 * y[2]};
        };
    }

    @Override
    public void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Charts.SANS, Font.BOLD, 18));
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (W - tm.stringWidth(title)) / 2f, 32f);
        int n = nodes.size();
        double[][] xy = new double[n][];
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            xy[i] = place(nodes.get(i).readout(), i);
            minX = Math.min(minX, xy[i][0]);
            maxX = Math.max(maxX, xy[i][0]);
            minY = Math.min(minY, xy[i][1]);
            maxY = Math.max(maxY, xy[i][1]);
        }
        double left = 80;
        double top = 70;
        double w = W - 340;
        double h = H - 140;
        double sx = maxX > minX ? w / (maxX - minX) : 1;
        double sy = maxY > minY ? h / (maxY - minY) : 1;
        double s = Math.min(sx, sy); // one scale on both axes: the cube is not stretched
        double ox = left + (w - s * (maxX - minX)) / 2;
        double oy = top + (h - s * (maxY - minY)) / 2;
        double[][] px = new double[n][2];
        for (int i = 0; i < n; i++) {
            px[i][0] = ox + s * (xy[i][0] - minX);
            px[i][1] = oy + s * (maxY - xy[i][1]);
        }
        double r = 11;
        int edges = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j || !(p[i][j] >= MIN_PROBABILITY)) {
                    continue;
                }
                edges++;
                Color c = Palette.unstable(nodes.get(i).unstable());
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
                g.setStroke(new BasicStroke((float) (1 + 5 * p[i][j]), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                double dx = px[j][0] - px[i][0];
                double dy = px[j][1] - px[i][1];
                double len = Math.hypot(dx, dy);
                if (len < 2 * r) {
                    continue;
                }
                double ux = dx / len;
                double uy = dy / len;
                double x1 = px[i][0] + ux * r;
                double y1 = px[i][1] + uy * r;
                double x2 = px[j][0] - ux * (r + 2);
                double y2 = px[j][1] - uy * (r + 2);
                g.draw(new Line2D.Double(x1, y1, x2, y2));
                Path2D head = new Path2D.Double();
                head.moveTo(x2, y2);
                head.lineTo(x2 - ux * 14 - uy * 6, y2 - uy * 14 + ux * 6);
                head.lineTo(x2 - ux * 14 + uy * 6, y2 - uy * 14 - ux * 6);
                head.closePath();
                g.fill(head);
            }
        }
        for (int i = 0; i < n; i++) {
            g.setColor(Palette.unstable(nodes.get(i).unstable()));
            g.fill(new Ellipse2D.Double(px[i][0] - r, px[i][1] - r, 2 * r, 2 * r));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Ellipse2D.Double(px[i][0] - r, px[i][1] - r, 2 * r, 2 * r));
        }
        // legend
        g.setFont(new Font(Charts.SANS, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int lx = W - 235;
        int ly = 90;
        String[] names = {"stable", "1 unstable dim", "2 unstable dims", "3 unstable dims", "4 or more"};
        for (int d = 0; d < names.length; d++) {
            g.setColor(Palette.unstable(d));
            g.fill(new Ellipse2D.Double(lx, ly + d * 26 - 10, 14, 14));
            g.setColor(Color.BLACK);
            g.drawString(names[d], lx + 22, ly + d * 26 + fm.getAscent() / 2f - 4);
        }
        g.drawString(n + " fixed points, " + edges + " arrows", lx, ly + names.length * 26 + 10);
        g.drawString("arrow width ∝ P(i → j)", lx, ly + names.length * 26 + 32);
        String axis = nodes.isEmpty() || nodes.get(0).readout().length < 3 ? "readout y1 (across), y2 (up)"
                : "readout y1 (across), y2 (up), y3 (oblique depth)";
        g.drawString(axis, (float) (left + (w - fm.stringWidth(axis)) / 2), H - 30f);
    }
}

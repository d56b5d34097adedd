package org.rnnatlas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** XChart line and scatter charts in the report's house style: white, large type, formatted ticks. */
final class Charts {
    static final int WIDTH = 800;
    static final int HEIGHT = 600;
    static final String SANS = Font.SANS_SERIF;

    private Charts() {
    }

    static XYChart xy(String title, String xTitle, String yTitle) {
        return xy(title, xTitle, yTitle, WIDTH, HEIGHT);
    }

    static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(80, 80, 80));
        s.setPlotGridLinesColor(new Color(228, 228, 228));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(SANS, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(SANS, Font.PLAIN, 16));
        s.setAxisTickLabelsFont(new Font(SANS, Font.PLAIN, 14));
        s.setLegendFont(new Font(SANS, Font.PLAIN, 14));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setMarkerSize(9);
        s.setXAxisTickLabelsFormattingFunction(Fmt::tick);
        s.setYAxisTickLabelsFormattingFunction(Fmt::tick);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return c;
    }

    /** A scatter series; {@code legend} false hides repeats of a category already in the legend. */
    static XYSeries scatter(XYChart c, String name, double[] x, double[] y, Color color, Marker marker,
                            boolean legend) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
        s.setShowInLegend(legend);
        return s;
    }

    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, float width, boolean legend) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        s.setShowInLegend(legend);
        return s;
    }

    static XYSeries dashed(XYChart c, String name, double[] x, double[] y, Color color, boolean legend) {
        XYSeries s = line(c, name, x, y, color, 2f, legend);
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f},
                0f));
        return s;
    }

    /** Mean with ± standard-error bars. */
    static XYSeries errorBars(XYChart c, String name, double[] x, double[] y, double[] err, Color color,
                              Marker marker) {
        XYSeries s = c.addSeries(name, x, y, err);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(marker);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(2f));
        return s;
    }

    /** Histogram bars as a filled outline over the bin edges. */
    static XYSeries histogram(XYChart c, String name, double[] edges, int[] counts, Color color, boolean legend) {
        int bins = counts.length;
        double[] x = new double[4 * bins];
        double[] y = new double[4 * bins];
        for (int i = 0; i < bins; i++) {
            x[4 * i] = edges[i];
            x[4 * i + 1] = edges[i];
            x[4 * i + 2] = edges[i + 1];
            x[4 * i + 3] = edges[i + 1];
            y[4 * i + 1] = counts[i];
            y[4 * i + 2] = counts[i];
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color.darker());
        s.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 150));
        s.setShowInLegend(legend);
        return s;
    }

    /** Equal-width bins over [lo, hi]; a degenerate range is widened so the bars have width. */
    static double[] edges(double lo, double hi, int bins) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 0.5 : Math.abs(lo) * 0.05;
            lo -= pad;
            hi += pad;
        }
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = lo + (hi - lo) * i / bins;
        }
        return e;
    }

    static int[] counts(double[] values, double[] edges) {
        int bins = edges.length - 1;
        int[] c = new int[bins];
        double lo = edges[0];
        double w = (edges[bins] - lo) / bins;
        for (double v : values) {
            if (Double.isFinite(v)) {
                int b = (int) Math.floor((v - lo) / w);
                c[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        return c;
    }
}

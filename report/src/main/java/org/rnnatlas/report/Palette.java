package org.rnnatlas.report;

import java.awt.Color;
import java.util.List;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one colour scheme of every figure: a colour per architecture, a colour and a marker per activation, a colour per
 * number of unstable dimensions of a fixed point. Architecture colours are Okabe–Ito (distinguishable with the common
 * colour-vision deficiencies and in greyscale by lightness), so a network type looks the same in every panel.
 */
public final class Palette {
    /** The paper's architectures, in the order every legend and heatmap lists them. */
    public static final List<String> CELLS = List.of("vanilla", "ugrnn", "gru", "lstm");
    /** The paper's activations, in legend order. */
    public static final List<String> ACTIVATIONS = List.of("tanh", "relu");

    private static final Color VANILLA = new Color(0, 114, 178);
    private static final Color UGRNN = new Color(230, 159, 0);
    private static final Color GRU = new Color(0, 158, 115);
    private static final Color LSTM = new Color(213, 94, 0);
    private static final Color OTHER = new Color(110, 110, 110);
    private static final Color TANH = new Color(204, 121, 167);
    private static final Color RELU = new Color(86, 180, 233);

    /** Grey for context (trajectories under fixed points, reference lines). */
    public static final Color CONTEXT = new Color(190, 190, 190);
    public static final Color REFERENCE = new Color(60, 60, 60);

    private Palette() {
    }

    public static Color cell(String cell) {
        return switch (cell) {
            case "vanilla" -> VANILLA;
            case "ugrnn" -> UGRNN;
            case "gru" -> GRU;
            case "lstm" -> LSTM;
            default -> OTHER; // a plugin cell: grey, still labelled by name in the legend
        };
    }

    public static Color activation(String activation) {
        return switch (activation) {
            case "tanh" -> TANH;
            case "relu" -> RELU;
            default -> OTHER;
        };
    }

    /** Marker shape of an activation, so panels coloured by architecture still show the activation. */
    public static Marker activationMarker(String activation) {
        return "relu".equals(activation) ? SeriesMarkers.TRIANGLE_UP : SeriesMarkers.CIRCLE;
    }

    /** Fixed points by unstable dimensions: stable black, 1 red, 2 green, 3 blue, more purple (the paper's scheme). */
    public static Color unstable(int dims) {
        return switch (dims) {
            case 0 -> Color.BLACK;
            case 1 -> new Color(220, 30, 30);
            case 2 -> new Color(30, 160, 50);
            case 3 -> new Color(30, 70, 220);
            default -> new Color(150, 60, 170);
        };
    }

    /** Sort rank of a cell: the paper's four first in their order, plugin cells after them. */
    public static int cellRank(String cell) {
        int i = CELLS.indexOf(cell);
        return i < 0 ? CELLS.size() : i;
    }

    public static int activationRank(String activation) {
        int i = ACTIVATIONS.indexOf(activation);
        return i < 0 ? ACTIVATIONS.size() : i;
    }
}

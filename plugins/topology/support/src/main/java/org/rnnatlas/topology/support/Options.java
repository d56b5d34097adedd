package org.rnnatlas.topology.support;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/** Parsing of topology-metric options with messages that name the metric, the option and what is allowed. */
public final class Options {

    private Options() {
    }

    /** Refuses any key of {@code options} not in {@code allowed}; {@code help} describes the allowed options. */
    public static void checkKeys(String metric, Map<String, String> options, Collection<String> allowed, String help) {
        Objects.requireNonNull(options, "options");
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("Topology metric '" + metric + "' has no option '" + key
                        + "'. Allowed: " + help);
            }
        }
    }

    /** An integer in [min, max]. */
    public static int integer(String metric, String key, String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(metric + " option " + key + ": '" + value
                    + "' is not an integer; allowed: " + min + ".." + max, e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(metric + " option " + key + ": " + v + " is out of range; allowed: "
                    + min + ".." + max);
        }
        return v;
    }

    /** A finite number &gt; 0, or ≥ 0 when {@code zeroAllowed}. */
    public static double positive(String metric, String key, String value, boolean zeroAllowed) {
        double v;
        try {
            v = Double.parseDouble(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(metric + " option " + key + ": '" + value
                    + "' is not a number; allowed: a finite number " + (zeroAllowed ? ">= 0" : "> 0"), e);
        }
        if (!Double.isFinite(v) || v < 0.0 || (!zeroAllowed && v == 0.0)) {
            throw new IllegalArgumentException(metric + " option " + key + ": " + value
                    + " is out of range; allowed: a finite number " + (zeroAllowed ? ">= 0" : "> 0"));
        }
        return v;
    }
}

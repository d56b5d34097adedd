package org.rnnatlas.core.population;

import java.util.Locale;

/**
 * One member of a population: everything but the hyperparameters, which come from the search (or the spec).
 */
public record NetworkConfig(String task, String cell, String activation, int units, double l2, long seed) {

    /** The configuration this network belongs to, shared by all its seeds: the unit of hyperparameter search. */
    public String configKey() {
        return task + "-" + cell + "-" + activation + "-n" + units + "-l2_" + formatL2(l2);
    }

    /** The network's id and folder name in the store, e.g. {@code flipflop-gru-tanh-n64-l2_1e-04-s0}. */
    public String id() {
        return configKey() + "-s" + seed;
    }

    /** L2 written compactly and stably: {@code 1e-04}, {@code 0}, {@code 2.5e-03}. */
    public static String formatL2(double v) {
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.6e", v);
        String mant = s.substring(0, s.indexOf('e')).replaceAll("0+$", "").replaceAll("\\.$", "");
        int exp = Integer.parseInt(s.substring(s.indexOf('e') + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
    }
}

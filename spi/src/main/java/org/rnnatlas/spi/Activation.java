package org.rnnatlas.spi;

import java.util.Arrays;
import java.util.Locale;

/**
 * The cell's non-gate nonlinearity φ (SPEC §1). Gates always use the logistic sigmoid; φ is applied to the
 * candidate and, in the LSTM, to the cell state on output.
 */
public enum Activation {
    TANH {
        @Override
        public double apply(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivativeFromOutput(double y) {
            return 1.0 - y * y;
        }
    },
    RELU {
        @Override
        public double apply(double z) {
            return z > 0 ? z : 0.0;
        }

        @Override
        public double derivativeFromOutput(double y) {
            return y > 0 ? 1.0 : 0.0;
        }
    };

    /** φ(z). */
    public abstract double apply(double z);

    /** φ'(z) expressed through y = φ(z): 1 − y² for tanh, [y &gt; 0] for relu. */
    public abstract double derivativeFromOutput(double y);

    /** The lower-case name used in specs, stores and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "tanh"} or {@code "relu"}; the error names what is allowed. */
    public static Activation of(String id) {
        for (Activation a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("Unknown activation '" + id + "'. Allowed: "
                + Arrays.stream(values()).map(Activation::id).toList());
    }

    /** The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), shared by every gate. */
    public static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }
}

package org.rnnatlas.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Readable numbers for tick labels, legends, captions and tables: 3 significant digits, no float noise. */
public final class Fmt {
    private Fmt() {
    }

    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        String s = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }

    /** Tick labels: as {@link #num} but with the ASCII minus (XChart measures label widths with it). */
    public static String tick(double v) {
        return num(v).replace('−', '-');
    }

    /** A count with its noun, singular for one: {@code count(1, "network")} is "1 network", else "n networks". */
    public static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}

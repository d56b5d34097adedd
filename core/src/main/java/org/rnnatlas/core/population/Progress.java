package org.rnnatlas.core.population;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar with ETA for long population work, on stderr. Work is counted in training iterations (the unit
 * whose cost is roughly constant within a population); finished units are counted separately. On a terminal the
 * bar redraws in place every half second; otherwise (logs, CI) a line is printed every {@code 15 s}.
 */
public final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long totalWork;
    private final int totalUnits;
    private final AtomicLong work = new AtomicLong();
    private final AtomicInteger units = new AtomicInteger();
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer;

    public Progress(PrintStream out, boolean terminal, String label, long totalWork, int totalUnits) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.totalWork = Math.max(1, totalWork);
        this.totalUnits = totalUnits;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rnnatlas-progress");
            t.setDaemon(true);
            return t;
        });
        long period = terminal ? 500 : 15_000;
        timer.scheduleAtFixedRate(this::print, period, period, TimeUnit.MILLISECONDS);
    }

    /** Adds finished work (iterations). Cheap enough to call every iteration. */
    public void advance(long amount) {
        work.addAndGet(amount);
    }

    /** One unit (a network or search trial) finished; prints its line. */
    public synchronized void unitDone(String message) {
        units.incrementAndGet();
        if (terminal) {
            out.print("\r\033[2K");
        }
        out.println(message);
        if (terminal) {
            out.print(line());
            out.flush();
        }
    }

    private synchronized void print() {
        if (terminal) {
            out.print("\r\033[2K" + line());
            out.flush();
        } else {
            out.println(line());
        }
    }

    String line() {
        double frac = Math.min(1.0, work.get() / (double) totalWork);
        double elapsed = (System.nanoTime() - start) / 1e9;
        int width = 24;
        int filled = (int) Math.round(frac * width);
        String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
        String eta = frac > 0.005 ? clock(elapsed / frac - elapsed) : "--:--";
        return String.format(Locale.ROOT, "%s [%s] %3.0f%%  %d/%d done  elapsed %s  ETA %s", label, bar, 100 * frac,
                units.get(), totalUnits, clock(elapsed), eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (terminal) {
            out.print("\r\033[2K");
            out.flush();
        }
    }
}

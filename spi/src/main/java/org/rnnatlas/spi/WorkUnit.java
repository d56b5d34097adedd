package org.rnnatlas.spi;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of population work that an {@link Executor} can send to any worker: one network to train, one search
 * trial to run (later also one network's dynamics, one tile of a distance matrix).
 *
 * <p>A unit is a pure function of its {@link #args()} and of the store they point to: it reads its inputs from the
 * store, writes its results there atomically, and writes the same bytes whichever worker runs it, in whatever
 * order. Running a unit whose results are already in the store again is a no-op, so a re-submitted job, or the
 * retry of a lost worker's task, redoes only what is missing.
 *
 * <p>Units cross process boundaries (Java serialization, as Spark ships them), so the args are plain strings:
 * paths as absolute paths or URIs every worker can reach, numbers in decimal.
 *
 * @param kind what to do, e.g. {@code "train-network"}; the {@link UnitRunner} dispatches on it
 * @param id   unique within one {@link Executor#execute} call; names the unit in progress lines and failures
 * @param args everything the runner needs besides the store's content; copied, unmodifiable
 */
public record WorkUnit(String kind, String id, Map<String, String> args) implements Serializable {
    private static final long serialVersionUID = 1L;

    public WorkUnit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        args = Map.copyOf(args);
    }

    /**
     * The named argument.
     *
     * @throws IllegalArgumentException when the unit has no such argument
     */
    public String arg(String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Work unit " + id + " (" + kind + ") has no argument '" + key
                    + "'; it has " + new java.util.TreeSet<>(args.keySet()));
        }
        return v;
    }
}

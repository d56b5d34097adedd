package org.rnnatlas.core.population;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.rnnatlas.core.io.AtomicFiles;
import org.rnnatlas.core.io.Json;

/**
 * A store: a folder holding a population's results in files Python reads directly ({@code .npy}, JSON). The layout
 * is public API, documented in {@code docs/store.md} and versioned by {@link Manifest#FORMAT}:
 * <pre>
 * manifest.json                      population spec, per-network status, search outcomes
 * runs.log                           one JSON line per run: time, threads, kernel (not deterministic)
 * tasks/&lt;task&gt;/task.json             task options, shape, probe attributes, conditions
 * tasks/&lt;task&gt;/probe_inputs.npy      trials × T × M
 * tasks/&lt;task&gt;/probe_targets.npy     trials × T × K
 * search/&lt;config&gt;/trial-&lt;k&gt;.json     search trials
 * networks/&lt;id&gt;/network.json         the network's record, written last
 * networks/&lt;id&gt;/params/&lt;block&gt;.npy  trained parameters; init/&lt;block&gt;.npy the initial ones
 * networks/&lt;id&gt;/loss.npy             training MSE per iteration
 * networks/&lt;id&gt;/probe_states.npy     trials × T × S on the probe set; init_probe_states.npy untrained
 * networks/&lt;id&gt;/run.json             wall time and thread (not deterministic)
 * </pre>
 */
public final class Store {
    private final Path root;

    public Store(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Every file under {@code root} (a store or any folder in one) that the store's determinism contract covers, by
     * path relative to {@code root}, with its bytes: all but {@code run.json} and {@code runs.log}, which record
     * wall time, threads and executor (docs/store.md, "Deterministic files"). Two runs of the same spec and kernel
     * give equal maps, whatever the thread count or executor; the tests compare stores with it.
     */
    public static java.util.SortedMap<String, byte[]> deterministicFiles(Path root) throws IOException {
        java.util.SortedMap<String, byte[]> files = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.equals("run.json") && !name.equals("runs.log")) {
                    files.put(root.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    public Path root() {
        return root;
    }

    public Path manifestFile() {
        return root.resolve("manifest.json");
    }

    public Path networkDir(String id) {
        return root.resolve("networks").resolve(id);
    }

    public Path taskDir(String task) {
        return root.resolve("tasks").resolve(task);
    }

    public Path searchFile(String configKey, int trial) {
        return root.resolve("search").resolve(configKey).resolve("trial-" + trial + ".json");
    }

    public Path runsLog() {
        return root.resolve("runs.log");
    }

    public Optional<Manifest> readManifest() throws IOException {
        Path f = manifestFile();
        try {
            Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        // any other failure (an unreachable HDFS namenode, a denied permission) propagates with its own message
        // instead of passing for "no store here"
        Manifest m = Json.read(f, Manifest.class);
        if (m.format() == null || !m.format().startsWith("rnnatlas.store/")) {
            throw new SpecException(f + " is not an rnnatlas store manifest (format " + m.format() + ")");
        }
        if (!Manifest.FORMAT.equals(m.format())) {
            throw new SpecException(f + " has store format " + m.format() + "; this version reads " + Manifest.FORMAT);
        }
        return Optional.of(m);
    }

    /** The network's record if it finished (trained or diverged), else empty. */
    public Optional<NetworkRecord> finishedNetwork(String id) throws IOException {
        Path f = networkDir(id).resolve("network.json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        NetworkRecord r = Json.read(f, NetworkRecord.class);
        return r.finished() ? Optional.of(r) : Optional.empty();
    }

    public Optional<SearchTrialRecord> searchTrial(String configKey, int trial) throws IOException {
        Path f = searchFile(configKey, trial);
        return Files.exists(f) ? Optional.of(Json.read(f, SearchTrialRecord.class)) : Optional.empty();
    }

    /**
     * Makes sure {@code root} can hold a store: creates it, refuses a non-empty folder that is not a store, and
     * checks that it is writable. Removes temporaries a killed run left.
     */
    public void prepare() throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new SpecException("Output " + root + " exists and is not a folder");
        }
        if (Files.isDirectory(root) && !Files.exists(manifestFile()) && !AtomicFiles.isEmptyDirectory(root)) {
            throw new SpecException("Output folder " + root + " is not empty and is not an rnnatlas store"
                    + " (no manifest.json); choose a new or empty folder");
        }
        try {
            Files.createDirectories(root);
            Path probe = root.resolve(".write-check" + AtomicFiles.TMP_INFIX + ProcessHandle.current().pid());
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new SpecException("Output folder " + root + " is not writable (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
        AtomicFiles.removeTemporaries(root);
    }
}

package org.rnnatlas.report;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.Store;

/** Read-only access to what a store holds (docs/store.md), tolerant of what is missing. */
final class StoreData {
    final Store store;
    final Manifest manifest;
    final Map<String, Manifest.Entry> entries = new LinkedHashMap<>();

    StoreData(Path root) throws IOException {
        this.store = new Store(root);
        this.manifest = store.readManifest().orElseThrow(() -> new IllegalArgumentException(
                root + " is not an rnnatlas store: it has no manifest.json (make one with rnnatlas train)"));
        for (Manifest.Entry e : manifest.networks()) {
            entries.put(e.id(), e);
        }
    }

    Path root() {
        return store.root();
    }

    List<String> tasks() {
        return manifest.spec().tasks();
    }

    /** The entry of a network id, with a {@code trained:} or {@code untrained:} prefix removed. */
    Optional<Manifest.Entry> entry(String id) {
        int colon = id.indexOf(':');
        return Optional.ofNullable(entries.get(colon < 0 ? id : id.substring(colon + 1)));
    }

    String cell(String id) {
        return entry(id).map(Manifest.Entry::cell).orElse("?");
    }

    String activation(String id) {
        return entry(id).map(Manifest.Entry::activation).orElse("?");
    }

    Optional<NetworkRecord> network(String id) throws IOException {
        return store.finishedNetwork(id);
    }

    /** Trained networks of a task, in manifest order. */
    List<Manifest.Entry> trained(String task) {
        return manifest.networks().stream()
                .filter(e -> e.task().equals(task) && NetworkRecord.TRAINED.equals(e.status())).toList();
    }

    Map<String, Object> taskJson(String task) throws IOException {
        return map(store.taskDir(task).resolve("task.json")).orElse(Map.of());
    }

    Path geometryDir(String task) {
        return root().resolve("geometry").resolve(task);
    }

    Path dynamicsDir(String task) {
        return root().resolve("dynamics").resolve(task);
    }

    /**
     * The square trained × trained distance matrices of a task under {@code dir}: sidecars with mode {@code square}
     * whose rows are trained states, ordered svcca, cka, procrustes, then the rest by name.
     */
    List<String> squareMatrices(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".json") || !f.startsWith(prefix)) {
                    continue;
                }
                String name = f.substring(0, f.length() - 5);
                if (!Files.exists(dir.resolve(name + ".npy"))) {
                    continue;
                }
                Map<String, Object> m = map(p).orElse(Map.of());
                Object states = m.get("row_states");
                if ("rnnatlas.distances/1".equals(m.get("format")) && "square".equals(m.get("mode"))
                        && states != null && states.toString().startsWith("trained")) {
                    names.add(name);
                }
            }
        }
        List<String> order = List.of("svcca", "cka", "procrustes");
        names.sort(Comparator.comparingInt((String n) -> order.indexOf(n) < 0 ? order.size() : order.indexOf(n))
                .thenComparing(Comparator.naturalOrder()));
        return names;
    }

    Optional<DistanceMatrix> matrix(Path dir, String name) throws IOException {
        Path f = dir.resolve(name + ".npy");
        return Files.exists(f) && Files.exists(dir.resolve(name + ".json"))
                ? Optional.of(DistanceMatrix.read(f)) : Optional.empty();
    }

    /** An embedding ({@code <name>.npy}, n × 2) and its sidecar. */
    record Embedding(List<String> ids, double[] x, double[] y, Map<String, Object> meta) {
    }

    Optional<Embedding> embedding(Path dir, String name) throws IOException {
        Path f = dir.resolve(name + ".npy");
        Optional<Map<String, Object>> meta = map(dir.resolve(name + ".json"));
        if (!Files.exists(f) || meta.isEmpty()) {
            return Optional.empty();
        }
        Npy.Array a = Npy.read(f);
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) meta.get().get("ids");
        if (a.shape().length != 2 || a.shape()[1] < 2 || ids == null || ids.size() != a.shape()[0]) {
            throw new IOException(f + " has shape " + java.util.Arrays.toString(a.shape()) + " but its sidecar names "
                    + (ids == null ? "no" : ids.size()) + " networks; expected n x 2");
        }
        int n = ids.size();
        int cols = a.shape()[1];
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a.data()[i * cols];
            y[i] = a.data()[i * cols + 1];
        }
        return Optional.of(new Embedding(ids, x, y, meta.get()));
    }

    /** A network's dynamics folder if its analysis finished ({@code analysis.json} present). */
    Optional<Path> analysed(String task, String state, String id) {
        Path d = dynamicsDir(task).resolve(state).resolve(id);
        return Files.exists(d.resolve("analysis.json")) ? Optional.of(d) : Optional.empty();
    }

    static Optional<Map<String, Object>> map(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Json.read(file, new TypeReference<Map<String, Object>>() {
        }));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static double[] doubles(Object o) {
        if (!(o instanceof List<?> l)) {
            return new double[0];
        }
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = num(l.get(i));
        }
        return d;
    }
}

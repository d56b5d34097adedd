package org.rnnatlas.spi.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.spi.Representation;

/**
 * Reference distances computed outside rnnatlas (NumPy/SciPy; each plugin's README beside the files gives the
 * script), read from {@code golden.json} in the test class's package resources:
 * <pre>{@code
 * {"inputs": ["x0.npy", "x1.npy", ...],          // samples × units float64 arrays, not centred
 *  "cases": [{"options": {"threshold": "0.95"},  // passed to SimilarityMetric.configure
 *             "distances": [[0, 1, 0.4123...], ...]}]}
 * }</pre>
 *
 * @param inputs the representations, in file order
 * @param cases  option maps with their expected distances
 */
public record SimilarityGolden(List<Representation> inputs, List<Case> cases) {

    /** One option setting and its expected distances. */
    public record Case(Map<String, String> options, List<Pair> distances) {
    }

    /** The expected distance between inputs i and j. */
    public record Pair(int i, int j, double distance) {
    }

    /** Reads {@code name} and the arrays it lists from {@code anchor}'s package resources. */
    public static SimilarityGolden load(Class<?> anchor, String name) throws IOException {
        JsonNode root;
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no golden file '" + name + "' beside " + anchor.getName()
                        + " (expected in src/test/resources/" + anchor.getPackageName().replace('.', '/') + "/)");
            }
            root = Json.MAPPER.readTree(in);
        }
        List<Representation> inputs = new ArrayList<>();
        for (JsonNode f : root.get("inputs")) {
            Npy.Array a = Npy.read(resource(anchor, f.asText()));
            if (a.shape().length != 2) {
                throw new IOException(f.asText() + ": expected a 2-d array, got shape " + java.util.Arrays.toString(a.shape()));
            }
            inputs.add(new Representation(a.shape()[0], a.shape()[1], a.data()));
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            Map<String, String> options = new LinkedHashMap<>();
            c.get("options").properties().forEach(e -> options.put(e.getKey(), e.getValue().asText()));
            List<Pair> pairs = new ArrayList<>();
            for (JsonNode p : c.get("distances")) {
                pairs.add(new Pair(p.get(0).asInt(), p.get(1).asInt(), p.get(2).asDouble()));
            }
            cases.add(new Case(Map.copyOf(options), List.copyOf(pairs)));
        }
        return new SimilarityGolden(List.copyOf(inputs), List.copyOf(cases));
    }

    private static Path resource(Class<?> anchor, String name) throws IOException {
        URL url = anchor.getResource(name);
        if (url == null) {
            throw new IOException("golden input '" + name + "' missing beside " + anchor.getName());
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}

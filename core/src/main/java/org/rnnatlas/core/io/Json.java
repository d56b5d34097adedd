package org.rnnatlas.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one JSON configuration of the store: pretty-printed, map keys sorted, so that the same content always gives
 * the same bytes (stored results must be bit-identical across runs and thread counts).
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Lenient reader for stores written by newer minor versions: unknown fields are ignored. */
    public static final ObjectMapper LENIENT = MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, write(value));
    }

    /** Reads {@code file} leniently (unknown fields ignored), on any java.nio provider. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return parse(file, in -> LENIENT.readValue(in, type));
    }

    /** As {@link #read(Path, Class)}, for generic types ({@code new TypeReference<Map<String, Object>>() {}}). */
    public static <T> T read(Path file, TypeReference<T> type) throws IOException {
        return parse(file, in -> LENIENT.readValue(in, type));
    }

    /** {@code file} as a JSON tree, on any java.nio provider. */
    public static JsonNode readTree(Path file) throws IOException {
        return parse(file, LENIENT::readTree);
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(InputStream in) throws IOException;
    }

    /** Parses {@code file} through a stream (any provider); a malformed file's error names the file. */
    private static <T> T parse(Path file, Parser<T> parser) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(in);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": " + e.getOriginalMessage(), e);
        }
    }
}

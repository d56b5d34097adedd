package org.rnnatlas.core.geometry;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;

/**
 * A distance matrix as {@link AllPairs} writes it: {@code <name>.npy} ({@code rows × cols}, float64) and its sidecar
 * {@code <name>.json} (format {@value AllPairs#FORMAT}).
 *
 * @param data     row-major {@code rows × cols}
 * @param metadata the whole sidecar
 */
public record DistanceMatrix(List<String> rowIds, List<String> colIds, double[] data, Map<String, Object> metadata) {

    public DistanceMatrix {
        rowIds = List.copyOf(rowIds);
        colIds = List.copyOf(colIds);
        if (data.length != (long) rowIds.size() * colIds.size()) {
            throw new GeometryException("distance matrix has " + data.length + " entries, expected "
                    + rowIds.size() + " x " + colIds.size());
        }
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    public int rows() {
        return rowIds.size();
    }

    public int cols() {
        return colIds.size();
    }

    public double get(int i, int j) {
        return data[i * colIds.size() + j];
    }

    /** True for an all-pairs matrix of one set of networks (same ids and states on both sides). */
    public boolean square() {
        return "square".equals(metadata.get("mode"));
    }

    /** Reads {@code file} ({@code .npy}) and the sidecar beside it ({@code .json} of the same base name). */
    public static DistanceMatrix read(Path file) throws IOException {
        String base = file.getFileName().toString();
        if (!base.endsWith(".npy")) {
            throw new GeometryException("A distance matrix is a .npy file, got " + file);
        }
        Path sidecar = file.resolveSibling(base.substring(0, base.length() - 4) + ".json");
        if (!Files.exists(sidecar)) {
            throw new GeometryException("Distance matrix " + file + " has no sidecar " + sidecar.getFileName()
                    + " (it names the networks in row order)");
        }
        Map<String, Object> meta = Json.read(sidecar, new TypeReference<Map<String, Object>>() {
        });
        if (!AllPairs.FORMAT.equals(meta.get("format"))) {
            throw new GeometryException(sidecar + " has format " + meta.get("format") + "; this version reads "
                    + AllPairs.FORMAT);
        }
        @SuppressWarnings("unchecked")
        List<String> rows = (List<String>) meta.get("row_ids");
        @SuppressWarnings("unchecked")
        List<String> cols = (List<String>) meta.get("col_ids");
        Npy.Array a = Npy.read(file);
        int[] s = a.shape();
        if (s.length != 2 || rows == null || cols == null || s[0] != rows.size() || s[1] != cols.size()) {
            throw new GeometryException(file + " has shape " + java.util.Arrays.toString(s) + " but its sidecar"
                    + " names " + (rows == null ? "no" : rows.size()) + " rows and " + (cols == null ? "no"
                    : cols.size()) + " columns");
        }
        return new DistanceMatrix(rows, cols, a.data(), meta);
    }
}

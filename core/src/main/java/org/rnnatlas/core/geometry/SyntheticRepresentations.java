package org.rnnatlas.core.geometry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnatlas.core.population.Seeds;
import org.rnnatlas.spi.Representation;

/**
 * A synthetic population of representations for scale tests and benchmarks, shaped like trained RNNs on the
 * flip-flop probe set: {@value #SAMPLES} samples per network, units uniform in {@value #MIN_UNITS}..{@value #MAX_UNITS},
 * and a low-dimensional signal whose 95%-variance dimension k is uniform in {@value #MIN_DIMENSION}..{@value #MAX_DIMENSION},
 * plus isotropic noise carrying {@value #NOISE_SHARE} of the variance.
 *
 * <p>Network i belongs to family {@code i mod families}. Its signal is {@code L·diag(σ)·Rᵀ}: L ({@code samples × k},
 * orthonormal columns) is the family's first k latent directions perturbed by the network's own (so that networks of
 * a family are close but not equal, and families form clusters in an MDS map), R ({@code units × k}, orthonormal
 * columns) a random embedding into the units, and the k components carry equal shares of 99% of the total sum of
 * squares {@code samples·units}. With equal shares the first k−1 components carry at most
 * {@code 0.99·19/20 = 94.05%}, so the 95%-variance dimension is exactly k. Noise is i.i.d. N(0, 0.01) per entry.
 *
 * <p>Representations are generated on demand from {@code (seed, i)} alone (a 2,880-network population would not fit
 * in memory), deterministically and thread-safely; generating one 6,400 × 256 network takes tens of milliseconds.
 */
public final class SyntheticRepresentations {
    public static final int SAMPLES = 6400;
    public static final int MIN_UNITS = 64;
    public static final int MAX_UNITS = 256;
    public static final int MIN_DIMENSION = 5;
    public static final int MAX_DIMENSION = 20;
    public static final double NOISE_SHARE = 0.01;
    public static final int DEFAULT_FAMILIES = 8;
    /** How far a network's latent directions stray from its family's (relative Gaussian perturbation before re-orthonormalising). */
    static final double PRIVATE_SHARE = 0.5;

    private final int samples;
    private final int families;
    private final long seed;
    private final int[] units;
    private final int[] dimension;
    private final List<String> ids;
    private final Map<String, Integer> index = new HashMap<>();
    private final double[][] familyLatents;

    /** {@code networks} networks of {@value #SAMPLES} samples in {@value #DEFAULT_FAMILIES} families. */
    public SyntheticRepresentations(int networks, long seed) {
        this(networks, SAMPLES, DEFAULT_FAMILIES, seed);
    }

    public SyntheticRepresentations(int networks, int samples, int families, long seed) {
        if (networks < 1 || samples < 2 * MAX_DIMENSION || families < 1) {
            throw new IllegalArgumentException("need networks >= 1, samples >= " + 2 * MAX_DIMENSION
                    + ", families >= 1; got " + networks + ", " + samples + ", " + families);
        }
        this.samples = samples;
        this.families = families;
        this.seed = seed;
        this.units = new int[networks];
        this.dimension = new int[networks];
        List<String> names = new ArrayList<>(networks);
        for (int i = 0; i < networks; i++) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, "synthetic-shape", Integer.toString(i)));
            units[i] = r.nextInt(MIN_UNITS, MAX_UNITS + 1);
            dimension[i] = r.nextInt(MIN_DIMENSION, MAX_DIMENSION + 1);
            String id = String.format(Locale.ROOT, "synthetic-f%d-n%d-k%d-s%d", i % families, units[i], dimension[i], i);
            names.add(id);
            index.put(id, i);
        }
        this.ids = List.copyOf(names);
        this.familyLatents = new double[families][];
        for (int f = 0; f < families; f++) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, "synthetic-family", Integer.toString(f)));
            double[] l = gaussian(r, samples * MAX_DIMENSION);
            orthonormalizeColumns(l, samples, MAX_DIMENSION);
            familyLatents[f] = l;
        }
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return ids;
    }

    public int samples() {
        return samples;
    }

    public int units(int i) {
        return units[i];
    }

    /** The network's 95%-variance dimension k. */
    public int dimension(int i) {
        return dimension[i];
    }

    public int family(int i) {
        return i % families;
    }

    /** All networks as one side of an all-pairs computation. */
    public AllPairs.Side side() {
        return new AllPairs.Side(ids, "synthetic(seed=" + seed + ",samples=" + samples + ",families=" + families + ")",
                this::load);
    }

    public Representation load(String id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new GeometryException("No synthetic network '" + id + "' in this population of " + ids.size());
        }
        return get(i);
    }

    /** Network i's representation, {@code samples × units}, generated from (seed, i). */
    public Representation get(int i) {
        int u = units[i];
        int k = dimension[i];
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, "synthetic-network", Integer.toString(i)));
        // latent: the family's first k directions, perturbed, re-orthonormalised
        double[] fam = familyLatents[i % families];
        double[] l = new double[samples * k];
        for (int s = 0; s < samples; s++) {
            for (int c = 0; c < k; c++) {
                l[s * k + c] = fam[s * MAX_DIMENSION + c] + PRIVATE_SHARE * r.nextGaussian() / Math.sqrt(samples);
            }
        }
        orthonormalizeColumns(l, samples, k);
        double[] rot = gaussian(r, u * k);
        orthonormalizeColumns(rot, u, k);
        // equal shares of 99% of the total sum of squares samples·u: σ_c² = 0.99·samples·u/k (‖L_c‖ = 1)
        double sigma = Math.sqrt((1 - NOISE_SHARE) * samples * u / k);
        double noise = Math.sqrt(NOISE_SHARE);
        // Rᵀ (k × units), so the inner loop runs along a row of x (contiguous; C2 vectorises it)
        double[] rotT = new double[k * u];
        for (int j = 0; j < u; j++) {
            for (int c = 0; c < k; c++) {
                rotT[c * u + j] = rot[j * k + c];
            }
        }
        double[] x = new double[samples * u];
        for (int s = 0; s < samples; s++) {
            int row = s * u;
            for (int j = 0; j < u; j++) {
                x[row + j] = noise * r.nextGaussian();
            }
            for (int c = 0; c < k; c++) {
                double coef = sigma * l[s * k + c];
                int rc = c * u;
                for (int j = 0; j < u; j++) {
                    x[row + j] += coef * rotT[rc + j];
                }
            }
        }
        return new Representation(samples, u, x);
    }

    private static double[] gaussian(SplittableRandom r, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = r.nextGaussian();
        }
        return g;
    }

    /**
     * Centres the columns of the {@code rows × cols} row-major matrix and makes them orthonormal (modified
     * Gram-Schmidt, twice).
     */
    static void orthonormalizeColumns(double[] a, int rows, int cols) {
        for (int c = 0; c < cols; c++) {
            double mean = 0;
            for (int s = 0; s < rows; s++) {
                mean += a[s * cols + c];
            }
            mean /= rows;
            for (int s = 0; s < rows; s++) {
                a[s * cols + c] -= mean;
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < cols; c++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int s = 0; s < rows; s++) {
                        dot += a[s * cols + p] * a[s * cols + c];
                    }
                    for (int s = 0; s < rows; s++) {
                        a[s * cols + c] -= dot * a[s * cols + p];
                    }
                }
                double norm = 0;
                for (int s = 0; s < rows; s++) {
                    norm += a[s * cols + c] * a[s * cols + c];
                }
                norm = Math.sqrt(norm);
                for (int s = 0; s < rows; s++) {
                    a[s * cols + c] /= norm;
                }
            }
        }
    }
}

package org.rnnatlas.core.kernel;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import org.rnnatlas.spi.Ops;

/**
 * Chooses, once per JVM, the {@link Ops} implementation core hands to cells. The system property
 * {@value #PROPERTY} selects it: {@code auto} (default) uses the Vector API kernels when the module
 * {@code jdk.incubator.vector} is in the boot layer and the class links (its preferred species has 4, 8 or 16
 * float lanes: NEON/SSE, AVX2, AVX-512), and otherwise falls back to {@link ScalarOps} with one warning line on
 * stderr; {@code scalar} forces the reference kernels; {@code panama}
 * demands the Vector API kernels and fails if they are unavailable.
 *
 * <p>Below 16 lanes on x86 (AVX2, SSE: 16 vector registers) the Vector API kernels use gemm tiles sized for 16
 * registers, and {@link #describe()} says {@code "16-register tiles"}; {@code -Drnnatlas.simd.registers=16|32}
 * overrides that guess (see {@code PanamaOps.REGISTERS_PROPERTY}).
 *
 * <p>The Vector API class is loaded by name, so this class never links {@code jdk.incubator.vector}; the decision
 * is taken lazily in holder classes (no locks, no mutable statics).
 */
public final class Kernels {

    /** System property naming the kernel choice. */
    public static final String PROPERTY = "rnnatlas.simd";
    static final String PANAMA_CLASS = "org.rnnatlas.core.kernel.panama.PanamaOps";
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The allowed values of {@value #PROPERTY}. */
    enum Request { AUTO, SCALAR, PANAMA;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Request parse(String value) {
            String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
            for (Request r : values()) {
                if (r.id().equals(v)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("Bad value '" + value + "' for -D" + PROPERTY
                    + ". Allowed: auto, scalar, panama");
        }
    }

    /** The outcome of trying to build the Vector API kernels: an instance or the reason there is none. */
    record Availability(Optional<Ops> ops, String detail) {
    }

    /** The selected kernels and their description. */
    record Selection(Ops ops, String description) {
    }

    private Kernels() {
    }

    /** The kernels to use in this JVM (decided on first call). */
    public static Ops ops() {
        return SelectionHolder.SELECTION.ops();
    }

    /**
     * E.g. {@code "panama-512 (FloatVector, 16 lanes, requested auto)"}, {@code "panama-256 (FloatVector, 8 lanes,
     * requested auto)"} or {@code "scalar (requested scalar)"}.
     */
    public static String describe() {
        return SelectionHolder.SELECTION.description();
    }

    /** The scalar reference kernels. */
    public static Ops scalar() {
        return ScalarOps.INSTANCE;
    }

    /** The Vector API kernels if this JVM can run them (for tests and benchmarks), independent of the property. */
    public static Optional<Ops> panama() {
        return PanamaHolder.AVAILABILITY.ops();
    }

    private static final class PanamaHolder {
        static final Availability AVAILABILITY = probePanama();
    }

    private static final class SelectionHolder {
        static final Selection SELECTION = select(System.getProperty(PROPERTY), PanamaHolder.AVAILABILITY, System.err);
    }

    /** Builds PanamaOps by name if the incubator module is in the boot layer; never throws. */
    static Availability probePanama() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return new Availability(Optional.empty(), "module " + VECTOR_MODULE + " is not in the boot layer");
        }
        try {
            Class<?> cls = Class.forName(PANAMA_CLASS);
            Ops ops = (Ops) cls.getConstructor().newInstance();
            String detail = (String) cls.getMethod("details").invoke(ops);
            return new Availability(Optional.of(ops), detail);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Availability(Optional.empty(), "cannot build " + PANAMA_CLASS + ": " + cause);
        }
    }

    // visible for tests: the whole decision, with the property value, the probe and the warning stream as inputs
    static Selection select(String property, Availability panama, PrintStream warnings) {
        Request request = Request.parse(property);
        String requested = "requested " + request.id();
        switch (request) {
            case SCALAR:
                return new Selection(ScalarOps.INSTANCE, "scalar (" + requested + ")");
            case PANAMA:
                Ops ops = panama.ops().orElseThrow(() -> new IllegalStateException("-D" + PROPERTY
                        + "=panama but the Vector API kernels are unavailable: " + panama.detail()
                        + ". Add --add-modules " + VECTOR_MODULE + " to the java command line"
                        + " (or use -D" + PROPERTY + "=auto|scalar)."));
                return new Selection(ops, ops.name() + " (" + panama.detail() + ", " + requested + ")");
            default:
                if (panama.ops().isPresent()) {
                    Ops p = panama.ops().get();
                    return new Selection(p, p.name() + " (" + panama.detail() + ", " + requested + ")");
                }
                // the fix is only ours to name when the module is missing (an unsupported vector width has none)
                String fix = panama.detail().contains(VECTOR_MODULE + " is not in the boot layer")
                        ? " Fix: add --add-modules " + VECTOR_MODULE + " to the java command line." : "";
                warnings.println("rnnatlas: WARNING: Vector API kernels unavailable (" + panama.detail()
                        + "); using slow scalar kernels." + fix);
                return new Selection(ScalarOps.INSTANCE, "scalar (" + panama.detail() + ", " + requested + ")");
        }
    }
}

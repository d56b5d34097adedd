package org.rnnatlas.core.exec;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.rnnatlas.core.io.StorePaths;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Ops;

/**
 * What a unit runner rebuilds on a worker from a unit's string args: the kernel the driver planned with, and the
 * plugins (class path plus the driver's plugin folders). Shared by the dynamics and distance-tile runners.
 */
public final class WorkerContext {
    /** Arg: the kernel's {@link Ops#name()}. */
    public static final String KERNEL = "kernel";
    /** Arg: plugin folders joined by the path separator (may be empty). */
    public static final String PLUGIN_PATH = "plugin_path";

    // Plugin folders load into a fresh class loader; one Plugins per folder list and worker JVM keeps one set of
    // plugin classes (and their JIT-compiled code) instead of one per unit.
    private static final Map<String, Plugins> PLUGINS = new ConcurrentHashMap<>();

    private WorkerContext() {
    }

    /**
     * A store folder (or a file in it) as an arg value: an absolute path, or a URI for a store on another filesystem
     * ({@link StorePaths}, e.g. {@code hdfs://}); {@link #path} turns it back.
     */
    public static String pathArg(Path p) {
        return StorePaths.isDefault(p) ? p.toAbsolutePath().normalize().toString() : StorePaths.toArg(p);
    }

    /** The path a {@link #pathArg} value names. */
    public static Path path(String arg) {
        return StorePaths.of(arg);
    }

    /** The plugin folders of {@code plugins} as one arg value: absolute paths joined by the path separator. */
    public static String pluginPath(Plugins plugins) {
        List<String> dirs = new ArrayList<>();
        for (Path p : plugins.pluginDirs()) {
            dirs.add(p.toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, dirs);
    }

    /** The plugins of a {@link #pluginPath} value, loaded once per worker JVM. */
    public static Plugins plugins(String path) {
        if (path.isEmpty()) {
            return PLUGINS.computeIfAbsent("", k -> Plugins.classPath());
        }
        return PLUGINS.computeIfAbsent(path, k -> {
            List<Path> dirs = new ArrayList<>();
            for (String p : k.split(File.pathSeparator)) {
                dirs.add(Path.of(p));
            }
            return Plugins.load(dirs);
        });
    }

    /**
     * The kernel named {@code name}; a worker that does not offer it refuses, since scalar and Vector API kernels
     * round differently and the store would no longer be the same whichever executor ran it.
     */
    public static Ops kernel(String name) {
        if (Kernels.ops().name().equals(name)) {
            return Kernels.ops();
        }
        if (Kernels.scalar().name().equals(name)) {
            return Kernels.scalar();
        }
        Optional<Ops> panama = Kernels.panama();
        if (panama.isPresent() && panama.get().name().equals(name)) {
            return panama.get();
        }
        throw new IllegalStateException("The unit was planned with kernel " + name + " but this worker offers "
                + Kernels.ops().name() + (panama.isPresent() ? " and " + panama.get().name() : "") + " and "
                + Kernels.scalar().name() + "; results would differ, so run workers on the same CPU kind with"
                + " --add-modules jdk.incubator.vector and the same -Drnnatlas.simd");
    }
}

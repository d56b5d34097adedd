package org.rnnatlas.core.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TopologyMetric;

/**
 * Every installed plugin: the jars on the class path plus the jars found in plugin folders. Plugin folders share
 * one child class loader of the application's; every {@code *.jar} directly inside a folder is added, in name order.
 */
public final class Plugins {
    private final ClassLoader loader;
    private final List<Path> pluginDirs;
    private final List<Path> pluginJars;
    private final Registry<Cell> cells;
    private final Registry<Task> tasks;
    private final Registry<SimilarityMetric> similarityMetrics;
    private final Registry<TopologyMetric> topologyMetrics;
    private final Registry<Executor> executors;

    private Plugins(ClassLoader loader, List<Path> pluginDirs, List<Path> pluginJars) {
        this.loader = loader;
        this.pluginDirs = List.copyOf(pluginDirs);
        this.pluginJars = List.copyOf(pluginJars);
        this.cells = Registry.load(Cell.class, "cell", loader);
        this.tasks = Registry.load(Task.class, "task", loader);
        this.similarityMetrics = Registry.load(SimilarityMetric.class, "similarity metric", loader);
        this.topologyMetrics = Registry.load(TopologyMetric.class, "topology metric", loader);
        this.executors = Registry.load(Executor.class, "executor", loader);
    }

    /** The plugins on the class path only. */
    public static Plugins classPath() {
        return new Plugins(Plugins.class.getClassLoader(), List.of(), List.of());
    }

    /**
     * The plugins on the class path plus those in the given folders.
     *
     * @throws PluginException when a folder does not exist or holds no jar, or on any registry error
     */
    public static Plugins load(List<Path> pluginDirs) {
        if (pluginDirs.isEmpty()) {
            return classPath();
        }
        List<Path> jars = new ArrayList<>();
        for (Path dir : pluginDirs) {
            if (!Files.isDirectory(dir)) {
                throw new PluginException("Plugin folder " + dir + " does not exist or is not a folder");
            }
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                        .sorted().toList();
                if (found.isEmpty()) {
                    throw new PluginException("Plugin folder " + dir + " holds no .jar file");
                }
                jars.addAll(found);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list plugin folder " + dir, e);
            }
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("Bad plugin jar path " + jars.get(i), e);
            }
        }
        ClassLoader child = new URLClassLoader("rnnatlas-plugins", urls, Plugins.class.getClassLoader());
        return new Plugins(child, pluginDirs, jars);
    }

    public Registry<Cell> cells() {
        return cells;
    }

    public Registry<Task> tasks() {
        return tasks;
    }

    public Registry<SimilarityMetric> similarityMetrics() {
        return similarityMetrics;
    }

    public Registry<TopologyMetric> topologyMetrics() {
        return topologyMetrics;
    }

    /** Executors: where population work units run ({@code local}, {@code spark}, ...). */
    public Registry<Executor> executors() {
        return executors;
    }

    /**
     * The plugin folders given to {@link #load} (empty for {@link #classPath()}): work units name them so that a
     * worker loads the same plugins.
     */
    public List<Path> pluginDirs() {
        return pluginDirs;
    }

    /** Jars added from plugin folders (empty when only the class path is used). */
    public List<Path> pluginJars() {
        return pluginJars;
    }

    public ClassLoader classLoader() {
        return loader;
    }
}

package org.rnnatlas.core.registry;

import java.security.CodeSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.rnnatlas.spi.Named;

/**
 * The installed plugins of one kind, by name: an immutable snapshot of what {@link ServiceLoader} finds through one
 * class loader. Built once by the CLI or a test; there is no global registry.
 *
 * <p>Unlike a first-wins lookup, two providers with the same name are an error that names both classes and the jars
 * they came from: a store records plugins by name, so an ambiguous name would make results unattributable.
 */
public final class Registry<S extends Named> {

    /** One installed plugin: the instance, its class and where it was loaded from. */
    public record Entry<S>(S plugin, String className, String source) {
        public String name() {
            return ((Named) plugin).name();
        }

        public String version() {
            return ((Named) plugin).version();
        }
    }

    private final String kind;
    private final Map<String, Entry<S>> byName;

    private Registry(String kind, Map<String, Entry<S>> byName) {
        this.kind = kind;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads every provider of {@code type} visible through {@code loader}.
     *
     * @param kind the word used in messages, e.g. {@code "cell"}
     * @throws PluginException on an invalid or duplicate name, or a provider that cannot be instantiated
     */
    public static <S extends Named> Registry<S> load(Class<S> type, String kind, ClassLoader loader) {
        Objects.requireNonNull(type, "type");
        Map<String, Entry<S>> map = new TreeMap<>();
        refuseClassDeclaredTwice(type, kind, loader);
        try {
            for (ServiceLoader.Provider<S> provider : ServiceLoader.load(type, loader).stream().toList()) {
                Class<? extends S> cls = provider.type();
                S plugin;
                try {
                    plugin = provider.get();
                } catch (ServiceConfigurationError e) {
                    throw new PluginException("Cannot instantiate " + kind + " plugin " + cls.getName() + " from "
                            + sourceOf(cls) + ": " + rootMessage(e), e);
                }
                String name = plugin.name();
                if (name == null || !Named.NAME.matcher(name).matches()) {
                    throw new PluginException("The " + kind + " plugin " + cls.getName() + " from " + sourceOf(cls)
                            + " has an invalid name '" + name + "': names are lower-case ASCII letters, digits and"
                            + " '-', starting with a letter, at most 32 characters");
                }
                Entry<S> previous = map.get(name);
                if (previous != null) {
                    throw new PluginException("Two " + kind + " plugins are named '" + name + "': "
                            + previous.className() + " from " + previous.source() + " and " + cls.getName() + " from "
                            + sourceOf(cls) + ". Remove one of the jars.");
                }
                map.put(name, new Entry<>(plugin, cls.getName(), sourceOf(cls)));
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginException("Cannot load " + kind + " plugins: " + rootMessage(e), e);
        }
        return new Registry<>(kind, map);
    }

    /**
     * ServiceLoader silently keeps the first of two jars that declare the same provider class (two versions of one
     * plugin dropped into a folder, say), so that case is found here from the service files themselves.
     */
    private static void refuseClassDeclaredTwice(Class<?> type, String kind, ClassLoader loader) {
        Map<String, List<String>> declared = new TreeMap<>();
        try {
            var urls = loader.getResources("META-INF/services/" + type.getName());
            while (urls.hasMoreElements()) {
                java.net.URL url = urls.nextElement();
                String origin = originOf(url);
                try (var in = url.openStream()) {
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    for (String line : text.split("\\R")) {
                        int hash = line.indexOf('#');
                        String cls = (hash >= 0 ? line.substring(0, hash) : line).trim();
                        if (!cls.isEmpty()) {
                            List<String> where = declared.computeIfAbsent(cls, k -> new java.util.ArrayList<>());
                            if (!where.contains(origin)) {
                                where.add(origin);
                            }
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new PluginException("Cannot read the " + kind + " service files: " + e.getMessage(), e);
        }
        for (var e : declared.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new PluginException("Two " + kind + " plugins provide the class " + e.getKey() + ": "
                        + String.join(" and ", e.getValue()) + ". Remove one of the jars.");
            }
        }
    }

    /** The jar (or folder) a service file URL points into. */
    private static String originOf(java.net.URL url) {
        String u = url.toString();
        int at = u.startsWith("jar:") ? u.indexOf("!/") : u.indexOf("/META-INF/services/");
        String base = u.startsWith("jar:") ? u.substring(4, at < 0 ? u.length() : at) : u.substring(0, Math.max(0, at));
        try {
            return java.nio.file.Path.of(java.net.URI.create(base)).toString();
        } catch (RuntimeException ex) {
            return base;
        }
    }

    /** The plugin called {@code name}. */
    public S get(String name) {
        return entry(name).plugin();
    }

    /** The entry of the plugin called {@code name}, with its class and jar. */
    public Entry<S> entry(String name) {
        Entry<S> e = byName.get(name);
        if (e == null) {
            throw new UnknownPluginException(kind, name, byName.keySet());
        }
        return e;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Installed names in alphabetical order. */
    public Set<String> names() {
        return byName.keySet();
    }

    public List<Entry<S>> entries() {
        return List.copyOf(byName.values());
    }

    public String kind() {
        return kind;
    }

    /** The jar (or class directory) a class was loaded from, as a path or URL string. */
    public static String sourceOf(Class<?> cls) {
        CodeSource cs = cls.getProtectionDomain() == null ? null : cls.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "<unknown>";
        }
        try {
            return java.nio.file.Path.of(cs.getLocation().toURI()).toString();
        } catch (Exception e) {
            return cs.getLocation().toString();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) {
            r = r.getCause();
        }
        return r == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + r + ")";
    }
}

package org.rnnatlas.core.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Store locations as strings (a {@code --out} argument, a {@link org.rnnatlas.spi.WorkUnit} arg) and back.
 *
 * <p>{@link #of(String)}: a plain path ({@code /shared/study}, {@code study}) is {@code Path.of(s)} on the default
 * filesystem; {@code file:///shared/study} too; a URI with another scheme ({@code hdfs://nn:8020/study},
 * {@code s3a://bucket/study}) is the path that the installed java.nio provider for that scheme gives. Providers are
 * found among {@link FileSystemProvider#installedProviders()} (the system class loader's) and, because Spark adds
 * jars through a child class loader that those never see, with {@link ServiceLoader} on the thread's context class
 * loader and on this class's loader. The Hadoop schemes come from the {@code rnnatlas-store-hadoop} jar.
 *
 * <p>{@link #toArg(Path)} is the inverse: {@code of(toArg(p)).equals(p)} for every path of the default filesystem
 * and of any provider whose {@code toUri()} round-trips through {@code getPath(URI)}.
 */
public final class StorePaths {
    /** {@code scheme:rest}; a one-letter scheme is a Windows drive ({@code C:\study}), not a URI. */
    private static final Pattern URI_LIKE = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):(.*)", Pattern.DOTALL);
    /** Providers found through a class loader other than the system one, by lower-case scheme. */
    private static final Map<String, FileSystemProvider> FOUND = new ConcurrentHashMap<>();

    private StorePaths() {
    }

    /** True for paths of the JVM's default filesystem, where {@code toFile()} and {@code FileChannel} work. */
    public static boolean isDefault(Path p) {
        return p.getFileSystem() == FileSystems.getDefault();
    }

    /** The store location {@code s} names: a plain path or a URI (see the class comment). */
    public static Path of(String s) {
        Matcher m = URI_LIKE.matcher(s);
        if (!m.matches()) {
            return Path.of(s);
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return Path.of(toUri(scheme, m.group(2), s));
        }
        FileSystemProvider provider = provider(scheme);
        if (provider == null) {
            if (!m.group(2).startsWith("/")) {
                // "exp:1", "runs:a/b": a relative folder whose name holds a colon, not a URI
                return Path.of(s);
            }
            throw new IllegalArgumentException("No filesystem for scheme '" + scheme + "' (in " + s + "). Schemes"
                    + " available: " + schemes() + ". The Hadoop schemes (hdfs, viewfs, s3a, abfs, abfss, gs) come"
                    + " from the rnnatlas-store-hadoop jar (executors/hadoop/target/rnnatlas-store-hadoop-*.jar),"
                    + " which needs Hadoop's client jars (Spark brings them) on the same class path; ./rnnatlas"
                    + " loads both when an argument is such a URI.");
        }
        return provider.getPath(toUri(scheme, m.group(2), s));
    }

    /**
     * {@code s} as a URI. A valid URI string is taken as written (percent-escapes decoded, as {@link #toArg} writes
     * them); otherwise (spaces, say, as {@code Path.toString()} may print them) the text after {@code //} up to the
     * next {@code /} is the authority and the rest the path, taken literally.
     */
    private static URI toUri(String scheme, String rest, String s) {
        try {
            // hierarchical (hdfs://nn/study) or opaque (jar:file:///x.zip!/study): the provider reads it
            return new URI(s);
        } catch (URISyntaxException e) {
            // not a valid URI: split it by hand below
        }
        String authority = null;
        String path = rest;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            authority = rest.substring(2, slash < 0 ? rest.length() : slash);
            path = slash < 0 ? "/" : rest.substring(slash);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("A store URI must name an absolute path, " + scheme
                    + "://authority/path or " + scheme + ":///path; got " + s);
        }
        try {
            return new URI(scheme, authority, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a store location: " + s + " (" + e.getMessage() + ")", e);
        }
    }

    /** {@code p} as a string that {@link #of(String)} turns back into {@code p} (absolute paths: as given). */
    public static String toArg(Path p) {
        return isDefault(p) ? p.toString() : p.toUri().toString();
    }

    private static FileSystemProvider provider(String scheme) {
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            if (p.getScheme().equalsIgnoreCase(scheme)) {
                return p;
            }
        }
        FileSystemProvider found = FOUND.get(scheme);
        if (found != null) {
            return found;
        }
        for (ClassLoader loader : loaders()) {
            for (FileSystemProvider p : load(loader)) {
                if (p.getScheme().equalsIgnoreCase(scheme)) {
                    // one instance per scheme, so that every path of a scheme shares its provider's filesystems
                    return FOUND.computeIfAbsent(scheme, k -> p);
                }
            }
        }
        return null;
    }

    private static ClassLoader[] loaders() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = StorePaths.class.getClassLoader();
        return context == null || context == own ? new ClassLoader[] {own} : new ClassLoader[] {context, own};
    }

    private static Iterable<FileSystemProvider> load(ClassLoader loader) {
        java.util.List<FileSystemProvider> out = new java.util.ArrayList<>();
        var it = ServiceLoader.load(FileSystemProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                // a provider whose dependencies are missing (Hadoop's jars absent) is not available: skip it
            }
        }
        return out;
    }

    /** Every scheme a store path may use here, for error messages. */
    public static TreeSet<String> schemes() {
        TreeSet<String> s = new TreeSet<>();
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            s.add(p.getScheme());
        }
        for (ClassLoader loader : loaders()) {
            for (FileSystemProvider p : load(loader)) {
                s.add(p.getScheme());
            }
        }
        return s;
    }
}

package org.rnnatlas.store.hadoop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path on a {@link HadoopFileSystem}: UNIX path algebra on the URI's path component ({@code /} separates names, a
 * leading {@code /} makes it absolute, {@code .} and {@code ..} are ordinary names until {@link #normalize()}).
 *
 * <p>{@link #toString()} of an absolute path is the full location, {@code hdfs://nn:8020/study/networks}, so that
 * {@code org.rnnatlas.core.io.StorePaths.of(path.toString())} gives the same path back; a relative path prints as its
 * names joined by {@code /}, as on UNIX.
 */
public final class HadoopPath implements Path {
    private final HadoopFileSystem fs;
    /** Without repeated or trailing slashes ("/" alone is the root; "" is the empty path). */
    private final String path;
    /** Start of each name in {@link #path}; computed on first use. */
    private volatile int[] offsets;

    HadoopPath(HadoopFileSystem fs, String path) {
        this.fs = fs;
        this.path = clean(path);
    }

    /** Removes repeated and trailing slashes, as UnixPath does; rejects NUL, which no filesystem stores. */
    static String clean(String p) {
        if (p.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(p, "a path may not contain NUL");
        }
        StringBuilder sb = new StringBuilder(p.length());
        char prev = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '/' && prev == '/') {
                continue;
            }
            sb.append(c);
            prev = c;
        }
        if (sb.length() > 1 && sb.charAt(sb.length() - 1) == '/') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** The path component, {@code /study/networks} for {@code hdfs://nn:8020/study/networks}. */
    public String pathString() {
        return path;
    }

    private int[] offsets() {
        int[] o = offsets;
        if (o == null) {
            List<Integer> starts = new ArrayList<>();
            if (path.isEmpty()) {
                starts.add(0);
            } else {
                for (int i = 0; i < path.length(); i++) {
                    if (path.charAt(i) != '/' && (i == 0 || path.charAt(i - 1) == '/')) {
                        starts.add(i);
                    }
                }
            }
            o = starts.stream().mapToInt(Integer::intValue).toArray();
            offsets = o;
        }
        return o;
    }

    private String name(int i) {
        int[] o = offsets();
        int end = i + 1 < o.length ? o[i + 1] - 1 : path.length();
        return path.substring(o[i], end);
    }

    private String[] names() {
        String[] n = new String[getNameCount()];
        for (int i = 0; i < n.length; i++) {
            n[i] = name(i);
        }
        return n;
    }

    private HadoopPath of(String p) {
        return new HadoopPath(fs, p);
    }

    private HadoopPath check(Path other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof HadoopPath h)) {
            throw new ProviderMismatchException("a " + fs.provider().getScheme() + " path cannot be combined with "
                    + other.getClass().getName() + " " + other + "; convert it with StorePaths.of or Path.of(URI)");
        }
        return h;
    }

    @Override
    public HadoopFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public HadoopPath getRoot() {
        return isAbsolute() ? of("/") : null;
    }

    @Override
    public HadoopPath getFileName() {
        if (path.isEmpty()) {
            return this;
        }
        int n = getNameCount();
        return n == 0 ? null : of(name(n - 1));
    }

    @Override
    public HadoopPath getParent() {
        int n = getNameCount();
        if (n == 0 || path.isEmpty()) {
            return null;
        }
        int start = offsets()[n - 1];
        if (start == 0) {
            return null;
        }
        return of(start == 1 ? "/" : path.substring(0, start - 1));
    }

    @Override
    public int getNameCount() {
        return offsets().length;
    }

    @Override
    public HadoopPath getName(int index) {
        if (index < 0 || index >= getNameCount()) {
            throw new IllegalArgumentException("name index " + index + " outside 0.." + (getNameCount() - 1)
                    + " of " + this);
        }
        return of(name(index));
    }

    @Override
    public HadoopPath subpath(int beginIndex, int endIndex) {
        int n = getNameCount();
        if (beginIndex < 0 || beginIndex >= n || endIndex > n || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + this
                    + ", which has " + n + " names");
        }
        return of(String.join("/", Arrays.copyOfRange(names(), beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof HadoopPath o) || o.fs != fs) {
            return false;
        }
        if (o.isAbsolute() != isAbsolute()) {
            return false;
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        int on = o.getNameCount();
        if (on > getNameCount()) {
            return false;
        }
        for (int i = 0; i < on; i++) {
            if (!o.name(i).equals(name(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof HadoopPath o) || o.fs != fs) {
            return false;
        }
        if (o.isAbsolute()) {
            return equals(o);
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        int on = o.getNameCount();
        int n = getNameCount();
        if (on > n) {
            return false;
        }
        for (int i = 0; i < on; i++) {
            if (!o.name(on - 1 - i).equals(name(n - 1 - i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public HadoopPath normalize() {
        List<String> out = new ArrayList<>();
        boolean abs = isAbsolute();
        for (String name : path.isEmpty() ? new String[0] : names()) {
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                    continue;
                }
                if (abs) {
                    // "/.." is "/" on UNIX
                    continue;
                }
            }
            out.add(name);
        }
        String joined = String.join("/", out);
        return of(abs ? "/" + joined : joined);
    }

    @Override
    public HadoopPath resolve(Path other) {
        HadoopPath o = check(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        if (path.isEmpty()) {
            return o;
        }
        return of(path.equals("/") ? "/" + o.path : path + "/" + o.path);
    }

    @Override
    public HadoopPath resolve(String other) {
        return resolve(of(other));
    }

    @Override
    public HadoopPath relativize(Path other) {
        HadoopPath o = check(other);
        if (o.isAbsolute() != isAbsolute()) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this
                    + ": one is absolute and the other is not");
        }
        if (equals(o)) {
            return of("");
        }
        String[] a = path.isEmpty() ? new String[0] : names();
        String[] b = o.path.isEmpty() ? new String[0] : o.names();
        int common = 0;
        while (common < a.length && common < b.length && a[common].equals(b[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < a.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(b).subList(common, b.length));
        return of(String.join("/", out));
    }

    @Override
    public URI toUri() {
        return fs.uriOf(toAbsolutePath().path);
    }

    @Override
    public HadoopPath toAbsolutePath() {
        return isAbsolute() ? this : fs.workingDirectory().resolve(this);
    }

    @Override
    public HadoopPath toRealPath(LinkOption... options) throws IOException {
        HadoopPath real = toAbsolutePath().normalize();
        fs.provider().checkAccess(real);
        return real;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("Hadoop filesystems (" + fs.provider().getScheme()
                + ") have no watch service");
    }

    @Override
    public int compareTo(Path other) {
        HadoopPath o = check(other);
        int c = fs.prefix().compareTo(o.fs.prefix());
        return c != 0 ? c : path.compareTo(o.path);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof HadoopPath o && o.fs == fs && o.path.equals(path);
    }

    @Override
    public int hashCode() {
        return fs.prefix().hashCode() * 31 + path.hashCode();
    }

    @Override
    public String toString() {
        return isAbsolute() ? fs.prefix() + path : path;
    }
}

package org.rnnatlas.store.hadoop;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * One Hadoop filesystem ({@code scheme://authority}) seen through java.nio. It owns its own
 * {@link org.apache.hadoop.fs.FileSystem} instance ({@code FileSystem.newInstance}, not Hadoop's shared cache), so
 * closing it never closes a filesystem that Spark or another library holds.
 */
public final class HadoopFileSystem extends java.nio.file.FileSystem {
    private final HadoopFileSystemProvider provider;
    /** The URI's authority, "" for none ({@code hdfs:///x}: Hadoop's fs.defaultFS authority). */
    private final String authority;
    private final Configuration conf;
    private volatile org.apache.hadoop.fs.FileSystem hfs;
    private final boolean atomicRename;
    private volatile HadoopPath workingDirectory;
    private volatile FileContext fileContext;
    private volatile boolean fileContextUnavailable;
    private volatile boolean open = true;

    HadoopFileSystem(HadoopFileSystemProvider provider, String authority, Configuration conf) {
        this.provider = provider;
        this.authority = authority;
        this.conf = conf;
        this.atomicRename = conf.getBoolean(HadoopFileSystemProvider.ATOMIC_RENAME_KEY,
                provider.atomicRenameByDefault());
    }

    /**
     * The Hadoop filesystem behind this one, opened on first use: path algebra needs no cluster (a driver may name
     * {@code hdfs://nn:8020/study} where only the executors reach the NameNode).
     */
    public org.apache.hadoop.fs.FileSystem hadoop() throws IOException {
        ensureOpen();
        org.apache.hadoop.fs.FileSystem h = hfs;
        if (h == null) {
            synchronized (this) {
                if (hfs == null) {
                    URI hadoopUri = URI.create(provider.hadoopScheme() + "://" + authority + "/");
                    try {
                        hfs = org.apache.hadoop.fs.FileSystem.newInstance(hadoopUri, conf);
                    } catch (UnsupportedFileSystemException e) {
                        throw new IOException("Hadoop has no FileSystem for " + hadoopUri + " (" + e.getMessage()
                                + "). " + provider.connectorHint(), e);
                    } catch (IOException | RuntimeException e) {
                        throw new IOException("Cannot open " + prefix() + " through Hadoop: " + e, e);
                    }
                }
                h = hfs;
            }
        }
        return h;
    }

    /** Its Hadoop configuration (read-only use). */
    public Configuration configuration() {
        return conf;
    }

    /**
     * Whether a rename on this filesystem replaces its target in one atomic step (HDFS: yes; S3A and GCS: no, a
     * rename is a copy followed by a delete). {@code Files.move(…, ATOMIC_MOVE)} is refused where it is not.
     */
    public boolean atomicRename() {
        return atomicRename;
    }

    /**
     * Hadoop's FileContext for renames that overwrite ({@code Options.Rename.OVERWRITE}: atomic on HDFS), or null
     * when the scheme has no AbstractFileSystem binding ({@code fs.AbstractFileSystem.SCHEME.impl}).
     */
    FileContext fileContext() throws IOException {
        org.apache.hadoop.fs.FileSystem hfs = hadoop();
        if (fileContext == null && !fileContextUnavailable) {
            synchronized (this) {
                if (fileContext == null && !fileContextUnavailable) {
                    try {
                        fileContext = FileContext.getFileContext(hfs.getUri(), conf);
                    } catch (UnsupportedFileSystemException | RuntimeException e) {
                        fileContextUnavailable = true;
                    }
                }
            }
        }
        return fileContext;
    }

    /** {@code scheme://authority}: what an absolute path's {@link HadoopPath#toString()} starts with. */
    String prefix() {
        return provider.getScheme() + "://" + authority;
    }

    String authority() {
        return authority;
    }

    /** Hadoop's working directory (relative paths resolve against it); opens the Hadoop filesystem. */
    HadoopPath workingDirectory() {
        HadoopPath w = workingDirectory;
        if (w == null) {
            try {
                w = new HadoopPath(this, hadoop().getWorkingDirectory().toUri().getPath());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("a relative path on " + prefix() + " needs Hadoop's working"
                        + " directory: " + e.getMessage(), e);
            }
            workingDirectory = w;
        }
        return w;
    }

    URI uriOf(String absolutePath) {
        try {
            return new URI(provider.getScheme(), authority, absolutePath, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URI for " + prefix() + absolutePath + ": " + e.getMessage(), e);
        }
    }

    /** The Hadoop path of {@code p}, qualified with the Hadoop filesystem's own scheme and authority. */
    org.apache.hadoop.fs.Path hadoopPath(HadoopPath p) throws IOException {
        URI u = hadoop().getUri();
        return new org.apache.hadoop.fs.Path(u.getScheme(), u.getAuthority(), p.toAbsolutePath().pathString());
    }

    void ensureOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    @Override
    public HadoopFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            provider.forget(this);
            if (hfs != null) {
                hfs.close();
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(new HadoopPath(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of(new HadoopFileStore(this));
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public HadoopPath getPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append('/');
                }
                sb.append(m);
            }
        }
        return new HadoopPath(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected glob:PATTERN or regex:PATTERN, got " + syntaxAndPattern);
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex = switch (syntax.toLowerCase(java.util.Locale.ROOT)) {
            case "regex" -> Pattern.compile(pattern);
            // the default filesystem's glob translation is UNIX glob on '/'-separated names: reuse it
            case "glob" -> Pattern.compile(globToRegex(pattern));
            default -> throw new UnsupportedOperationException("path matcher syntax '" + syntax
                    + "' is not supported; use glob or regex");
        };
        return p -> regex.matcher(p.toString()).matches();
    }

    /** UNIX glob ({@code * ? [..] {a,b}}, {@code **} across directories) to a regular expression. */
    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder("^");
        boolean inGroup = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '{' -> {
                    re.append("(?:");
                    inGroup = true;
                }
                case '}' -> {
                    re.append(')');
                    inGroup = false;
                }
                case ',' -> re.append(inGroup ? "|" : ",");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new java.util.regex.PatternSyntaxException("unclosed [", glob, i);
                    }
                    String cls = glob.substring(i + 1, end).replace("\\", "\\\\");
                    re.append('[').append(cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("Hadoop filesystems (" + provider.getScheme()
                + ") have no user principal lookup through java.nio; use the Hadoop FileSystem API");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("Hadoop filesystems (" + provider.getScheme()
                + ") have no watch service");
    }

    @Override
    public String toString() {
        return prefix() + " (Hadoop " + provider.hadoopScheme() + ")";
    }
}

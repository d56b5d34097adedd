package org.rnnatlas.store.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsAction;

/**
 * A java.nio {@link FileSystemProvider} for one URI scheme, backed by Hadoop's
 * {@link org.apache.hadoop.fs.FileSystem}: {@code Path.of(URI.create("hdfs://nn:8020/study"))} (or rnnatlas's
 * {@code StorePaths.of("hdfs://nn:8020/study")}) is a path on which {@link java.nio.file.Files} reads, writes, lists,
 * moves and deletes through Hadoop. The installed schemes are in {@link HadoopSchemes}.
 *
 * <p>What maps to what:
 * <ul>
 *   <li>{@code newByteChannel}: READ gives a seekable channel over {@code FileSystem.open}; WRITE with CREATE,
 *       CREATE_NEW or TRUNCATE_EXISTING writes a new file front to back ({@code FileSystem.create}); APPEND uses
 *       {@code FileSystem.append} where the filesystem has it (HDFS, local) and otherwise rewrites the file with the
 *       new bytes at the end (object stores; not atomic). Writing in place without truncating, read-write channels
 *       and {@code FileChannel} are refused.</li>
 *   <li>{@code move}: Hadoop's {@code FileContext.rename(src, dst, Options.Rename.OVERWRITE)} when the scheme has a
 *       FileContext binding, else delete-then-{@code FileSystem.rename}. {@code ATOMIC_MOVE} is accepted only on
 *       filesystems whose rename is atomic: HDFS and viewfs (over HDFS) by default; {@code s3a}, {@code gs},
 *       {@code abfs}/{@code abfss} and the test scheme are refused with {@link AtomicMoveNotSupportedException},
 *       since their rename copies then deletes (ABFS with a hierarchical namespace renames atomically: set
 *       {@value #ATOMIC_RENAME_KEY}{@code =true} there). For rnnatlas's store a non-atomic rename is safe: a unit
 *       counts as finished only when its last file exists whole (an object appears whole or not at all), so a crash
 *       in the middle of the copy leaves the unit unfinished and a rerun redoes it; a crash between copy and delete
 *       leaves a stray {@code .tmp-} file that the next run deletes.</li>
 *   <li>attributes: the {@code basic} view from a {@code FileStatus}; no POSIX or owner views.</li>
 * </ul>
 *
 * <p>The Hadoop {@link Configuration} of a filesystem is {@link #setConfiguration(Configuration) the one set for
 * the JVM} (by default {@code new Configuration()}: {@code core-site.xml} and {@code hdfs-site.xml} from the class
 * path, e.g. {@code HADOOP_CONF_DIR}), plus the {@code env} map given to {@code FileSystems.newFileSystem}, whose
 * entries are set as Hadoop properties.
 */
public class HadoopFileSystemProvider extends FileSystemProvider {
    /** Hadoop property overriding whether renames are treated as atomic on a filesystem (true or false). */
    public static final String ATOMIC_RENAME_KEY = "rnnatlas.hadoop.atomic-rename";

    /** Open filesystems by {@code scheme://authority}, shared by every instance of a scheme's provider. */
    private static final Map<String, HadoopFileSystem> FILESYSTEMS = new ConcurrentHashMap<>();
    private static volatile Configuration baseConfiguration;

    private final String scheme;
    private final String hadoopScheme;
    private final boolean atomicRename;

    /**
     * @param scheme       the java.nio URI scheme
     * @param hadoopScheme the Hadoop scheme it maps to (the same, except for test schemes)
     * @param atomicRename whether this scheme's rename replaces the target atomically, unless
     *                     {@value #ATOMIC_RENAME_KEY} says otherwise
     */
    protected HadoopFileSystemProvider(String scheme, String hadoopScheme, boolean atomicRename) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.hadoopScheme = Objects.requireNonNull(hadoopScheme, "hadoopScheme");
        this.atomicRename = atomicRename;
    }

    /**
     * Sets the Hadoop configuration that filesystems opened from now on start from (e.g. Spark's
     * {@code sparkContext.hadoopConfiguration()}, which carries the {@code spark.hadoop.*} settings); null restores
     * {@code new Configuration()}. Filesystems already open keep theirs.
     */
    public static void setConfiguration(Configuration conf) {
        baseConfiguration = conf == null ? null : new Configuration(conf);
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    String hadoopScheme() {
        return hadoopScheme;
    }

    boolean atomicRenameByDefault() {
        return atomicRename;
    }

    /** Adjusts the configuration of every filesystem of this scheme (test schemes bind their implementation). */
    protected void customize(Configuration conf) {
    }

    /** What to add to the class path when Hadoop has no FileSystem for this scheme. */
    protected String connectorHint() {
        return "Hadoop's " + scheme + " connector must be on the class path (on a Spark cluster usually there"
                + " already; otherwise add it with --jars or spark.jars.packages)";
    }

    // ------------------------------------------------------------------ filesystems

    private static String key(String scheme, String authority) {
        return scheme + "://" + authority;
    }

    private String authorityOf(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("URI " + uri + " is not a " + scheme + ": URI");
        }
        return uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    }

    private HadoopFileSystem create(String authority, Map<String, ?> env) {
        Configuration base = baseConfiguration;
        Configuration conf = base == null ? new Configuration() : new Configuration(base);
        customize(conf);
        if (env != null) {
            for (var e : env.entrySet()) {
                conf.set(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return new HadoopFileSystem(this, authority, conf);
    }

    @Override
    public HadoopFileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        String authority = authorityOf(uri);
        synchronized (FILESYSTEMS) {
            if (FILESYSTEMS.containsKey(key(scheme, authority))) {
                throw new FileSystemAlreadyExistsException(key(scheme, authority));
            }
            HadoopFileSystem fs = create(authority, env);
            FILESYSTEMS.put(key(scheme, authority), fs);
            return fs;
        }
    }

    /** The open filesystem of {@code uri}'s authority, opened with the default configuration if need be. */
    @Override
    public HadoopFileSystem getFileSystem(URI uri) {
        String authority = authorityOf(uri);
        HadoopFileSystem fs = FILESYSTEMS.get(key(scheme, authority));
        if (fs != null) {
            return fs;
        }
        synchronized (FILESYSTEMS) {
            fs = FILESYSTEMS.get(key(scheme, authority));
            if (fs == null) {
                fs = create(authority, Map.of());
                FILESYSTEMS.put(key(scheme, authority), fs);
            }
            return fs;
        }
    }

    void forget(HadoopFileSystem fs) {
        FILESYSTEMS.remove(key(scheme, fs.authority()), fs);
    }

    @Override
    public HadoopPath getPath(URI uri) {
        HadoopFileSystem fs = getFileSystem(uri);
        String p = uri.getPath();
        return new HadoopPath(fs, p == null || p.isEmpty() ? "/" : p);
    }

    // ------------------------------------------------------------------ helpers

    private static HadoopPath hadoop(Path p) {
        Objects.requireNonNull(p, "path");
        if (!(p instanceof HadoopPath h)) {
            throw new ProviderMismatchException(p + " (" + p.getClass().getName() + ") is not a Hadoop path");
        }
        h.getFileSystem().ensureOpen();
        return h;
    }

    private static org.apache.hadoop.fs.FileSystem hfs(HadoopPath p) throws IOException {
        return p.getFileSystem().hadoop();
    }

    private static org.apache.hadoop.fs.Path hp(HadoopPath p) throws IOException {
        return p.getFileSystem().hadoopPath(p);
    }

    /** The status of {@code p}, or null when it does not exist. */
    private static FileStatus statusOrNull(HadoopPath p) throws IOException {
        try {
            return hfs(p).getFileStatus(hp(p));
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw translate(e, p, null);
        }
    }

    private static FileStatus status(HadoopPath p) throws IOException {
        FileStatus s = statusOrNull(p);
        if (s == null) {
            throw new NoSuchFileException(p.toString());
        }
        return s;
    }

    /** Hadoop's exceptions as the java.nio ones that callers of {@code Files} test for. */
    private static IOException translate(IOException e, HadoopPath p, HadoopPath other) {
        String file = p.toString();
        String o = other == null ? null : other.toString();
        IOException t;
        if (e instanceof FileSystemException) {
            return e;
        } else if (e instanceof FileNotFoundException) {
            t = new NoSuchFileException(file, o, e.getMessage());
        } else if (e instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
            t = new FileAlreadyExistsException(file, o, e.getMessage());
        } else if (e instanceof PathIsNotEmptyDirectoryException) {
            t = new DirectoryNotEmptyException(file);
        } else if (e instanceof org.apache.hadoop.security.AccessControlException) {
            t = new AccessDeniedException(file, o, e.getMessage());
        } else {
            return e;
        }
        t.initCause(e);
        return t;
    }

    private static boolean isEmptyDirectory(HadoopPath p) throws IOException {
        return !hfs(p).listStatusIterator(hp(p)).hasNext();
    }

    private static void requireParentDirectory(HadoopPath p) throws IOException {
        HadoopPath parent = p.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        FileStatus s = statusOrNull(parent);
        if (s == null) {
            throw new NoSuchFileException(p.toString(), null, "its parent " + parent + " does not exist");
        }
        if (!s.isDirectory()) {
            throw new NoSuchFileException(p.toString(), null, "its parent " + parent + " is not a directory");
        }
    }

    // ------------------------------------------------------------------ reading and writing

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        HadoopPath p = hadoop(path);
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("file attributes at creation are not supported on "
                    + scheme + " (asked: " + attrs[0].name() + ")");
        }
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (!write) {
            FileStatus s = status(p);
            if (s.isDirectory()) {
                throw new FileSystemException(p.toString(), null, "is a directory");
            }
            return new HadoopChannels.Reader(open(p), s.getLen());
        }
        if (options.contains(StandardOpenOption.READ)) {
            throw new UnsupportedOperationException("read-write channels are not supported on Hadoop filesystems ("
                    + p + "); open one channel to read and another to write");
        }
        if (options.contains(StandardOpenOption.DELETE_ON_CLOSE)) {
            throw new UnsupportedOperationException("DELETE_ON_CLOSE is not supported on Hadoop filesystems");
        }
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean truncate = options.contains(StandardOpenOption.TRUNCATE_EXISTING);
        if (append && truncate) {
            throw new IllegalArgumentException("APPEND and TRUNCATE_EXISTING cannot be combined");
        }
        boolean sync = options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC);
        FileStatus s = statusOrNull(p);
        if (s != null && s.isDirectory()) {
            throw new FileSystemException(p.toString(), null, "is a directory");
        }
        if (options.contains(StandardOpenOption.CREATE_NEW)) {
            if (s != null) {
                throw new FileAlreadyExistsException(p.toString());
            }
        } else if (s == null && !options.contains(StandardOpenOption.CREATE)) {
            throw new NoSuchFileException(p.toString());
        }
        if (s == null) {
            requireParentDirectory(p);
        }
        try {
            if (s != null && append) {
                return append(p, s, sync);
            }
            if (s != null && !truncate && s.getLen() > 0) {
                throw new UnsupportedOperationException("Hadoop files cannot be overwritten in place (" + p
                        + "): open with TRUNCATE_EXISTING to replace it or APPEND to extend it");
            }
            // CREATE_NEW: overwrite=false makes Hadoop refuse a file that appeared since the check
            FSDataOutputStream out = hfs(p).create(hp(p), !options.contains(StandardOpenOption.CREATE_NEW));
            return new HadoopChannels.Writer(out, 0, sync);
        } catch (IOException e) {
            throw translate(e, p, null);
        }
    }

    private SeekableByteChannel append(HadoopPath p, FileStatus s, boolean sync) throws IOException {
        org.apache.hadoop.fs.FileSystem fs = hfs(p);
        if (fs.hasPathCapability(hp(p), CommonPathCapabilities.FS_APPEND)) {
            return new HadoopChannels.Writer(fs.append(hp(p)), s.getLen(), sync);
        }
        // object stores cannot append: write the old bytes, then the new ones, to a new object (not atomic, and a
        // concurrent appender's bytes may be lost; rnnatlas appends only to runs.log, from the driver)
        byte[] old;
        try (FSDataInputStream in = fs.open(hp(p))) {
            old = in.readAllBytes();
        }
        FSDataOutputStream out = fs.create(hp(p), true);
        out.write(old);
        return new HadoopChannels.Writer(out, old.length, sync);
    }

    private static FSDataInputStream open(HadoopPath p) throws IOException {
        try {
            return hfs(p).open(hp(p));
        } catch (IOException e) {
            throw translate(e, p, null);
        }
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.APPEND || o == StandardOpenOption.WRITE) {
                throw new UnsupportedOperationException("'" + o + "' not allowed for an input stream");
            }
        }
        HadoopPath p = hadoop(path);
        if (status(p).isDirectory()) {
            throw new FileSystemException(p.toString(), null, "is a directory");
        }
        return open(p);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        throw new UnsupportedOperationException("FileChannel is not available on " + scheme + " paths (" + path
                + "): Hadoop filesystems are not memory-mappable files; use Files.newByteChannel, newInputStream or"
                + " newOutputStream");
    }

    // ------------------------------------------------------------------ directories

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        HadoopPath d = hadoop(dir);
        Objects.requireNonNull(filter, "filter");
        if (!status(d).isDirectory()) {
            throw new NotDirectoryException(d.toString());
        }
        RemoteIterator<FileStatus> it;
        try {
            it = hfs(d).listStatusIterator(hp(d));
        } catch (IOException e) {
            throw translate(e, d, null);
        }
        return new DirectoryStream<>() {
            private boolean closed;
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (closed) {
                    throw new IllegalStateException("directory stream of " + d + " is closed");
                }
                if (iterated) {
                    throw new IllegalStateException("iterator() of a directory stream may be called only once");
                }
                iterated = true;
                return new Iterator<>() {
                    private Path next;

                    @Override
                    public boolean hasNext() {
                        try {
                            while (next == null && !closed && it.hasNext()) {
                                Path candidate = d.resolve(it.next().getPath().getName());
                                if (filter.accept(candidate)) {
                                    next = candidate;
                                }
                            }
                        } catch (IOException e) {
                            throw new DirectoryIteratorException(e);
                        }
                        return next != null;
                    }

                    @Override
                    public Path next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Path n = next;
                        next = null;
                        return n;
                    }
                };
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        HadoopPath d = hadoop(dir);
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("file attributes at creation are not supported on " + scheme
                    + " (asked: " + attrs[0].name() + ")");
        }
        if (statusOrNull(d) != null) {
            throw new FileAlreadyExistsException(d.toString());
        }
        requireParentDirectory(d);
        try {
            if (!hfs(d).mkdirs(hp(d))) {
                throw new FileSystemException(d.toString(), null, "Hadoop's mkdirs returned false");
            }
        } catch (IOException e) {
            throw translate(e, d, null);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        HadoopPath p = hadoop(path);
        FileStatus s = status(p);
        if (s.isDirectory() && !isEmptyDirectory(p)) {
            throw new DirectoryNotEmptyException(p.toString());
        }
        try {
            if (!hfs(p).delete(hp(p), false) && statusOrNull(p) != null) {
                throw new FileSystemException(p.toString(), null, "Hadoop's delete returned false");
            }
        } catch (IOException e) {
            throw translate(e, p, null);
        }
    }

    // ------------------------------------------------------------------ copy and move

    private static Set<CopyOption> copyOptions(CopyOption... options) {
        Set<CopyOption> set = new HashSet<>();
        for (CopyOption o : options) {
            if (o != StandardCopyOption.REPLACE_EXISTING && o != StandardCopyOption.ATOMIC_MOVE
                    && o != StandardCopyOption.COPY_ATTRIBUTES && o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("copy option " + o + " is not supported on Hadoop"
                        + " filesystems (supported: REPLACE_EXISTING, ATOMIC_MOVE for move, COPY_ATTRIBUTES)");
            }
            set.add(o);
        }
        return set;
    }

    /** Checks the target before a copy or a move; deletes it when it may be replaced and {@code delete} is set. */
    private static void prepareTarget(HadoopPath target, boolean replace, boolean delete) throws IOException {
        FileStatus t = statusOrNull(target);
        if (t == null) {
            requireParentDirectory(target);
            return;
        }
        if (!replace) {
            throw new FileAlreadyExistsException(target.toString());
        }
        if (t.isDirectory() && !isEmptyDirectory(target)) {
            throw new DirectoryNotEmptyException(target.toString());
        }
        if (delete) {
            hfs(target).delete(hp(target), false);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        HadoopPath src = hadoop(source);
        HadoopPath dst = hadoop(target);
        Set<CopyOption> opts = copyOptions(options);
        if (opts.contains(StandardCopyOption.ATOMIC_MOVE)) {
            throw new UnsupportedOperationException("ATOMIC_MOVE is an option of move, not of copy");
        }
        FileStatus s = status(src);
        if (isSameFile(src, dst)) {
            return;
        }
        prepareTarget(dst, opts.contains(StandardCopyOption.REPLACE_EXISTING), true);
        try {
            if (s.isDirectory()) {
                hfs(dst).mkdirs(hp(dst));
            } else {
                try (InputStream in = hfs(src).open(hp(src));
                     SeekableByteChannel out = new HadoopChannels.Writer(hfs(dst).create(hp(dst), false), 0, false)) {
                    in.transferTo(java.nio.channels.Channels.newOutputStream(out));
                }
            }
            if (opts.contains(StandardCopyOption.COPY_ATTRIBUTES)) {
                hfs(dst).setTimes(hp(dst), s.getModificationTime(), -1);
            }
        } catch (IOException e) {
            throw translate(e, src, dst);
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        HadoopPath src = hadoop(source);
        HadoopPath dst = hadoop(target);
        Set<CopyOption> opts = copyOptions(options);
        HadoopFileSystem fs = src.getFileSystem();
        boolean atomic = opts.contains(StandardCopyOption.ATOMIC_MOVE);
        if (src.getFileSystem() != dst.getFileSystem()) {
            throw new UnsupportedOperationException("cannot move " + src + " to another Hadoop filesystem (" + dst
                    + "); copy then delete");
        }
        if (atomic && !fs.atomicRename()) {
            throw new AtomicMoveNotSupportedException(src.toString(), dst.toString(), scheme + " renames are not"
                    + " atomic (a copy, then a delete); set " + ATOMIC_RENAME_KEY + "=true if this filesystem's are");
        }
        status(src);
        if (isSameFile(src, dst)) {
            return;
        }
        // ATOMIC_MOVE replaces an existing target, as on the default filesystem
        boolean replace = atomic || opts.contains(StandardCopyOption.REPLACE_EXISTING);
        FileContext fc = fs.fileContext();
        try {
            if (fc != null) {
                prepareTarget(dst, replace, false);
                fc.rename(hp(src), hp(dst), replace ? Options.Rename.OVERWRITE : Options.Rename.NONE);
            } else {
                prepareTarget(dst, replace, true);
                if (!fs.hadoop().rename(hp(src), hp(dst))) {
                    throw new FileSystemException(src.toString(), dst.toString(), "Hadoop's rename returned false");
                }
            }
        } catch (IOException e) {
            throw translate(e, src, dst);
        }
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path instanceof HadoopPath a) || !(path2 instanceof HadoopPath b)
                || a.getFileSystem() != b.getFileSystem()) {
            return false;
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        HadoopPath name = hadoop(path).getFileName();
        return name != null && name.pathString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        return new HadoopFileStore(hadoop(path).getFileSystem());
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        HadoopPath p = hadoop(path);
        if (modes.length == 0) {
            status(p);
            return;
        }
        FsAction action = FsAction.NONE;
        for (AccessMode m : modes) {
            action = action.or(switch (m) {
                case READ -> FsAction.READ;
                case WRITE -> FsAction.WRITE;
                case EXECUTE -> FsAction.EXECUTE;
            });
        }
        try {
            hfs(p).access(hp(p), action);
        } catch (IOException e) {
            throw translate(e, p, null);
        }
    }

    @Override
    public boolean exists(Path path, LinkOption... options) {
        try {
            return statusOrNull(hadoop(path)) != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type,
                                                                    LinkOption... options) throws IOException {
        checkBasic(type);
        FileStatus s = statusOrNull(hadoop(path));
        return s == null ? null : (A) new HadoopAttributes(s);
    }

    private void checkBasic(Class<?> type) {
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException(type.getName() + " is not available on " + scheme
                    + " paths; Hadoop filesystems offer BasicFileAttributes only");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return type == BasicFileAttributeView.class ? (V) new HadoopAttributes.View(hadoop(path)) : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        checkBasic(type);
        return (A) new HadoopAttributes(status(hadoop(path)));
    }

    private static String[] viewAndNames(String attributes) {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!view.equals("basic")) {
            throw new UnsupportedOperationException("attribute view '" + view + "' is not available on Hadoop"
                    + " filesystems; only 'basic'");
        }
        return new String[] {view, names};
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        String names = viewAndNames(attributes)[1];
        return new HadoopAttributes(status(hadoop(path))).asMap(names);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        String name = viewAndNames(attribute)[1];
        var view = new HadoopAttributes.View(hadoop(path));
        switch (name) {
            case "lastModifiedTime" -> view.setTimes((FileTime) value, null, null);
            case "lastAccessTime" -> view.setTimes(null, (FileTime) value, null);
            default -> throw new UnsupportedOperationException("attribute 'basic:" + name + "' cannot be set on"
                    + " Hadoop filesystems (settable: lastModifiedTime, lastAccessTime)");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + scheme + " -> Hadoop " + hadoopScheme + "]";
    }
}

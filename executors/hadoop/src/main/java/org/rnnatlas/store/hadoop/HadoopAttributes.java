package org.rnnatlas.store.hadoop;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;

/** BasicFileAttributes from a Hadoop {@link FileStatus}. Hadoop keeps no creation time: it reports the modification. */
record HadoopAttributes(FileStatus status) implements BasicFileAttributes {

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(status.getModificationTime(), TimeUnit.MILLISECONDS);
    }

    @Override
    public FileTime lastAccessTime() {
        // 0 where the filesystem keeps no access time (HDFS by default, object stores)
        long t = status.getAccessTime();
        return t > 0 ? FileTime.from(t, TimeUnit.MILLISECONDS) : lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return status.isFile();
    }

    @Override
    public boolean isDirectory() {
        return status.isDirectory();
    }

    @Override
    public boolean isSymbolicLink() {
        return status.isSymlink();
    }

    @Override
    public boolean isOther() {
        return !status.isFile() && !status.isDirectory() && !status.isSymlink();
    }

    @Override
    public long size() {
        return status.isFile() ? status.getLen() : 0;
    }

    @Override
    public Object fileKey() {
        return null;
    }

    /** The "basic" view's attributes by name, as {@code Files.readAttributes(path, "basic:...")} returns them. */
    Map<String, Object> asMap(String names) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("lastModifiedTime", lastModifiedTime());
        all.put("lastAccessTime", lastAccessTime());
        all.put("creationTime", creationTime());
        all.put("size", size());
        all.put("isRegularFile", isRegularFile());
        all.put("isDirectory", isDirectory());
        all.put("isSymbolicLink", isSymbolicLink());
        all.put("isOther", isOther());
        all.put("fileKey", fileKey());
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (n.equals("*")) {
                out.putAll(all);
            } else if (all.containsKey(n)) {
                out.put(n, all.get(n));
            } else {
                throw new IllegalArgumentException("'" + n + "' is not a basic attribute; known: " + all.keySet());
            }
        }
        return out;
    }

    /** The basic view: reads a FileStatus, sets times with Hadoop's setTimes. */
    record View(HadoopPath path) implements BasicFileAttributeView {
        @Override
        public String name() {
            return "basic";
        }

        @Override
        public BasicFileAttributes readAttributes() throws IOException {
            return path.getFileSystem().provider().readAttributes(path, BasicFileAttributes.class);
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                throws IOException {
            if (lastModifiedTime == null && lastAccessTime == null) {
                return;
            }
            HadoopFileSystem fs = path.getFileSystem();
            // -1 leaves a time unchanged (Hadoop's convention)
            fs.hadoop().setTimes(fs.hadoopPath(path), lastModifiedTime == null ? -1 : lastModifiedTime.toMillis(),
                    lastAccessTime == null ? -1 : lastAccessTime.toMillis());
        }
    }
}

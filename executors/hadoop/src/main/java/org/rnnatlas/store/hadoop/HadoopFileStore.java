package org.rnnatlas.store.hadoop;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import org.apache.hadoop.fs.FsStatus;

/** The one store of a Hadoop filesystem: its capacity and free space from {@code FileSystem.getStatus()}. */
final class HadoopFileStore extends FileStore {
    private final HadoopFileSystem fs;

    HadoopFileStore(HadoopFileSystem fs) {
        this.fs = fs;
    }

    private FsStatus status() throws IOException {
        return fs.hadoop().getStatus();
    }

    @Override
    public String name() {
        return fs.prefix();
    }

    @Override
    public String type() {
        return fs.provider().getScheme();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public long getTotalSpace() throws IOException {
        return status().getCapacity();
    }

    @Override
    public long getUsableSpace() throws IOException {
        return status().getRemaining();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        return status().getRemaining();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return name.equals("basic");
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) {
        throw new UnsupportedOperationException("Hadoop file stores have no attribute '" + attribute + "'");
    }

    @Override
    public String toString() {
        return name();
    }
}

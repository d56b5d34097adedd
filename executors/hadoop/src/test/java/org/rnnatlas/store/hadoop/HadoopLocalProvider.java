package org.rnnatlas.store.hadoop;

import org.apache.hadoop.conf.Configuration;

/**
 * Test scheme {@code hadoop-file:///tmp/x}: the local disk through Hadoop's {@code RawLocalFileSystem} (no .crc
 * side files) and its FileContext binding {@code RawLocalFs}, so the provider's code paths run without a cluster.
 * Its renames go through Hadoop's delete-then-rename, so it is not atomic, like an object store.
 */
public final class HadoopLocalProvider extends HadoopFileSystemProvider {
    public HadoopLocalProvider() {
        super("hadoop-file", "file", false);
    }

    @Override
    protected void customize(Configuration conf) {
        conf.set("fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
        conf.set("fs.AbstractFileSystem.file.impl", org.apache.hadoop.fs.local.RawLocalFs.class.getName());
    }
}

package org.rnnatlas.store.hadoop;

/**
 * The schemes this module installs (listed in {@code META-INF/services/java.nio.file.spi.FileSystemProvider}): each
 * is a {@link HadoopFileSystemProvider} for one URI scheme. Hadoop itself must find a FileSystem for the scheme:
 * HDFS and viewfs come with {@code hadoop-client-api}; {@code s3a} needs {@code hadoop-aws} and the AWS SDK bundle,
 * {@code abfs}/{@code abfss} {@code hadoop-azure}, {@code gs} Google's {@code gcs-connector}.
 */
public final class HadoopSchemes {
    private HadoopSchemes() {
    }

    /** {@code hdfs://namenode:8020/path}: renames are atomic (the NameNode replaces the entry in one step). */
    public static final class Hdfs extends HadoopFileSystemProvider {
        public Hdfs() {
            super("hdfs", "hdfs", true);
        }

        @Override
        protected String connectorHint() {
            return "HDFS's client is in hadoop-client-api/runtime, which Spark brings; put them on the class path";
        }
    }

    /**
     * {@code viewfs://cluster/path}: a mount table over other filesystems. Renames are treated as atomic since mount
     * tables usually point to HDFS; set {@value HadoopFileSystemProvider#ATOMIC_RENAME_KEY}{@code =false} when the
     * store's mount point is an object store.
     */
    public static final class Viewfs extends HadoopFileSystemProvider {
        public Viewfs() {
            super("viewfs", "viewfs", true);
        }
    }

    /** {@code s3a://bucket/path}: Amazon S3 and compatible stores; a rename is a copy then a delete. */
    public static final class S3a extends HadoopFileSystemProvider {
        public S3a() {
            super("s3a", "s3a", false);
        }

        @Override
        protected String connectorHint() {
            return "s3a needs hadoop-aws-3.5.0.jar and the AWS SDK v2 bundle on the class path (e.g. spark-submit"
                    + " --packages org.apache.hadoop:hadoop-aws:3.5.0)";
        }
    }

    /**
     * {@code abfs://container@account.dfs.core.windows.net/path}: Azure Data Lake Storage Gen2. Renames are atomic
     * only with a hierarchical namespace, which Hadoop cannot tell from the URI: set
     * {@value HadoopFileSystemProvider#ATOMIC_RENAME_KEY}{@code =true} on such accounts.
     */
    public static final class Abfs extends HadoopFileSystemProvider {
        public Abfs() {
            super("abfs", "abfs", false);
        }

        @Override
        protected String connectorHint() {
            return "abfs needs hadoop-azure-3.5.0.jar on the class path";
        }
    }

    /** {@code abfss://…}: ABFS over TLS; as {@link Abfs}. */
    public static final class Abfss extends HadoopFileSystemProvider {
        public Abfss() {
            super("abfss", "abfss", false);
        }

        @Override
        protected String connectorHint() {
            return "abfss needs hadoop-azure-3.5.0.jar on the class path";
        }
    }

    /** {@code gs://bucket/path}: Google Cloud Storage; a rename is a copy then a delete. */
    public static final class Gs extends HadoopFileSystemProvider {
        public Gs() {
            super("gs", "gs", false);
        }

        @Override
        protected String connectorHint() {
            return "gs needs Google's gcs-connector (hadoop3 shaded jar) on the class path";
        }
    }
}

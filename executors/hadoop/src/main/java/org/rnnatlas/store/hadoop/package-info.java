/**
 * Stores on Hadoop-compatible filesystems through java.nio: {@link org.rnnatlas.store.hadoop.HadoopFileSystemProvider}
 * makes {@code hdfs://}, {@code viewfs://}, {@code s3a://}, {@code abfs://}, {@code abfss://} and {@code gs://} URIs
 * into {@link java.nio.file.Path}s, so that rnnatlas's store code (which uses only {@link java.nio.file.Files}) reads
 * and writes there unchanged. Put this jar next to rnnatlas's on the class path (Spark provides Hadoop); core finds
 * the providers with {@code org.rnnatlas.core.io.StorePaths}.
 */
package org.rnnatlas.store.hadoop;

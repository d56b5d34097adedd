/**
 * Executors: where population work units run. {@link org.rnnatlas.core.exec.LocalExecutor} is the default (a thread
 * pool in this JVM); others (the {@code spark} module) are plugins found through
 * {@link org.rnnatlas.core.registry.Plugins#executors()}. {@link org.rnnatlas.core.exec.WorkerContext} rebuilds a
 * unit's kernel and plugins on a worker.
 */
package org.rnnatlas.core.exec;

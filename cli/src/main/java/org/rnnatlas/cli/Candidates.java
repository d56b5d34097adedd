package org.rnnatlas.cli;

import java.util.Iterator;
import org.rnnatlas.core.registry.Plugins;

/** Completion candidates and {@code --help} lists, taken from the plugins on the class path. */
final class Candidates {
    private Candidates() {
    }

    static final class Cells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Plugins.classPath().cells().names().iterator();
        }
    }

    static final class SimilarityMetrics implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Plugins.classPath().similarityMetrics().names().iterator();
        }
    }

    static final class Tasks implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Plugins.classPath().tasks().names().iterator();
        }
    }

    static final class TopologyMetrics implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Plugins.classPath().topologyMetrics().names().iterator();
        }
    }
}

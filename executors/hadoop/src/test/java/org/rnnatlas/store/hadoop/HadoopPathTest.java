package org.rnnatlas.store.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.io.StorePaths;

/**
 * Path algebra: every operation on a Hadoop path must give what the JDK's UNIX path gives for the same string (the
 * default filesystem on Linux is the oracle), and URIs and store arguments must round-trip.
 */
class HadoopPathTest {
    private static final List<String> PATHS = List.of("", "/", "a", "/a", "a/b", "/a/b", "/a/b/c", "a//b/", "//a///b//",
            ".", "..", "a/.", "a/..", "/..", "/a/../b", "a/./b/../c", "../a", "a/b/../../..", "/a/b/./c/..", "x.npy",
            ".hidden", "/store/networks/flipflop-gru-tanh-n4-s0/params/W.npy");

    private static HadoopFileSystem fs() {
        return new HadoopLocalProvider().getFileSystem(URI.create("hadoop-file:///"));
    }

    private static Path unix(String s) {
        return FileSystems.getDefault().getPath(s);
    }

    /** Both paths as comparable text: the path component of a Hadoop path, the UNIX path's string. */
    private static String str(Path p) {
        return p == null ? "null" : p instanceof HadoopPath h ? h.pathString() : p.toString();
    }

    @Test
    void singlePathOperationsMatchUnixPaths() {
        HadoopFileSystem fs = fs();
        for (String s : PATHS) {
            Path u = unix(s);
            HadoopPath h = fs.getPath(s);
            String at = "for '" + s + "'";
            assertEquals(u.toString(), h.pathString(), at);
            assertEquals(u.isAbsolute(), h.isAbsolute(), at);
            assertEquals(str(u.getRoot()), str(h.getRoot()), at);
            assertEquals(str(u.getFileName()), str(h.getFileName()), at);
            assertEquals(str(u.getParent()), str(h.getParent()), at);
            assertEquals(u.getNameCount(), h.getNameCount(), at);
            assertEquals(str(u.normalize()), str(h.normalize()), at);
            for (int i = 0; i < u.getNameCount(); i++) {
                assertEquals(str(u.getName(i)), str(h.getName(i)), at + " name " + i);
                for (int j = i + 1; j <= u.getNameCount(); j++) {
                    assertEquals(str(u.subpath(i, j)), str(h.subpath(i, j)), at + " subpath " + i + ".." + j);
                }
            }
            List<String> un = new ArrayList<>();
            List<String> hn = new ArrayList<>();
            u.forEach(p -> un.add(p.toString()));
            h.forEach(p -> hn.add(str(p)));
            assertEquals(un, hn, at);
        }
    }

    @Test
    void pairOperationsMatchUnixPaths() {
        HadoopFileSystem fs = fs();
        int relativized = 0;
        for (String a : PATHS) {
            for (String b : PATHS) {
                Path ua = unix(a);
                Path ub = unix(b);
                HadoopPath ha = fs.getPath(a);
                HadoopPath hb = fs.getPath(b);
                String at = "for '" + a + "' and '" + b + "'";
                assertEquals(str(ua.resolve(ub)), str(ha.resolve(hb)), at + ": resolve");
                assertEquals(str(ua.resolveSibling(ub)), str(ha.resolveSibling(hb)), at + ": resolveSibling");
                assertEquals(ua.startsWith(ub), ha.startsWith(hb), at + ": startsWith");
                assertEquals(ua.endsWith(ub), ha.endsWith(hb), at + ": endsWith");
                assertEquals(ua.equals(ub), ha.equals(hb), at + ": equals");
                assertEquals(Integer.signum(ua.compareTo(ub)), Integer.signum(ha.compareTo(hb)), at + ": compareTo");
                // relativize: the JDK's rules for unnormalized ".." names are its own; compare normalized paths
                Path na = ua.normalize();
                Path nb = ub.normalize();
                if (na.isAbsolute() == nb.isAbsolute() && !na.toString().contains("..")
                        && !nb.toString().contains("..")) {
                    assertEquals(str(na.relativize(nb)), str(ha.normalize().relativize(hb.normalize())),
                            at + ": relativize");
                    relativized++;
                }
            }
        }
        assertTrue(relativized > 100, "relativize compared on " + relativized + " pairs");
        assertThrows(IllegalArgumentException.class, () -> fs.getPath("/a").relativize(fs.getPath("b")));
        assertThrows(ProviderMismatchException.class, () -> fs.getPath("/a").resolve(Path.of("b")));
    }

    @Test
    void absolutePathsPrintAsUrisAndRoundTripThroughStoreArguments() {
        HadoopFileSystem fs = fs();
        HadoopPath p = fs.getPath("/study/a b/networks");
        assertEquals("hadoop-file:///study/a b/networks", p.toString());
        assertEquals(URI.create("hadoop-file:///study/a%20b/networks"), p.toUri());
        assertEquals(p, Path.of(p.toUri()));
        assertEquals(p, StorePaths.of(StorePaths.toArg(p)));
        assertEquals(p, StorePaths.of(p.toString()));
        assertEquals("networks", p.getFileName().toString());
        // a relative path is absolute against Hadoop's working directory (the local one: the JVM's)
        assertEquals(Path.of("").toAbsolutePath().resolve("x").toString(),
                fs.getPath("x").toAbsolutePath().pathString());
        assertEquals(p.toUri(), fs.getPath("/study", "a b", "networks").toUri());
    }
}

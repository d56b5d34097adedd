package org.rnnatlas.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Checks a written report without a browser: every {@code src}/{@code href} of {@code index.html} is relative and
 * names an existing file inside the report folder, every PNG starts with the PNG signature and decodes, every SVG
 * parses as XML with an {@code <svg>} root. Used by the tests and available to scripts.
 */
public final class ReportCheck {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern REF = Pattern.compile("(?:src|href)=\"([^\"]*)\"");

    private ReportCheck() {
    }

    /** The files {@code index.html} references (in-page anchors excluded), in page order. */
    public static List<String> references(Path index) throws IOException {
        Set<String> refs = new LinkedHashSet<>();
        Matcher m = REF.matcher(Files.readString(index, StandardCharsets.UTF_8));
        while (m.find()) {
            if (!m.group(1).startsWith("#")) {
                refs.add(m.group(1));
            }
        }
        return List.copyOf(refs);
    }

    /** Every problem found, one line each; empty when the report is sound. */
    public static List<String> problems(Path index) throws IOException {
        List<String> out = new ArrayList<>();
        Path dir = index.toAbsolutePath().getParent();
        for (String ref : references(index)) {
            if (ref.contains(":") || ref.startsWith("/") || ref.contains("..")) {
                out.add(ref + ": not a relative path inside the report folder (the page must work offline)");
                continue;
            }
            Path f = dir.resolve(ref);
            if (!Files.isRegularFile(f)) {
                out.add(ref + ": referenced but missing");
            } else if (ref.endsWith(".png")) {
                png(f, ref, out);
            } else if (ref.endsWith(".svg")) {
                svg(f, ref, out);
            }
        }
        return out;
    }

    private static void png(Path f, String ref, List<String> out) throws IOException {
        byte[] head = new byte[PNG.length];
        try (InputStream in = Files.newInputStream(f)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !Arrays.equals(head, PNG)) {
                out.add(ref + ": does not start with the PNG signature");
                return;
            }
        }
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException e) {
            out.add(ref + ": PNG does not decode (" + e.getMessage() + ")");
            return;
        }
        if (img == null || img.getWidth() < 100 || img.getHeight() < 100) {
            out.add(ref + ": PNG does not decode to an image of at least 100 x 100 pixels");
        }
    }

    private static void svg(Path f, String ref, List<String> out) {
        try {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setNamespaceAware(true);
            // SVG files name the W3C DTD; never fetch it (the check, like the page, works offline)
            dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            Element root = dbf.newDocumentBuilder().parse(f.toFile()).getDocumentElement();
            String name = root.getLocalName() != null ? root.getLocalName() : root.getTagName();
            if (!"svg".equals(name)) {
                out.add(ref + ": XML root is <" + name + ">, not <svg>");
            }
        } catch (Exception e) {
            out.add(ref + ": SVG does not parse as XML (" + e.getMessage() + ")");
        }
    }
}

package org.rnnatlas.report;

import java.util.List;

/** The report page as it is built: sections, captioned figures, tables. Everything inline; no script, no network. */
final class Html {
    private final StringBuilder body = new StringBuilder();
    private final StringBuilder toc = new StringBuilder();

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    void h2(String id, String text) {
        toc.append("<li><a href=\"#").append(id).append("\">").append(esc(text)).append("</a></li>\n");
        body.append("<h2 id=\"").append(id).append("\">").append(esc(text)).append("</h2>\n");
    }

    void h3(String text) {
        body.append("<h3>").append(esc(text)).append("</h3>\n");
    }

    void p(String text) {
        body.append("<p>").append(esc(text)).append("</p>\n");
    }

    /** A plain statement that something is absent, and how to produce it. */
    void missing(String text) {
        body.append("<p class=\"missing\">").append(esc(text)).append("</p>\n");
    }

    void figure(String file, String label, String title, String caption, int width) {
        body.append("<figure id=\"").append(esc(file)).append("\">\n<a href=\"figures/").append(esc(file))
                .append(".png\"><img src=\"figures/").append(esc(file)).append(".png\" alt=\"").append(esc(title))
                .append("\" style=\"width:min(100%,").append(width).append("px)\"></a>\n<figcaption><b>")
                .append(esc(label)).append(" ").append(esc(title)).append(".</b> ").append(esc(caption))
                .append(" <a href=\"figures/").append(esc(file)).append(".svg\">SVG</a></figcaption>\n</figure>\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        for (String h : header) {
            body.append("<th>").append(esc(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (String c : r) {
                body.append("<td>").append(esc(c)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    String page(String title, String intro) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title)
                + "</title>\n<style>\n"
                + "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1100px;"
                + "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
                + "h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{margin-top:1.5em}\n"
                + "figure{margin:1.5em 0}figure img{display:block;border:1px solid #eee}\n"
                + "figcaption{font-size:.92em;color:#333;margin-top:.4em}\n"
                + "table{border-collapse:collapse;margin:1em 0;font-size:.92em}"
                + "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
                + "th{background:#f3f3f3}\n"
                + ".missing{background:#fff6e0;border-left:4px solid #e0a000;padding:.4em .8em}\n"
                + "code{font-size:.95em}\n</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n" + intro
                + "<nav><ul>\n" + toc + "</ul></nav>\n" + body + "</body>\n</html>\n";
    }
}

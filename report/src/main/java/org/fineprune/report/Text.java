package org.fineprune.report;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.fineprune.experiments.Point;

/** Number formatting and ordering shared by the report's files; all independent of the default locale. */
final class Text {
    /**
     * Orders names with their digit runs compared as numbers ({@code conv_3} before {@code conv_10}),
     * and numbers by value when both names are numbers.
     */
    static final Comparator<String> NATURAL = Text::compareNatural;

    private Text() {}

    /** {@code value} with {@code decimals} decimals, or {@code ""} for NaN. */
    static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A setting's value as keys write it: numbers without a trailing {@code .0}, lists joined with {@code +}. */
    static String value(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Text::value).collect(Collectors.joining("+"));
        }
        return value instanceof Number n ? Point.number(n.doubleValue()) : String.valueOf(value);
    }

    /** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
    static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }

    /** {@code name} made safe for a file name: anything but letters, digits, {@code . _ -} becomes {@code _}. */
    static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    private static int compareNatural(String a, String b) {
        Double x = parse(a);
        Double y = parse(b);
        if (x != null && y != null) {
            int byValue = Double.compare(x, y);
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char c = a.charAt(i);
            char d = b.charAt(j);
            if (Character.isDigit(c) && Character.isDigit(d)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int byNumber = new BigDecimal(a.substring(i, endA)).compareTo(new BigDecimal(b.substring(j, endB)));
                if (byNumber != 0) {
                    return byNumber;
                }
                i = endA;
                j = endB;
            } else {
                if (c != d) {
                    return Character.compare(c, d);
                }
                i++;
                j++;
            }
        }
        int byLength = Integer.compare(a.length() - i, b.length() - j);
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static Double parse(String s) {
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

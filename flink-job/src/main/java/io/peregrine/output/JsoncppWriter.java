package io.peregrine.output;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON byte for byte as jsoncpp 0.10.6's {@code Json::FastWriter} does (the jsoncpp
 * bundled with falcosecurity/libs that Falco 0.31 to 0.33 link): object keys sorted by their bytes,
 * no blanks, strings escaped only for {@code " \ \b \f \n \r \t} and other control characters
 * (as {@code \}{@code u00XX}, upper-case hex), non-ASCII text left as is, {@code /} not escaped,
 * doubles as C's {@code %.17g}.
 */
public final class JsoncppWriter {

    /**
     * jsoncpp keeps members in a std::map whose key order is memcmp over the UTF-8 bytes. UTF-16
     * order is the same unless a surrogate pair is involved, so only then are bytes compared.
     */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        if (hasSurrogate(a) || hasSurrogate(b)) {
            return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }
        return a.compareTo(b);
    };

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsoncppWriter() {
    }

    /** Appends {@code value} (null, String, Boolean, a Number, a Map or a Collection) to {@code out}. */
    public static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(formatDouble(((Number) value).doubleValue()));
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map);
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    /** {@code value} as a JSON text. */
    public static String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object k : map.keySet()) {
            keys.add((String) k);
        }
        keys.sort(KEY_ORDER);
        out.append('{');
        boolean first = true;
        for (String key : keys) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, key);
            out.append(':');
            write(out, map.get(key));
        }
        out.append('}');
    }

    /** Appends {@code s} quoted and escaped as jsoncpp's valueToQuotedStringN does. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** C's {@code %.17g} of {@code d}; non-finite values as jsoncpp writes them without special floats. */
    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "null";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-1e+9999" : "1e+9999";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        final int precision = 17;
        // new BigDecimal(double) is the exact binary value; glibc rounds that exact value to
        // nearest, ties to even, which is what HALF_EVEN does here.
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String digits = stripZeros(mantissa.setScale(precision - 1, RoundingMode.UNNECESSARY).toPlainString());
            String exp = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
            return digits + "e" + exp;
        }
        return stripZeros(rounded.setScale(Math.max(0, precision - 1 - exponent), RoundingMode.UNNECESSARY)
                .toPlainString());
    }

    private static String stripZeros(String fixed) {
        if (fixed.indexOf('.') < 0) {
            return fixed;
        }
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        if (fixed.charAt(end - 1) == '.') {
            end--;
        }
        return fixed.substring(0, end);
    }
}

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
 * Writes compact JSON byte for byte as the two JSON libraries behind Falco's alerts do. Both sort
 * object keys by their bytes (std::map), write no blanks, escape only {@code " \ \b \f \n \r \t}
 * and other control characters, leave non-ASCII text and {@code /} as they are.
 *
 * <ul>
 *   <li>{@link #JSONCPP}: jsoncpp 0.10.6's {@code Json::FastWriter}, bundled with falcosecurity/libs
 *       and used by Falco up to 0.38: control characters as {@code \}{@code u001F} (upper-case hex),
 *       doubles as C's {@code %.17g};</li>
 *   <li>{@link #NLOHMANN}: nlohmann::json's {@code dump()}, Falco 0.39 and later: control
 *       characters as {@code \}{@code u001f} (lower-case hex), doubles in their shortest form with
 *       a {@code .0} when integral.</li>
 * </ul>
 */
public enum FalcoJsonWriter {
    JSONCPP("0123456789ABCDEF"),
    NLOHMANN("0123456789abcdef");

    /**
     * Key order of a std::map of std::string: memcmp over the UTF-8 bytes. UTF-16 order is the
     * same unless a surrogate pair is involved, so only then are bytes compared.
     */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        if (hasSurrogate(a) || hasSurrogate(b)) {
            return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        }
        return a.compareTo(b);
    };

    private final char[] hex;

    FalcoJsonWriter(String hexDigits) {
        this.hex = hexDigits.toCharArray();
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code value} (null, String, Boolean, a Number, a Map or a Collection) to {@code out}. */
    public void write(StringBuilder out, Object value) {
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
    public String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private void writeObject(StringBuilder out, Map<?, ?> map) {
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

    /** Appends {@code s} quoted and escaped. */
    public void quote(StringBuilder out, String s) {
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
                        out.append("\\u00").append(hex[c >> 4]).append(hex[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code d} as this library prints a double. */
    String formatDouble(double d) {
        return this == JSONCPP ? percent17g(d) : nlohmannDouble(d);
    }

    /** C's {@code %.17g}; non-finite values as jsoncpp writes them without special floats. */
    private static String percent17g(double d) {
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
            return digits + "e" + exponentText(exponent);
        }
        return stripZeros(rounded.setScale(Math.max(0, precision - 1 - exponent), RoundingMode.UNNECESSARY)
                .toPlainString());
    }

    /**
     * nlohmann's shortest round-trip form (dtoa_impl::format_buffer): with the decimal point after
     * n digits, plain digits (".0" added when integral) for -4 &lt; n &lt;= 15, otherwise
     * d[.ddd]e+NN; NaN and infinities as null.
     */
    private static String nlohmannDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDecimal(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int n = digits.length() - shortest.scale(); // value = 0.digits * 10^n
        String sign = d < 0 ? "-" : "";
        if (n > 15 || n < -3) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + exponentText(n - 1);
        }
        if (n <= 0) {
            return sign + "0." + "0".repeat(-n) + digits;
        }
        if (n >= digits.length()) {
            return sign + digits + "0".repeat(n - digits.length()) + ".0";
        }
        return sign + digits.substring(0, n) + "." + digits.substring(n);
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code d}. (Java 17's
     * Double.toString is not always shortest, e.g. 1.2300000000000001E22 for 1.23e22.)
     */
    private static BigDecimal shortestDecimal(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static String exponentText(int exponent) {
        return (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
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

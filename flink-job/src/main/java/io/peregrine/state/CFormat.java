package io.peregrine.state;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** The few C printf conversions libsinsp's output depends on. */
public final class CFormat {

    private CFormat() {
    }

    /**
     * C's {@code %.<decimals>f}: the exact binary value rounded half-even, as glibc does (Java's
     * {@code %.1f} rounds the shortest decimal form half-up instead, so 0.35, stored as
     * 0.34999..., would print 0.4 where C prints 0.3).
     */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return v < 0 || (v == 0 && 1 / v < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }

    /** C's {@code %g}/{@code %lg}: 6 significant digits, trailing zeros dropped, exponent outside 1e-4..1e6. */
    public static String lg(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String digits = rounded.unscaledValue().abs().toString().replaceAll("0+$", "");
            String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            String sign = v < 0 ? "-" : "";
            String exp = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
            return sign + mantissa + "e" + exp;
        }
        String plain = rounded.toPlainString();
        if (plain.contains(".")) {
            plain = plain.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return plain;
    }
}

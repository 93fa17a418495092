package io.peregrine.rules.eval;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.IpNet;
import io.peregrine.rules.lang.Operator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles one check (field, operator, literal operand) into a {@link Predicate}, with the operand
 * parsed once for the field's type: strings compare as text, numbers as signed or unsigned
 * integers, addresses as bytes or networks, buffers as bytes. An operator the type does not
 * support, or a literal that does not parse for it, is an {@link IllegalArgumentException}.
 *
 * <p>As in libsinsp, a check on a field the event does not have is false, whatever the operator
 * (except that {@code not} above it turns it true).
 */
public final class CheckCompiler {

    private CheckCompiler() {
    }

    /** {@code field op values}; {@code values} has one element for scalar operators, none for exists. */
    public static Predicate compile(FieldExtractor field, Operator op, List<String> values) {
        if (op == Operator.EXISTS) {
            return field.isList()
                    ? ctx -> field.extract(ctx) instanceof List<?> l && !l.isEmpty()
                    : ctx -> field.extract(ctx) != null;
        }
        FieldType type = field.type();
        if (field.isList() && op == Operator.IN) {
            ValueTest member = test(type, Operator.IN, values);
            return ctx -> field.extract(ctx) instanceof List<?> l && !l.isEmpty() && all(l, member);
        }
        ValueTest test = test(type, op == Operator.INTERSECTS ? Operator.IN : op, values);
        if (field.isList()) {
            return ctx -> field.extract(ctx) instanceof List<?> l && any(l, test);
        }
        return new ScalarCheck(field, test);
    }

    /** {@code left op val(right)}: compares two fields of the same event. */
    public static Predicate compileFieldComparison(FieldExtractor left, Operator op, FieldExtractor right) {
        FieldType type = left.type();
        return ctx -> {
            Object a = left.extract(ctx);
            Object b = right.extract(ctx);
            return a != null && b != null && !(a instanceof List) && !(b instanceof List)
                    && compareDynamic(type, op, a, b);
        };
    }

    private record ScalarCheck(FieldExtractor field, ValueTest test) implements Predicate {
        @Override
        public boolean test(EvalContext context) {
            Object v = field.extract(context);
            return v != null && test.test(v);
        }
    }

    private static boolean all(List<?> values, ValueTest test) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null || !test.test(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(List<?> values, ValueTest test) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v != null && test.test(v)) {
                return true;
            }
        }
        return false;
    }

    static ValueTest test(FieldType type, Operator op, List<String> values) {
        return switch (type) {
            case STRING, FSPATH -> stringTest(op, values);
            case INT64, RELTIME, ABSTIME -> longTest(type, op, values, false);
            case UINT64, PORT -> longTest(type, op, values, true);
            case DOUBLE -> doubleTest(op, values);
            case BOOL -> boolTest(op, values);
            case IPADDR, IPNET -> addressTest(type, op, values);
            case BYTES -> bytesTest(op, values);
        };
    }

    private static IllegalArgumentException unsupported(Operator op, FieldType type) {
        return new IllegalArgumentException("operator '" + op.text() + "' is not supported for "
                + type.name().toLowerCase() + " fields");
    }

    private static String single(List<String> values) {
        return values.get(0);
    }

    private static ValueTest stringTest(Operator op, List<String> values) {
        switch (op) {
            case EQ, EQEQ -> {
                String v = single(values);
                return x -> v.equals(str(x));
            }
            case NE -> {
                String v = single(values);
                return x -> !v.equals(str(x));
            }
            case LT -> {
                String v = single(values);
                return x -> (str(x)).compareTo(v) < 0;
            }
            case LE -> {
                String v = single(values);
                return x -> (str(x)).compareTo(v) <= 0;
            }
            case GT -> {
                String v = single(values);
                return x -> (str(x)).compareTo(v) > 0;
            }
            case GE -> {
                String v = single(values);
                return x -> (str(x)).compareTo(v) >= 0;
            }
            case CONTAINS -> {
                String v = single(values);
                return x -> (str(x)).contains(v);
            }
            case ICONTAINS -> {
                String v = single(values);
                return x -> containsIgnoreCase(str(x), v);
            }
            case STARTSWITH -> {
                String v = single(values);
                return x -> (str(x)).startsWith(v);
            }
            case ENDSWITH -> {
                String v = single(values);
                return x -> (str(x)).endsWith(v);
            }
            case GLOB, IGLOB -> {
                GlobMatcher glob = new GlobMatcher(single(values), op == Operator.IGLOB);
                return x -> glob.matches(str(x));
            }
            case REGEX -> {
                Pattern pattern;
                try {
                    pattern = Pattern.compile(single(values));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("invalid regular expression '" + single(values)
                            + "': " + e.getDescription());
                }
                return x -> pattern.matches(str(x));
            }
            case IN, INTERSECTS -> {
                Set<String> set = new HashSet<>(values);
                if (set.size() == 1) {
                    String v = values.get(0);
                    return x -> v.equals(str(x));
                }
                if (set.size() <= 4) {
                    // A few values: comparing them beats hashing a fresh string per event.
                    String[] few = set.toArray(String[]::new);
                    return x -> {
                        String s = str(x);
                        for (String v : few) {
                            if (v.equals(s)) {
                                return true;
                            }
                        }
                        return false;
                    };
                }
                return x -> set.contains(str(x));
            }
            case PMATCH -> {
                PathPrefixSet prefixes = new PathPrefixSet(values);
                return x -> prefixes.matches(str(x));
            }
            default -> throw unsupported(op, FieldType.STRING);
        }
    }

    /**
     * A value as text. Extractors return the documented type; this guards against one that
     * returns another (a dynamic field), so evaluation can never throw.
     */
    private static String str(Object x) {
        return x instanceof String s ? s : String.valueOf(x);
    }

    /** A value as a long; a non-number compares as Long.MIN_VALUE (never equal to a parsed literal in practice). */
    private static long num(Object x) {
        if (x instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(x));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static double dbl(Object x) {
        if (x instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(x));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static boolean containsIgnoreCase(String haystack, String needle) {
        int n = needle.length();
        for (int i = 0, last = haystack.length() - n; i <= last; i++) {
            if (haystack.regionMatches(true, i, needle, 0, n)) {
                return true;
            }
        }
        return false;
    }

    private static ValueTest longTest(FieldType type, Operator op, List<String> values, boolean unsigned) {
        long[] parsed = new long[values.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = (Long) ValueParser.parse(type, values.get(i), false);
        }
        if (op == Operator.IN || op == Operator.INTERSECTS) {
            long[] sorted = parsed.clone();
            Arrays.sort(sorted);
            return x -> Arrays.binarySearch(sorted, num(x)) >= 0;
        }
        long v = parsed[0];
        return switch (op) {
            case EQ, EQEQ -> x -> num(x) == v;
            case NE -> x -> num(x) != v;
            case LT -> x -> cmp(num(x), v, unsigned) < 0;
            case LE -> x -> cmp(num(x), v, unsigned) <= 0;
            case GT -> x -> cmp(num(x), v, unsigned) > 0;
            case GE -> x -> cmp(num(x), v, unsigned) >= 0;
            default -> throw unsupported(op, type);
        };
    }

    private static int cmp(long a, long b, boolean unsigned) {
        return unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    private static ValueTest doubleTest(Operator op, List<String> values) {
        double[] parsed = values.stream().mapToDouble(ValueParser::parseDouble).toArray();
        if (op == Operator.IN || op == Operator.INTERSECTS) {
            return x -> {
                double d = dbl(x);
                for (double p : parsed) {
                    if (p == d) {
                        return true;
                    }
                }
                return false;
            };
        }
        double v = parsed[0];
        return switch (op) {
            case EQ, EQEQ -> x -> dbl(x) == v;
            case NE -> x -> dbl(x) != v;
            case LT -> x -> dbl(x) < v;
            case LE -> x -> dbl(x) <= v;
            case GT -> x -> dbl(x) > v;
            case GE -> x -> dbl(x) >= v;
            default -> throw unsupported(op, FieldType.DOUBLE);
        };
    }

    private static ValueTest boolTest(Operator op, List<String> values) {
        List<Boolean> parsed = values.stream().map(ValueParser::parseBool).toList();
        return switch (op) {
            case EQ, EQEQ -> {
                boolean v = parsed.get(0);
                yield x -> Boolean.valueOf(v).equals(x);
            }
            case NE -> {
                boolean v = parsed.get(0);
                yield x -> x instanceof Boolean b && b != v;
            }
            case IN, INTERSECTS -> x -> parsed.contains(x);
            default -> throw unsupported(op, FieldType.BOOL);
        };
    }

    private static ValueTest addressTest(FieldType type, Operator op, List<String> values) {
        List<Object> parsed = new ArrayList<>();
        for (String v : values) {
            parsed.add(ValueParser.parseAddressOrNet(v));
        }
        Object[] targets = parsed.toArray();
        return switch (op) {
            case EQ, EQEQ -> x -> addressMatches(x, targets[0]);
            case NE -> x -> !addressMatches(x, targets[0]);
            case IN, INTERSECTS -> x -> {
                for (Object t : targets) {
                    if (addressMatches(x, t)) {
                        return true;
                    }
                }
                return false;
            };
            default -> throw unsupported(op, type);
        };
    }

    /** An address equals an address and lies in a network; a network equals a network. */
    static boolean addressMatches(Object value, Object target) {
        if (!(value instanceof IpNet) && !(value instanceof byte[])) {
            return false;
        }
        byte[] address = value instanceof IpNet net ? null : (byte[]) value;
        if (target instanceof IpNet targetNet) {
            if (address != null) {
                return targetNet.contains(address);
            }
            IpNet net = (IpNet) value;
            return net.equals(targetNet) || (net.prefixLength() >= targetNet.prefixLength()
                    && targetNet.contains(net.address()));
        }
        byte[] targetAddress = (byte[]) target;
        if (address != null) {
            return Arrays.equals(address, targetAddress);
        }
        return ((IpNet) value).contains(targetAddress);
    }

    private static ValueTest bytesTest(Operator op, List<String> values) {
        boolean hex = op == Operator.BCONTAINS || op == Operator.BSTARTSWITH;
        List<byte[]> parsed = new ArrayList<>();
        for (String v : values) {
            parsed.add((byte[]) ValueParser.parse(FieldType.BYTES, v, hex));
        }
        byte[] v = parsed.get(0);
        return switch (op) {
            case EQ, EQEQ -> x -> Arrays.equals(bytes(x), v);
            case NE -> x -> !Arrays.equals(bytes(x), v);
            case CONTAINS, BCONTAINS -> x -> indexOf(bytes(x), v) >= 0;
            case STARTSWITH, BSTARTSWITH -> x -> startsWith(bytes(x), v);
            case IN, INTERSECTS -> x -> {
                byte[] b = bytes(x);
                for (byte[] p : parsed) {
                    if (Arrays.equals(b, p)) {
                        return true;
                    }
                }
                return false;
            };
            default -> throw unsupported(op, FieldType.BYTES);
        };
    }

    private static byte[] bytes(Object x) {
        return x instanceof byte[] b ? b : x.toString().getBytes(StandardCharsets.UTF_8);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Field-to-field comparison ({@code val()}), with both values already extracted. */
    static boolean compareDynamic(FieldType type, Operator op, Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            int c = type == FieldType.UINT64 || type == FieldType.PORT
                    ? Long.compareUnsigned(x.longValue(), y.longValue())
                    : Double.compare(x.doubleValue(), y.doubleValue());
            return ordered(op, c);
        }
        if (a instanceof String x && b instanceof String y) {
            return switch (op) {
                case CONTAINS -> x.contains(y);
                case ICONTAINS -> containsIgnoreCase(x, y);
                case STARTSWITH -> x.startsWith(y);
                case ENDSWITH -> x.endsWith(y);
                case GLOB -> new GlobMatcher(y, false).matches(x);
                case IGLOB -> new GlobMatcher(y, true).matches(x);
                default -> ordered(op, x.compareTo(y));
            };
        }
        if (a instanceof byte[] || a instanceof IpNet) {
            boolean same = addressMatches(a, b);
            return op == Operator.NE ? !same : (op == Operator.EQ || op == Operator.EQEQ) && same;
        }
        boolean same = a.equals(b);
        return op == Operator.NE ? !same : (op == Operator.EQ || op == Operator.EQEQ) && same;
    }

    private static boolean ordered(Operator op, int c) {
        return switch (op) {
            case EQ, EQEQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            default -> false;
        };
    }
}

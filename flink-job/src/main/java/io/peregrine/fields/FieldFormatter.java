package io.peregrine.fields;

import java.util.List;
import java.util.Locale;

/**
 * Renders field values as text exactly as libsinsp's {@code rawval_to_string} does for
 * {@code sysdig -p}: numbers by the field's print format, booleans as true/false, doubles with one
 * decimal, addresses in dotted or inet_ntop form, and {@code <NA>} for values that are not set.
 */
public final class FieldFormatter {

    /** What sysdig prints for a field that has no value. */
    public static final String NOT_AVAILABLE = "<NA>";

    private FieldFormatter() {
    }

    /** The text for {@code value} of a field defined by {@code definition}; null means not set. */
    public static String format(FieldDefinition definition, FieldType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("(");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                String item = format(definition, type, list.get(i));
                out.append(item == null ? NOT_AVAILABLE : item);
            }
            return out.append(')').toString();
        }
        String printFormat = definition == null ? "DEC" : definition.printFormat();
        switch (type) {
            case STRING:
            case FSPATH:
                return value.toString();
            case BOOL:
                return (Boolean) value ? "true" : "false";
            case DOUBLE:
                return io.peregrine.state.CFormat.fixed((Double) value, 1);
            case IPADDR:
            case IPNET:
                if (value instanceof IpNet net) {
                    return ip(net.address()) + "/" + net.prefixLength();
                }
                return ip((byte[]) value);
            case BYTES:
                byte[] bytes = (byte[]) value;
                return io.peregrine.state.ParamRenderer.buffer(bytes, 0, bytes.length);
            case INT64: {
                long v = (Long) value;
                return switch (printFormat) {
                    case "HEX" -> Long.toHexString(v).toUpperCase(Locale.ROOT);
                    case "PAD9" -> String.format("%09d", v);
                    default -> Long.toString(v);
                };
            }
            default: {
                long v = (Long) value;
                return switch (printFormat) {
                    case "NA" -> null;
                    case "HEX" -> Long.toHexString(v).toUpperCase(Locale.ROOT);
                    case "PAD9" -> pad9(Long.toUnsignedString(v));
                    default -> Long.toUnsignedString(v);
                };
            }
        }
    }

    private static String pad9(String s) {
        return s.length() >= 9 ? s : "0".repeat(9 - s.length()) + s;
    }

    private static String ip(byte[] a) {
        return io.peregrine.state.Addresses.ip(a);
    }
}

package io.peregrine.rules.eval;

import io.peregrine.fields.FieldType;
import io.peregrine.fields.IpNet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a condition's literal into the Java value of a field type (see {@link FieldType}), once at
 * compile time. A literal that does not fit the type is an {@link IllegalArgumentException} whose
 * message says why.
 */
public final class ValueParser {

    private ValueParser() {
    }

    /** Parses {@code text} for a field of {@code type}; {@code hex} reads BYTES as hex digits. */
    public static Object parse(FieldType type, String text, boolean hex) {
        return switch (type) {
            case STRING, FSPATH -> text;
            case INT64, RELTIME, ABSTIME -> parseSigned(text);
            case UINT64, PORT -> parseUnsigned(text, type == FieldType.PORT ? 65535 : -1);
            case DOUBLE -> parseDouble(text);
            case BOOL -> parseBool(text);
            case IPADDR, IPNET -> parseAddressOrNet(text);
            case BYTES -> hex ? parseHex(text) : text.getBytes(StandardCharsets.UTF_8);
        };
    }

    static long parseSigned(String text) {
        try {
            String t = text.startsWith("+") ? text.substring(1) : text;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.startsWith("-0x") || t.startsWith("-0X")) {
                return -Long.parseLong(t.substring(3), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid number");
        }
    }

    static long parseUnsigned(String text, long max) {
        try {
            String t = text.startsWith("+") ? text.substring(1) : text;
            long v = t.startsWith("0x") || t.startsWith("0X")
                    ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
            if (max >= 0 && Long.compareUnsigned(v, max) > 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid unsigned number"
                    + (max >= 0 ? " up to " + max : ""));
        }
    }

    static double parseDouble(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid number");
        }
    }

    static boolean parseBool(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("'" + text + "' is not a valid boolean (true or false)");
    }

    /** An address ({@code byte[]}) or, with a {@code /prefix}, a network ({@link IpNet}). */
    public static Object parseAddressOrNet(String text) {
        int slash = text.indexOf('/');
        byte[] address = parseAddress(slash < 0 ? text : text.substring(0, slash), text);
        if (slash < 0) {
            return address;
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid network (bad prefix length)");
        }
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalArgumentException("'" + text + "' is not a valid network (prefix out of range)");
        }
        return new IpNet(address, prefix);
    }

    static byte[] parseAddress(String address, String whole) {
        boolean v4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = !v4 && address.indexOf(':') >= 0 && address.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + whole + "' is not a valid IP address");
        }
        if (v4) {
            for (String part : address.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + whole + "' is not a valid IP address");
                }
            }
        }
        try {
            // Literal addresses only (checked above), so no name lookup happens here.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (v6 && bytes.length == 4) {
                // An IPv4-mapped IPv6 literal: keep the IPv6 form, as libsinsp compares 16 bytes.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + whole + "' is not a valid IP address");
        }
    }

    static byte[] parseHex(String text) {
        String t = text.replace(" ", "");
        if (t.length() % 2 != 0 || !t.matches("[0-9a-fA-F]*")) {
            throw new IllegalArgumentException("'" + text + "' is not a valid hex string");
        }
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}

package io.peregrine.rules.load;

import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.IpNet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an extracted value prints in an alert's output. The field side may supply libsinsp-exact
 * renderings (flags, fd types...); {@link #DEFAULT} covers the value types of {@link FieldType}.
 */
@FunctionalInterface
public interface FieldFormatter {

    /** {@code value} is what {@code field} extracted, possibly null (printed {@code <NA>}). */
    String format(FieldExtractor field, Object value);

    /** Plain rendering by type: addresses dotted or RFC 5952, buffers as UTF-8, lists in parentheses. */
    FieldFormatter DEFAULT = (field, value) -> Rendering.render(field.type(), value);

    /** The default rendering, by value type. */
    final class Rendering {
        private Rendering() {
        }

        static String render(FieldType type, Object value) {
            if (value == null) {
                return "<NA>";
            }
            if (value instanceof byte[] b) {
                if ((type == FieldType.IPADDR || type == FieldType.IPNET) && (b.length == 4 || b.length == 16)) {
                    try {
                        return InetAddress.getByAddress(b).getHostAddress();
                    } catch (UnknownHostException e) {
                        return "<NA>";
                    }
                }
                return new String(b, StandardCharsets.UTF_8);
            }
            if (value instanceof IpNet net) {
                return render(FieldType.IPADDR, net.address()) + "/" + net.prefixLength();
            }
            if (value instanceof List<?> list) {
                StringBuilder s = new StringBuilder("(");
                for (int i = 0; i < list.size(); i++) {
                    s.append(i == 0 ? "" : ",").append(render(type, list.get(i)));
                }
                return s.append(')').toString();
            }
            return value.toString();
        }
    }
}

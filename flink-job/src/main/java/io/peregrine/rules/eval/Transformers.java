package io.peregrine.rules.eval;

import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The field transformers ({@code tolower}, {@code toupper}, {@code b64}, {@code basename}, {@code len}). */
public final class Transformers {

    private Transformers() {
    }

    /** {@code inner} seen through transformer {@code name}. */
    public static FieldExtractor apply(String name, FieldExtractor inner) {
        boolean textual = inner.type() == FieldType.STRING || inner.type() == FieldType.FSPATH
                || inner.type() == FieldType.BYTES;
        if (!textual) {
            throw new IllegalArgumentException("transformer '" + name + "' needs a string field, not "
                    + inner.type().name().toLowerCase());
        }
        return switch (name) {
            case "tolower" -> map(inner, FieldType.STRING, v -> text(v).toLowerCase());
            case "toupper" -> map(inner, FieldType.STRING, v -> text(v).toUpperCase());
            case "basename" -> map(inner, FieldType.STRING, v -> {
                String s = text(v);
                return s.substring(s.lastIndexOf('/') + 1);
            });
            case "b64" -> map(inner, FieldType.STRING, v -> {
                try {
                    return new String(Base64.getDecoder().decode(text(v).trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            });
            case "len" -> length(inner);
            default -> throw new IllegalArgumentException("unknown transformer '" + name + "'");
        };
    }

    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
    }

    private interface ValueMap {
        Object apply(Object value);
    }

    private static FieldExtractor map(FieldExtractor inner, FieldType type, ValueMap f) {
        return new FieldExtractor() {
            @Override
            public FieldType type() {
                return type;
            }

            @Override
            public boolean isList() {
                return inner.isList();
            }

            @Override
            public Object extract(EvalContext context) {
                Object v = inner.extract(context);
                if (v == null) {
                    return null;
                }
                if (v instanceof List<?> list) {
                    List<Object> out = new ArrayList<>(list.size());
                    for (Object e : list) {
                        out.add(e == null ? null : f.apply(e));
                    }
                    return out;
                }
                return f.apply(v);
            }
        };
    }

    private static FieldExtractor length(FieldExtractor inner) {
        return new FieldExtractor() {
            @Override
            public FieldType type() {
                return FieldType.UINT64;
            }

            @Override
            public Object extract(EvalContext context) {
                Object v = inner.extract(context);
                if (v == null) {
                    return null;
                }
                if (v instanceof List<?> list) {
                    return (long) list.size();
                }
                return v instanceof byte[] b ? (long) b.length : (long) v.toString().length();
            }
        };
    }
}

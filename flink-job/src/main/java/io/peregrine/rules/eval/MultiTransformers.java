package io.peregrine.rules.eval;

import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The multi-value transformers: {@code join(sep, (a, b, ...))} joins the values (list-valued
 * fields contribute each element) with a separator; {@code concat(a, b, ...)} appends them. Both
 * give a string, or no value when an argument has none.
 */
final class MultiTransformers {

    private MultiTransformers() {
    }

    static FieldExtractor constant(String text) {
        return new Text() {
            @Override
            public Object extract(EvalContext context) {
                return text;
            }
        };
    }

    static FieldExtractor join(FieldExtractor separator, List<FieldExtractor> items) {
        FieldExtractor[] parts = items.toArray(FieldExtractor[]::new);
        return new Text() {
            @Override
            public Object extract(EvalContext context) {
                Object sep = separator.extract(context);
                if (sep == null) {
                    return null;
                }
                String s = text(sep);
                StringBuilder out = new StringBuilder();
                boolean first = true;
                for (FieldExtractor part : parts) {
                    Object v = part.extract(context);
                    if (v == null) {
                        return null;
                    }
                    for (Object e : v instanceof List<?> l ? l : List.of(v)) {
                        out.append(first ? "" : s).append(text(e));
                        first = false;
                    }
                }
                return out.toString();
            }
        };
    }

    static FieldExtractor concat(List<FieldExtractor> items) {
        FieldExtractor[] parts = items.toArray(FieldExtractor[]::new);
        return new Text() {
            @Override
            public Object extract(EvalContext context) {
                StringBuilder out = new StringBuilder();
                for (FieldExtractor part : parts) {
                    Object v = part.extract(context);
                    if (v == null || v instanceof List<?>) {
                        return null;
                    }
                    out.append(text(v));
                }
                return out.toString();
            }
        };
    }

    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
    }

    /** A string-valued extractor. */
    private abstract static class Text implements FieldExtractor {
        @Override
        public FieldType type() {
            return FieldType.STRING;
        }
    }
}

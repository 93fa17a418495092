package io.peregrine.rules.load;

import io.peregrine.rules.lang.ConditionParser;
import io.peregrine.rules.lang.ConditionSyntaxException;
import io.peregrine.rules.lang.Expr;
import io.peregrine.rules.lang.FieldRef;
import io.peregrine.rules.lang.Operand;
import io.peregrine.rules.lang.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a rule's exceptions into the condition Falco appends to it:
 * {@code <cond> and not ((f1 c1 v1 and f2 c2 v2) or ...)} for the fields-list form, and
 * {@code <cond> and not f comp (v1, v2, ...)} for the single-field form. Validates the shapes
 * (lengths, operators) on the way; field names are validated by the caller.
 */
final class ExceptionConditions {

    /** A malformed exception, with Falco's message. */
    static final class Invalid extends Exception {
        final String exception;

        Invalid(String exception, String message) {
            super(message);
            this.exception = exception;
        }
    }

    private ExceptionConditions() {
    }

    /** The fields an exception names, parsed. */
    static List<FieldRef> fields(RuleCollector.ExceptionInfo e) throws Invalid {
        List<FieldRef> out = new ArrayList<>();
        for (String f : fieldNames(e)) {
            try {
                out.add(ConditionParser.parseField(f.trim()));
            } catch (ConditionSyntaxException ex) {
                throw new Invalid(e.name, "'" + f + "' is not a supported filter field");
            }
        }
        return out;
    }

    private static List<String> fieldNames(RuleCollector.ExceptionInfo e) throws Invalid {
        if (e.fields instanceof String s) {
            return List.of(s);
        }
        if (e.fields instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw new Invalid(e.name, "Rule exception fields must be strings");
                }
                out.add(s);
            }
            return out;
        }
        throw new Invalid(e.name, "Rule exception must have fields property with a list of fields");
    }

    /** The negated exception condition, or null when no exception has values. */
    static Expr build(List<RuleCollector.ExceptionInfo> exceptions) throws Invalid {
        List<Expr> alternatives = new ArrayList<>();
        for (RuleCollector.ExceptionInfo e : exceptions) {
            List<FieldRef> fields = fields(e);
            if (e.fields instanceof String) {
                Operator comp = comps(e, 1).get(0);
                if (comp.arity() != Operator.Arity.LIST) {
                    throw new Invalid(e.name, "'" + comp.text()
                            + "' is not a supported comparison operator for a single field (use in, pmatch or intersects)");
                }
                if (e.values.isEmpty()) {
                    continue;
                }
                List<Operand.Scalar> items = new ArrayList<>();
                for (Object v : e.values) {
                    flatten(v, items);
                }
                alternatives.add(new Expr.Check(fields.get(0), comp, new Operand.Values(items), -1));
                continue;
            }
            List<Operator> comps = comps(e, fields.size());
            for (Object value : e.values) {
                if (!(value instanceof List<?> tuple) || tuple.size() != fields.size()) {
                    throw new Invalid(e.name, "Fields and values lists must have equal length");
                }
                List<Expr> checks = new ArrayList<>();
                for (int i = 0; i < fields.size(); i++) {
                    checks.add(new Expr.Check(fields.get(i), comps.get(i), operand(comps.get(i), tuple.get(i)), -1));
                }
                alternatives.add(checks.size() == 1 ? checks.get(0) : new Expr.And(checks, -1));
            }
        }
        if (alternatives.isEmpty()) {
            return null;
        }
        return new Expr.Not(alternatives.size() == 1 ? alternatives.get(0) : new Expr.Or(alternatives, -1), -1);
    }

    private static List<Operator> comps(RuleCollector.ExceptionInfo e, int count) throws Invalid {
        List<Operator> out = new ArrayList<>();
        if (e.comps == null) {
            for (int i = 0; i < count; i++) {
                out.add(e.fields instanceof String ? Operator.IN : Operator.EQ);
            }
            return out;
        }
        List<?> raw = e.comps instanceof List<?> l ? l : List.of(e.comps);
        if (raw.size() != count) {
            throw new Invalid(e.name, "Fields and comps lists must have equal length");
        }
        for (Object o : raw) {
            Operator op = o instanceof String s ? Operator.fromText(s.trim()) : null;
            if (op == null || op == Operator.EXISTS) {
                throw new Invalid(e.name, "'" + o + "' is not a supported comparison operator");
            }
            out.add(op);
        }
        return out;
    }

    private static Operand operand(Operator comp, Object value) throws Invalid {
        if (comp.arity() == Operator.Arity.LIST) {
            if (value instanceof String s && s.trim().startsWith("(") && s.trim().endsWith(")")) {
                return parenthesised(s.trim());
            }
            List<Operand.Scalar> items = new ArrayList<>();
            flatten(value, items);
            return new Operand.Values(items);
        }
        if (value instanceof List<?>) {
            throw new Invalid("", "A list value needs a list operator (in, pmatch, intersects)");
        }
        return scalar(value == null ? "" : value.toString());
    }

    /** A value already written as a condition list, {@code (a, "b c", some_list)}. */
    private static Operand parenthesised(String text) throws Invalid {
        try {
            Expr e = ConditionParser.parse("x.x in " + text);
            if (e instanceof Expr.Check check) {
                return check.operand();
            }
        } catch (ConditionSyntaxException e) {
            // reported below
        }
        throw new Invalid("", "'" + text + "' is not a valid list of values");
    }

    /**
     * A value as Falco writes it into the condition: as is (so it may name a list, or carry its
     * own quotes), or in double quotes when it contains a blank.
     */
    private static Operand.Scalar scalar(String s) {
        String t = s.trim();
        boolean quotedInText = t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'')
                && t.charAt(t.length() - 1) == t.charAt(0);
        return new Operand.Scalar(ListResolver.unquote(s), quotedInText || s.contains(" "));
    }

    /** A string value may name a list (bare, as Falco writes it into the condition unquoted). */
    private static void flatten(Object value, List<Operand.Scalar> out) {
        if (value instanceof List<?> l) {
            for (Object o : l) {
                flatten(o, out);
            }
        } else if (value != null) {
            out.add(scalar(value.toString()));
        }
    }
}

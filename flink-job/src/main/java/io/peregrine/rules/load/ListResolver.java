package io.peregrine.rules.load;

import io.peregrine.rules.lang.Expr;
import io.peregrine.rules.lang.ExprRewriter;
import io.peregrine.rules.lang.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replaces list names with the lists' items, as Falco's textual substitution does: inside list
 * operands ({@code in (shell_binaries, sh)}, {@code in shell_binaries}), and as a single value
 * ({@code proc.name=cat_binaries}, which only makes sense for a one-item list; more or fewer items
 * would not parse in Falco and are an error here). Only bare (unquoted) values are list names; an
 * item written with quotes inside the YAML string is unquoted the way the condition parser would.
 */
final class ListResolver extends ExprRewriter {

    /** A list used as a single value without having exactly one item. */
    static final class Misuse extends RuntimeException {
        final int position;

        Misuse(String message, int position) {
            super(message, null, false, false);
            this.position = position;
        }
    }

    private final Map<String, List<String>> lists;
    private final Consumer<String> onUse;

    ListResolver(Map<String, List<String>> lists, Consumer<String> onUse) {
        this.lists = lists;
        this.onUse = onUse;
    }

    Expr resolve(Expr expr) {
        return rewrite(expr);
    }

    @Override
    public Expr visitCheck(Expr.Check check) {
        Operand operand = check.operand();
        if (operand instanceof Operand.Scalar s && !s.quoted() && lists.containsKey(s.text())) {
            List<String> items = lists.get(s.text());
            if (items.size() != 1) {
                throw new Misuse("list '" + s.text() + "' has " + items.size()
                        + " items and cannot be used as a single value in '" + check + "'", check.position());
            }
            onUse.accept(s.text());
            return new Expr.Check(check.field(), check.operator(), scalars(items).get(0), check.position());
        }
        if (operand instanceof Operand.ListName name) {
            List<String> items = lists.get(name.name());
            if (items == null) {
                return check;
            }
            onUse.accept(name.name());
            return new Expr.Check(check.field(), check.operator(), new Operand.Values(scalars(items)), check.position());
        }
        if (operand instanceof Operand.Values values) {
            List<Operand.Scalar> out = new ArrayList<>();
            boolean changed = false;
            for (Operand.Scalar s : values.items()) {
                List<String> items = s.quoted() ? null : lists.get(s.text());
                if (items == null) {
                    out.add(s);
                } else {
                    onUse.accept(s.text());
                    out.addAll(scalars(items));
                    changed = true;
                }
            }
            if (changed) {
                return new Expr.Check(check.field(), check.operator(), new Operand.Values(out), check.position());
            }
        }
        return check;
    }

    private static List<Operand.Scalar> scalars(List<String> items) {
        List<Operand.Scalar> out = new ArrayList<>();
        for (String item : items) {
            out.add(new Operand.Scalar(unquote(item), true));
        }
        return out;
    }

    /** {@code "a b"} or {@code 'a b'} written inside a list item stands for {@code a b}. */
    static String unquote(String item) {
        String t = item.trim();
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
            return t.substring(1, t.length() - 1).replace("\\" + t.charAt(0), String.valueOf(t.charAt(0)));
        }
        return t;
    }
}

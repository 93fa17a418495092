package io.peregrine.rules.load;

import io.peregrine.rules.lang.Expr;
import io.peregrine.rules.lang.Operand;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Derives the set of event types a resolved condition can match, as libsinsp's evttype resolver
 * does: {@code evt.type = X} gives X, {@code in} its values, {@code !=} all but X; any other check
 * can be true for every type; {@code and} intersects and {@code or} unites, with De Morgan under
 * {@code not}, which complements evt.type checks.
 */
final class EventTypeResolver {

    private EventTypeResolver() {
    }

    static EventTypeSet resolve(Expr expr) {
        return visit(expr, true);
    }

    private static EventTypeSet visit(Expr expr, boolean positive) {
        if (expr instanceof Expr.Not not) {
            return visit(not.operand(), !positive);
        }
        if (expr instanceof Expr.And and) {
            EventTypeSet acc = null;
            for (Expr e : and.operands()) {
                EventTypeSet s = visit(e, positive);
                acc = acc == null ? s : positive ? acc.intersect(s) : acc.union(s);
            }
            return acc;
        }
        if (expr instanceof Expr.Or or) {
            EventTypeSet acc = null;
            for (Expr e : or.operands()) {
                EventTypeSet s = visit(e, positive);
                acc = acc == null ? s : positive ? acc.union(s) : acc.intersect(s);
            }
            return acc;
        }
        if (expr instanceof Expr.Check check && isEventType(check)) {
            EventTypeSet base = checkSet(check);
            return positive ? base : base.complement();
        }
        return EventTypeSet.ALL;
    }

    private static boolean isEventType(Expr.Check check) {
        return check.field() instanceof io.peregrine.rules.lang.FieldRef f && f.name().equals("evt.type")
                && f.argument() == null && f.transformers().isEmpty();
    }

    private static EventTypeSet checkSet(Expr.Check check) {
        Set<String> names = new LinkedHashSet<>();
        if (check.operand() instanceof Operand.Scalar s) {
            names.add(s.text());
        } else if (check.operand() instanceof Operand.Values v) {
            v.items().forEach(i -> names.add(i.text()));
        }
        return switch (check.operator()) {
            case EQ, EQEQ -> EventTypeSet.of(names);
            case NE -> EventTypeSet.of(names).complement();
            case IN, INTERSECTS -> EventTypeSet.of(names);
            default -> EventTypeSet.ALL;
        };
    }

    /** The evt.type values a condition names, for checking them against the event table. */
    static Set<String> namedTypes(Expr expr) {
        Set<String> out = new LinkedHashSet<>();
        collect(expr, out);
        return out;
    }

    private static void collect(Expr expr, Set<String> out) {
        if (expr instanceof Expr.Not not) {
            collect(not.operand(), out);
        } else if (expr instanceof Expr.And and) {
            and.operands().forEach(e -> collect(e, out));
        } else if (expr instanceof Expr.Or or) {
            or.operands().forEach(e -> collect(e, out));
        } else if (expr instanceof Expr.Check check && isEventType(check)) {
            switch (check.operator()) {
                case EQ, EQEQ, NE, IN, INTERSECTS -> out.addAll(checkSet(check).names());
                default -> {
                }
            }
        }
    }
}

package io.peregrine.rules.eval;

import io.peregrine.fields.EvalContext;
import java.util.List;

/** Short-circuiting boolean combinators over arrays (no iterator allocation per event). */
public final class Logic {

    private Logic() {
    }

    public static Predicate and(List<Predicate> operands) {
        if (operands.size() == 1) {
            return operands.get(0);
        }
        if (operands.size() == 2) {
            Predicate a = operands.get(0);
            Predicate b = operands.get(1);
            return ctx -> a.test(ctx) && b.test(ctx);
        }
        return new All(operands.toArray(Predicate[]::new));
    }

    public static Predicate or(List<Predicate> operands) {
        if (operands.size() == 1) {
            return operands.get(0);
        }
        if (operands.size() == 2) {
            Predicate a = operands.get(0);
            Predicate b = operands.get(1);
            return ctx -> a.test(ctx) || b.test(ctx);
        }
        return new Any(operands.toArray(Predicate[]::new));
    }

    public static Predicate not(Predicate operand) {
        return ctx -> !operand.test(ctx);
    }

    private record All(Predicate[] operands) implements Predicate {
        @Override
        public boolean test(EvalContext context) {
            for (Predicate p : operands) {
                if (!p.test(context)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Any(Predicate[] operands) implements Predicate {
        @Override
        public boolean test(EvalContext context) {
            for (Predicate p : operands) {
                if (p.test(context)) {
                    return true;
                }
            }
            return false;
        }
    }
}

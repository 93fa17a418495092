package io.peregrine.rules.load;

import io.peregrine.rules.lang.Expr;
import io.peregrine.rules.lang.ExprRewriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Substitutes macro references with the macros' parsed bodies, recursively, seeing only macros
 * whose index is below a visibility bound (Falco's ordering rule), and rejecting reference loops.
 */
final class MacroResolver {

    /** A macro body ready for substitution. */
    record Macro(String name, Expr body, int index) {
    }

    /** Why resolution failed: an undefined macro or a loop. */
    static final class MacroException extends Exception {
        final boolean loop;
        final String macro;
        final int position;

        MacroException(String message, String macro, boolean loop, int position) {
            super(message);
            this.macro = macro;
            this.loop = loop;
            this.position = position;
        }
    }

    private final Map<String, Macro> macros;
    private final Consumer<String> onUse;

    MacroResolver(Map<String, Macro> macros, Consumer<String> onUse) {
        this.macros = macros;
        this.onUse = onUse;
    }

    Expr resolve(Expr expr, int visibility) throws MacroException {
        return resolve(expr, visibility, null);
    }

    /** Resolves the body of macro {@code self} (so that a loop back to it is reported as such). */
    Expr resolve(Expr expr, int visibility, String self) throws MacroException {
        Deque<String> stack = new ArrayDeque<>();
        if (self != null) {
            stack.push(self);
        }
        try {
            return expr.accept(new Rewriter(visibility, stack));
        } catch (Failure f) {
            throw f.cause;
        }
    }

    private static final class Failure extends RuntimeException {
        final MacroException cause;

        Failure(MacroException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    private final class Rewriter extends ExprRewriter {
        private final int visibility;
        private final Deque<String> stack;

        Rewriter(int visibility, Deque<String> stack) {
            this.visibility = visibility;
            this.stack = stack;
        }

        @Override
        public Expr visitMacro(Expr.MacroRef ref) {
            Macro m = macros.get(ref.name());
            if (m == null || m.index() >= visibility) {
                throw new Failure(new MacroException("Undefined macro '" + ref.name() + "' used in filter.",
                        ref.name(), false, ref.position()));
            }
            if (stack.contains(ref.name())) {
                throw new Failure(new MacroException("reference loop in macro '" + ref.name() + "'",
                        ref.name(), true, ref.position()));
            }
            onUse.accept(ref.name());
            stack.push(ref.name());
            Expr out = m.body().accept(this);
            stack.pop();
            return out;
        }
    }
}

package io.peregrine.rules.eval;

import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldResolver;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.rules.lang.Expr;
import io.peregrine.rules.lang.ExprVisitor;
import io.peregrine.rules.lang.FieldRef;
import io.peregrine.rules.lang.Operand;
import io.peregrine.rules.lang.Operator;
import io.peregrine.rules.lang.ValueExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a resolved condition (macros substituted, list names expanded) into a
 * {@link Predicate}, resolving every field once through a {@link FieldResolver}.
 */
public final class ConditionCompiler {

    private final FieldResolver resolver;
    private final Map<String, FieldExtractor> extractors = new HashMap<>();

    public ConditionCompiler(FieldResolver resolver) {
        this.resolver = resolver;
    }

    public Predicate compile(Expr expr) throws CompileException {
        try {
            return expr.accept(new Visitor());
        } catch (Failure f) {
            throw f.cause;
        }
    }

    /** The extractor for a value expression: a field, or a transformer over fields and literals. */
    public FieldExtractor extractor(ValueExpr expr, int position) throws CompileException {
        if (expr instanceof FieldRef ref) {
            return extractor(ref, position);
        }
        if (expr instanceof ValueExpr.Literal literal) {
            return MultiTransformers.constant(literal.text());
        }
        if (expr instanceof ValueExpr.Transform t) {
            List<ValueExpr> args = t.arguments();
            try {
                if (t.name().equals("join")) {
                    if (args.size() != 2 || args.get(0) instanceof ValueExpr.ListOf
                            || !(args.get(1) instanceof ValueExpr.ListOf list)) {
                        throw new CompileException("join() takes a separator and a parenthesised list: " + t, position, null);
                    }
                    return MultiTransformers.join(extractor(args.get(0), position), extractors(list.items(), position));
                }
                if (args.isEmpty() || args.stream().anyMatch(a -> a instanceof ValueExpr.ListOf)) {
                    throw new CompileException("concat() takes one or more values: " + t, position, null);
                }
                return MultiTransformers.concat(extractors(args, position));
            } catch (IllegalArgumentException e) {
                throw new CompileException(e.getMessage() + " (" + t + ")", position, null);
            }
        }
        throw new CompileException("a list is not a value: " + expr, position, null);
    }

    private List<FieldExtractor> extractors(List<ValueExpr> exprs, int position) throws CompileException {
        List<FieldExtractor> out = new ArrayList<>();
        for (ValueExpr e : exprs) {
            out.add(extractor(e, position));
        }
        return out;
    }

    /** The extractor for a field reference, transformers applied (shared between rules). */
    public FieldExtractor extractor(FieldRef ref, int position) throws CompileException {
        String key = ref.toString();
        FieldExtractor cached = extractors.get(key);
        if (cached != null) {
            return cached;
        }
        FieldExtractor e;
        try {
            e = resolver.resolve(ref.name(), ref.argument());
        } catch (UnknownFieldException ex) {
            // Falco's wording first, so users recognise it; the catalogue's reason after it when it
            // says more than that the field does not exist.
            String reason = ex.getMessage() == null || ex.getMessage().contains("nonexistent field")
                    || ex.getMessage().startsWith("unknown field '") ? "" : " (" + ex.getMessage() + ")";
            throw new CompileException("filter_check called with nonexistent field " + ref.plainText() + reason,
                    position, ref.plainText());
        }
        for (int i = ref.transformers().size() - 1; i >= 0; i--) {
            try {
                e = Transformers.apply(ref.transformers().get(i), e);
            } catch (IllegalArgumentException ex) {
                throw new CompileException(ex.getMessage() + " (" + ref + ")", position, null);
            }
        }
        extractors.put(key, e);
        return e;
    }

    /** Carries a checked exception through the visitor. */
    private static final class Failure extends RuntimeException {
        final CompileException cause;

        Failure(CompileException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    private final class Visitor implements ExprVisitor<Predicate> {
        @Override
        public Predicate visitAnd(Expr.And and) {
            List<Predicate> ps = new ArrayList<>();
            for (Expr e : and.operands()) {
                ps.add(e.accept(this));
            }
            return Logic.and(ps);
        }

        @Override
        public Predicate visitOr(Expr.Or or) {
            List<Predicate> ps = new ArrayList<>();
            for (Expr e : or.operands()) {
                ps.add(e.accept(this));
            }
            return Logic.or(ps);
        }

        @Override
        public Predicate visitNot(Expr.Not not) {
            return Logic.not(not.operand().accept(this));
        }

        @Override
        public Predicate visitMacro(Expr.MacroRef macro) {
            throw new Failure(new CompileException("Undefined macro '" + macro.name() + "' used in filter.",
                    macro.position(), null));
        }

        @Override
        public Predicate visitCheck(Expr.Check check) {
            try {
                return compileCheck(check);
            } catch (CompileException e) {
                throw new Failure(e);
            }
        }
    }

    private Predicate compileCheck(Expr.Check check) throws CompileException {
        FieldExtractor field = extractor(check.field(), check.position());
        Operator op = check.operator();
        Operand operand = check.operand();
        if (operand instanceof Operand.FieldValue fv) {
            FieldExtractor other = extractor(fv.field(), check.position());
            return CheckCompiler.compileFieldComparison(field, op, other);
        }
        List<String> values = new ArrayList<>();
        if (operand instanceof Operand.Scalar s) {
            values.add(s.text());
        } else if (operand instanceof Operand.Values v) {
            for (Operand.Scalar s : v.items()) {
                values.add(s.text());
            }
        } else if (operand instanceof Operand.ListName l) {
            throw new CompileException("Undefined list '" + l.name() + "' used in filter.", check.position(), null);
        }
        if (op.arity() == Operator.Arity.SCALAR && values.size() != 1) {
            throw new CompileException("operator '" + op.text() + "' takes one value", check.position(), null);
        }
        try {
            return CheckCompiler.compile(field, op, values);
        } catch (IllegalArgumentException e) {
            throw new CompileException("Invalid check '" + check + "' for field " + check.field()
                    + ": " + e.getMessage(), check.position(), null);
        }
    }
}

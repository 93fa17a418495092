package io.peregrine.rules.lang;

/** One method per kind of {@link Expr} node. */
public interface ExprVisitor<R> {

    R visitAnd(Expr.And and);

    R visitOr(Expr.Or or);

    R visitNot(Expr.Not not);

    R visitCheck(Expr.Check check);

    R visitMacro(Expr.MacroRef macro);
}

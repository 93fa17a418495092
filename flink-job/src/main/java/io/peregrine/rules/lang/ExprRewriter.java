package io.peregrine.rules.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * A visitor that rebuilds the tree it walks: {@code and}, {@code or} and {@code not} nodes are
 * copied with rewritten operands, checks and macro references are kept as they are. Subclasses
 * override the leaves they replace (list names in checks, macro references).
 */
public abstract class ExprRewriter implements ExprVisitor<Expr> {

    /** The rewritten form of {@code expr}. */
    public Expr rewrite(Expr expr) {
        return expr.accept(this);
    }

    @Override
    public Expr visitAnd(Expr.And and) {
        return new Expr.And(rewriteAll(and.operands()), and.position());
    }

    @Override
    public Expr visitOr(Expr.Or or) {
        return new Expr.Or(rewriteAll(or.operands()), or.position());
    }

    @Override
    public Expr visitNot(Expr.Not not) {
        return new Expr.Not(not.operand().accept(this), not.position());
    }

    @Override
    public Expr visitCheck(Expr.Check check) {
        return check;
    }

    @Override
    public Expr visitMacro(Expr.MacroRef macro) {
        return macro;
    }

    private List<Expr> rewriteAll(List<Expr> operands) {
        List<Expr> out = new ArrayList<>(operands.size());
        for (Expr e : operands) {
            out.add(e.accept(this));
        }
        return out;
    }
}

package io.peregrine.rules.lang;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed condition: the syntax tree of Falco's filter language.
 *
 * <p>Every node keeps the character offset where it starts in the condition text, so diagnostics
 * can point at it. {@link #toString()} prints a canonical, fully parenthesised form that tests
 * compare against.
 */
public sealed interface Expr {

    /** Offset of the node in the condition text. */
    int position();

    <R> R accept(ExprVisitor<R> visitor);

    /** Conjunction of two or more operands, evaluated left to right. */
    record And(List<Expr> operands, int position) implements Expr {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.visitAnd(this);
        }

        @Override
        public String toString() {
            return operands.stream().map(Object::toString).collect(Collectors.joining(" and ", "(", ")"));
        }
    }

    /** Disjunction of two or more operands, evaluated left to right. */
    record Or(List<Expr> operands, int position) implements Expr {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.visitOr(this);
        }

        @Override
        public String toString() {
            return operands.stream().map(Object::toString).collect(Collectors.joining(" or ", "(", ")"));
        }
    }

    /** Negation. */
    record Not(Expr operand, int position) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.visitNot(this);
        }

        @Override
        public String toString() {
            return "not " + operand;
        }
    }

    /** A field (or transformer) compared with an operand: {@code proc.name in (cat, ls)}. */
    record Check(ValueExpr field, Operator operator, Operand operand, int position) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.visitCheck(this);
        }

        @Override
        public String toString() {
            return operator == Operator.EXISTS ? field + " exists" : field + " " + operator.text() + " " + operand;
        }
    }

    /** A reference to a macro (an identifier without a dot). */
    record MacroRef(String name, int position) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.visitMacro(this);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

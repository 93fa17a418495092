package io.peregrine.rules.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a Falco condition into an {@link Expr}.
 *
 * <p>The grammar is the one of falcosecurity/libs' filter parser, extended with the operators and
 * transformers added after libs 0.9 ({@code iglob}, {@code regex}, {@code val()},
 * {@code tolower}...). Whitespace between tokens is optional wherever it is unambiguous.
 * <pre>
 * Expr        ::= OrExpr
 * OrExpr      ::= AndExpr ('or' AndExpr)*
 * AndExpr     ::= NotExpr ('and' NotExpr)*
 * NotExpr     ::= 'not' NotExpr | Check
 * Check       ::= '(' Expr ')' | Field Condition | Identifier        (Identifier: a macro)
 * Field       ::= Transformer '(' Field ')' | Multi '(' Arg (',' Arg)* ')' | FieldName ('[' FieldArg ']')?
 * Transformer ::= 'tolower' | 'toupper' | 'b64' | 'basename' | 'len'
 * Multi       ::= 'join' | 'concat'
 * Arg         ::= Field | QuotedStr | Number | '(' (Arg (',' Arg)*)? ')'
 * Condition   ::= 'exists' | ScalarOp Value | ListOp ListValue
 * ScalarOp    ::= '=' | '==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' | 'contains' | 'icontains'
 *               | 'bcontains' | 'startswith' | 'bstartswith' | 'endswith' | 'glob' | 'iglob' | 'regex'
 * ListOp      ::= 'in' | 'intersects' | 'pmatch'
 * Value       ::= 'val(' Field ')' | Transformer '(' Field ')' | Multi '(' ... ')' | QuotedStr | BareStr
 * ListValue   ::= '(' (Value (',' Value)*)? ')' | Identifier          (Identifier: a list)
 * FieldName   ::= [a-zA-Z][a-zA-Z0-9_]* ('.' [a-zA-Z0-9_]+)+
 * Identifier  ::= [a-zA-Z][a-zA-Z0-9_]*
 * FieldArg    ::= QuotedStr | [^ \b\t\n\r\[\]"']+
 * QuotedStr   ::= '"' (\\.|[^"])* '"' | "'" (\\.|[^'])* "'"
 * BareStr     ::= [^ \b\t\n\r(),="']+
 * </pre>
 * {@code not} binds tighter than {@code and}, which binds tighter than {@code or}.
 */
public final class ConditionParser {

    /** Transformers that wrap a field ({@code tolower(proc.name)}). */
    public static final Set<String> TRANSFORMERS = Set.of("tolower", "toupper", "b64", "basename", "len");

    /** Transformers over several values ({@code join(sep, (a, b))}, {@code concat(a, b)}). */
    public static final Set<String> MULTI_TRANSFORMERS = Set.of("join", "concat");

    private static final String[] SYMBOL_OPERATORS = {"<=", "<", ">=", ">", "==", "=", "!="};
    private static final String[] WORD_OPERATORS = {"exists", "contains", "icontains", "bcontains",
        "startswith", "bstartswith", "endswith", "glob", "iglob", "regex", "intersects", "in", "pmatch"};

    private final String text;
    private int pos;

    private ConditionParser(String text) {
        this.text = text;
    }

    /** Parses a whole condition. */
    public static Expr parse(String condition) throws ConditionSyntaxException {
        ConditionParser parser = new ConditionParser(condition);
        parser.skipBlanks();
        if (parser.atEnd()) {
            throw new ConditionSyntaxException(0, "syntax error, empty condition");
        }
        Expr expr = parser.orExpr();
        parser.skipBlanks();
        if (!parser.atEnd()) {
            ConditionSyntaxException e = parser.unexpected("'or', 'and'");
            // libsinsp (Falco 0.32 on) names the token the condition should have ended with.
            throw e.withFalcoMessage("unexpected token after '" + previousToken(condition, e.position())
                    + "', expecting 'or', 'and'");
        }
        return expr;
    }

    /** Parses a field reference alone ({@code proc.aname[2]}, {@code tolower(fd.name)}). */
    public static FieldRef parseField(String field) throws ConditionSyntaxException {
        ConditionParser parser = new ConditionParser(field);
        FieldRef ref = parser.fieldRef();
        if (!parser.atEnd()) {
            throw parser.unexpected("end of field");
        }
        return ref;
    }

    private Expr orExpr() throws ConditionSyntaxException {
        int start = pos;
        List<Expr> operands = new ArrayList<>();
        operands.add(andExpr());
        while (keyword("or")) {
            operands.add(andExpr());
        }
        return operands.size() == 1 ? operands.get(0) : new Expr.Or(operands, start);
    }

    private Expr andExpr() throws ConditionSyntaxException {
        skipBlanks();
        int start = pos;
        List<Expr> operands = new ArrayList<>();
        operands.add(notExpr());
        while (keyword("and")) {
            operands.add(notExpr());
        }
        return operands.size() == 1 ? operands.get(0) : new Expr.And(operands, start);
    }

    private Expr notExpr() throws ConditionSyntaxException {
        skipBlanks();
        int start = pos;
        if (keyword("not")) {
            return new Expr.Not(notExpr(), start);
        }
        return check();
    }

    private Expr check() throws ConditionSyntaxException {
        skipBlanks();
        int start = pos;
        if (atEnd()) {
            throw unexpected("a field, a macro, 'not' or '('");
        }
        if (peek() == '(') {
            pos++;
            Expr inner = orExpr();
            skipBlanks();
            expect(')', "')', 'or', 'and'");
            return inner;
        }
        String word = identifier();
        if (word == null) {
            throw unexpected("a field, a macro, 'not' or '('");
        }
        boolean dotted = !atEnd() && peek() == '.';
        boolean transformer = !dotted && (TRANSFORMERS.contains(word) || MULTI_TRANSFORMERS.contains(word))
                && !atEnd() && peek() == '(';
        if (!dotted && !transformer) {
            if (word.equals("and") || word.equals("or") || word.equals("not")) {
                pos = start;
                throw unexpected("a field, a macro, 'not' or '('");
            }
            return new Expr.MacroRef(word, start);
        }
        pos = start;
        ValueExpr field = field();
        return condition(field, start);
    }

    private Expr condition(ValueExpr field, int start) throws ConditionSyntaxException {
        skipBlanks();
        int opStart = pos;
        Operator op = operator();
        if (op == null) {
            pos = opStart;
            throw unexpected("an operator");
        }
        Operand operand;
        switch (op.arity()) {
            case NONE -> operand = new Operand.None();
            case LIST -> operand = listValue();
            default -> operand = scalarValue();
        }
        return new Expr.Check(field, op, operand, start);
    }

    private Operator operator() {
        for (String symbol : SYMBOL_OPERATORS) {
            if (text.startsWith(symbol, pos)) {
                pos += symbol.length();
                return Operator.fromText(symbol);
            }
        }
        for (String word : WORD_OPERATORS) {
            if (text.startsWith(word, pos) && !isIdentifierPart(pos + word.length())) {
                pos += word.length();
                return Operator.fromText(word);
            }
        }
        return null;
    }

    private Operand listValue() throws ConditionSyntaxException {
        skipBlanks();
        if (!atEnd() && peek() == '(') {
            pos++;
            List<Operand.Scalar> items = new ArrayList<>();
            skipBlanks();
            if (!atEnd() && peek() == ')') {
                pos++;
                return new Operand.Values(items);
            }
            while (true) {
                skipBlanks();
                items.add(value());
                skipBlanks();
                if (atEnd()) {
                    throw unexpected("',' or ')'");
                }
                char c = text.charAt(pos++);
                if (c == ')') {
                    return new Operand.Values(items);
                }
                if (c != ',') {
                    pos--;
                    throw unexpected("',' or ')'");
                }
            }
        }
        String name = identifier();
        if (name == null) {
            throw unexpected("a list of values or a list name");
        }
        return new Operand.ListName(name);
    }

    private Operand scalarValue() throws ConditionSyntaxException {
        skipBlanks();
        if (text.startsWith("val(", pos)) {
            pos += 4;
            skipBlanks();
            FieldRef ref = fieldRef();
            skipBlanks();
            expect(')', "')'");
            return new Operand.FieldValue(ref);
        }
        int start = pos;
        String word = identifier();
        if (word != null && !atEnd() && peek() == '('
                && (TRANSFORMERS.contains(word) || MULTI_TRANSFORMERS.contains(word))) {
            pos = start;
            return new Operand.FieldValue(field());
        }
        pos = start;
        return value();
    }

    private Operand.Scalar value() throws ConditionSyntaxException {
        if (atEnd()) {
            throw unexpected("a value");
        }
        char c = peek();
        if (c == '"' || c == '\'') {
            return new Operand.Scalar(quoted(), true);
        }
        int start = pos;
        while (!atEnd() && " \b\t\n\r(),=\"'".indexOf(peek()) < 0) {
            pos++;
        }
        if (pos == start) {
            throw unexpected("a value");
        }
        return new Operand.Scalar(text.substring(start, pos), false);
    }

    /** A field, a one-argument transformer chain, or a multi-value transformer. */
    private ValueExpr field() throws ConditionSyntaxException {
        int start = pos;
        String word = identifier();
        if (word != null && MULTI_TRANSFORMERS.contains(word) && !atEnd() && peek() == '(') {
            pos++;
            List<ValueExpr> args = new ArrayList<>();
            skipBlanks();
            while (true) {
                args.add(transformerArgument());
                skipBlanks();
                if (!atEnd() && peek() == ',') {
                    pos++;
                    skipBlanks();
                    continue;
                }
                expect(')', "',' or ')'");
                break;
            }
            return new ValueExpr.Transform(word, args);
        }
        pos = start;
        return fieldRef();
    }

    private ValueExpr transformerArgument() throws ConditionSyntaxException {
        if (atEnd()) {
            throw unexpected("a transformer argument");
        }
        char c = peek();
        if (c == '"' || c == '\'') {
            return new ValueExpr.Literal(quoted());
        }
        if (c == '(') {
            pos++;
            List<ValueExpr> items = new ArrayList<>();
            skipBlanks();
            if (!atEnd() && peek() == ')') {
                pos++;
                return new ValueExpr.ListOf(items);
            }
            while (true) {
                skipBlanks();
                items.add(transformerArgument());
                skipBlanks();
                if (!atEnd() && peek() == ',') {
                    pos++;
                    continue;
                }
                expect(')', "',' or ')'");
                return new ValueExpr.ListOf(items);
            }
        }
        if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
            int start = pos;
            pos++;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '.')) {
                pos++;
            }
            return new ValueExpr.Literal(text.substring(start, pos));
        }
        return field();
    }

    /** A field, possibly wrapped in one-argument transformers. */
    private FieldRef fieldRef() throws ConditionSyntaxException {
        int start = pos;
        String word = identifier();
        if (word == null) {
            throw unexpected("a field");
        }
        if (TRANSFORMERS.contains(word) && !atEnd() && peek() == '(') {
            pos++;
            skipBlanks();
            FieldRef inner = fieldRef();
            skipBlanks();
            expect(')', "')'");
            List<String> transformers = new ArrayList<>();
            transformers.add(word);
            transformers.addAll(inner.transformers());
            return new FieldRef(inner.name(), inner.argument(), transformers);
        }
        while (!atEnd() && peek() == '.') {
            int segment = ++pos;
            while (isIdentifierPart(pos)) {
                pos++;
            }
            if (pos == segment) {
                throw unexpected("a field name");
            }
        }
        String name = text.substring(start, pos);
        if (name.indexOf('.') < 0) {
            pos = start;
            throw unexpected("a field");
        }
        String argument = null;
        if (!atEnd() && peek() == '[') {
            pos++;
            if (!atEnd() && (peek() == '"' || peek() == '\'')) {
                argument = quoted();
            } else {
                int argStart = pos;
                while (!atEnd() && " \b\t\n\r[]\"'".indexOf(peek()) < 0) {
                    pos++;
                }
                argument = text.substring(argStart, pos);
            }
            expect(']', "']'");
        }
        return new FieldRef(name, argument, List.of());
    }

    private String quoted() throws ConditionSyntaxException {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && !atEnd()) {
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case '\\', '"', '\'' -> out.append(e);
                    default -> out.append('\\').append(e);
                }
            } else {
                out.append(c);
            }
        }
        throw new ConditionSyntaxException(start, "syntax error, unterminated quoted string");
    }

    /** Consumes {@code word} if it is next as a whole word; blanks before it are skipped. */
    private boolean keyword(String word) {
        int save = pos;
        skipBlanks();
        if (text.startsWith(word, pos) && !isIdentifierPart(pos + word.length())) {
            pos += word.length();
            return true;
        }
        pos = save;
        return false;
    }

    private String identifier() {
        if (atEnd() || !isLetter(peek())) {
            return null;
        }
        int start = pos;
        while (isIdentifierPart(pos)) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c, String expected) throws ConditionSyntaxException {
        if (atEnd() || peek() != c) {
            throw unexpected(expected);
        }
        pos++;
    }

    private ConditionSyntaxException unexpected(String expected) {
        skipBlanks();
        String found;
        if (atEnd()) {
            found = "end of condition";
        } else {
            int end = pos;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && end - pos < 40) {
                end++;
            }
            found = "'" + text.substring(pos, Math.max(end, pos + 1)) + "'";
        }
        return new ConditionSyntaxException(pos, pos + ": syntax error, unexpected " + found + ", expecting " + expected);
    }

    /**
     * The token that ends before {@code offset}: a parenthesis or comma, else the run of characters
     * back to a blank or an operator character (the value of {@code evt.type=open}).
     */
    static String previousToken(String text, int offset) {
        int end = Math.min(offset, text.length());
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end == 0) {
            return "";
        }
        if ("(),".indexOf(text.charAt(end - 1)) >= 0) {
            return String.valueOf(text.charAt(end - 1));
        }
        int start = end;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1)) && "=<>!(),".indexOf(text.charAt(start - 1)) < 0) {
            start--;
        }
        return text.substring(start, end);
    }

    private boolean isIdentifierPart(int at) {
        if (at >= text.length()) {
            return false;
        }
        char c = text.charAt(at);
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private void skipBlanks() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }
}

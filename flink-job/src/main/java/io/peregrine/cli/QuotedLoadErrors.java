package io.peregrine.cli;

import io.peregrine.rules.lang.ConditionParser;
import io.peregrine.rules.lang.ConditionSyntaxException;
import io.peregrine.rules.load.Diagnostic;
import io.peregrine.rules.load.LoadCode;
import io.peregrine.rules.load.RulesLoader;
import io.peregrine.rules.load.RulesReader;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules load errors as Falco up to 0.32 printed them: loading stopped at the first error, printed
 * as {@code 1 errors:}, the message in that loader's words, then the YAML of the item concerned
 * (its definition and appends) between {@code ---} lines. Scripts and test harnesses written for
 * those releases match this text.
 *
 * <p>The words are rule_loader.lua@0.31.1's and rule_loader.cpp / rule_reader.cpp@0.32.0's; where
 * the two differ {@link FalcoCompat} chooses. Our diagnostics carry current Falco's words; the
 * table below says how each reads in the older loaders.
 */
final class QuotedLoadErrors {

    /** One message of ours and how the old loaders put it ({@code m}: the match, {@code d}: the diagnostic). */
    private record Wording(String itemType, Pattern message, BiFunction<Matcher, Diagnostic, String> old) {
    }

    private static final List<Wording> WORDINGS = List.of(
            wording("rule", "filter_check called with nonexistent field \\S+",
                    (m, d) -> "Rule " + d.itemName() + ": error " + m.group()),
            wording("macro", "Undefined macro .*", (m, d) -> compiling(d) + m.group()),
            wording(null, "(List|Macro|Rule) (has '\\w+' key but no .*)", (m, d) -> m.group(1) + " " + d.itemName() + " "
                    + m.group(2)),
            wording(null, "Mapping for key '(list|macro|rule)' is empty", (m, d) -> capitalized(m.group(1))
                    + " name is empty"),
            wording("list", "Item has no mapping for key 'items'", (m, d) -> "List must have property items"),
            wording("macro", "Item has no mapping for key 'condition'", (m, d) -> "Macro must have property condition"),
            wording("required_engine_version", "Can't decode YAML scalar value",
                    (m, d) -> "Value of required_engine_version must be a number"),
            wording("exception", "Item has no mapping for key 'name'",
                    (m, d) -> "Rule exception item must have name property"),
            wording("exception", "Item has no mapping for key 'fields'",
                    (m, d) -> "Rule exception item " + d.itemName() + ": must have fields property with a list of fields"),
            wording("exception", "Rule exception must have fields property with a list of fields",
                    (m, d) -> "Rule exception new item " + d.itemName() + ": must have fields property with a list of fields"),
            wording("exception", "Fields and values lists must have equal length",
                    (m, d) -> "Exception item " + d.itemName() + ": fields and values lists must have equal length"),
            wording("exception", "Fields and comps lists must have equal length",
                    (m, d) -> "Rule exception item " + d.itemName() + ": fields and comps lists must have equal length"),
            wording("exception", "'(.*)' is not a supported comparison operator", (m, d) -> "Rule exception item "
                    + d.itemName() + ": comparison operator " + m.group(1) + " is not a supported comparison operator"),
            wording("exception", "'(.*)' is not a supported filter field", (m, d) -> "Rule exception item "
                    + d.itemName() + ": field name " + m.group(1) + " is not a supported filter field"));

    private QuotedLoadErrors() {
    }

    private static Wording wording(String itemType, String regex, BiFunction<Matcher, Diagnostic, String> old) {
        return new Wording(itemType, Pattern.compile(regex, Pattern.DOTALL), old);
    }

    /** The text of the first error of {@code file}, or null when it has none. */
    static String firstError(RulesLoader.FileResult file, FalcoCompat compat) {
        return file.diagnostics().stream().filter(Diagnostic::isError).findFirst()
                .map(d -> "1 errors:\n" + quoted(d, compat) + "\n").orElse(null);
    }

    /**
     * One error: the message, then the item's YAML between {@code ---} lines. A problem with the
     * whole file quotes the file in 0.31 and nothing from 0.32 on.
     */
    static String quoted(Diagnostic d, FalcoCompat compat) {
        boolean wholeFile = RulesReader.CONTENT.equals(d.itemType());
        if (wholeFile && !compat.luaRulesLoader()) {
            return message(d, compat);
        }
        return message(d, compat) + "\n---\n" + d.excerpt() + "\n---";
    }

    /** The message in the words of the loader of {@code compat}'s release. */
    static String message(Diagnostic d, FalcoCompat compat) {
        String m = d.message();
        if (d.code() == LoadCode.LOAD_ERR_COMPILE_CONDITION && !d.subject().isEmpty()) {
            String syntax = syntaxError(d.subject(), compat);
            if (syntax != null) {
                return compiling(d) + syntax;
            }
        }
        if (d.code() == LoadCode.LOAD_ERR_COMPILE_OUTPUT && !d.subject().isEmpty()) {
            return "Invalid output format '" + d.subject() + "': '" + m + "'";
        }
        if ("rule".equals(d.itemType()) && m.startsWith("Item has no mapping for key '")) {
            // 0.31 named the missing property; 0.32 listed every required one.
            return compat.luaRulesLoader() ? "Rule must have property " + m.replaceAll(".*'(.*)'.*", "$1")
                    : "Rule must have properties 'condition', 'output', 'desc', and 'priority'";
        }
        if (compat.luaRulesLoader()) {
            String lua = luaOnly(d);
            if (lua != null) {
                return lua;
            }
        }
        for (Wording w : WORDINGS) {
            if (w.itemType() != null && !w.itemType().equals(d.itemType())) {
                continue;
            }
            Matcher matcher = w.message().matcher(m);
            if (matcher.lookingAt()) {
                return w.old().apply(matcher, d);
            }
        }
        return m;
    }

    /** Wordings of 0.31's Lua loader and its YAML library (libyaml) that 0.32 changed. */
    private static String luaOnly(Diagnostic d) {
        if (RulesReader.CONTENT_ITEM.equals(d.itemType()) && d.message().startsWith("Unexpected element type.")) {
            return "Unexpected element of type " + luaType(d.excerpt()) + ". Each element should be a yaml associative array.";
        }
        if (d.code() == LoadCode.LOAD_ERR_YAML_PARSE && d.message().endsWith(": illegal map value")) {
            return "mapping values are not allowed in this context";
        }
        return null;
    }

    /** The Lua type a YAML sequence element became ({@code - foo}: string). */
    private static String luaType(String excerpt) {
        String v = excerpt.startsWith("-") ? excerpt.substring(1).strip() : excerpt.strip();
        if (v.startsWith("[") || v.startsWith("-") || v.startsWith("{")) {
            return "table";
        }
        if (v.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
            return "number";
        }
        if (v.equals("true") || v.equals("false")) {
            return "boolean";
        }
        return "string";
    }

    /**
     * {@code COL: REASON} for a condition that does not parse, COL counted from 1: the Lua parser
     * (0.31) said {@code syntax error, unexpected 'TOKEN', ...}, libsinsp's (0.32) words come with
     * the exception. Null if it parses.
     */
    private static String syntaxError(String condition, FalcoCompat compat) {
        try {
            ConditionParser.parse(condition);
            return null;
        } catch (ConditionSyntaxException e) {
            String reason = compat.luaRulesLoader() ? e.getMessage() : e.falcoMessage();
            return (e.position() + 1) + ": " + reason.replaceFirst("^\\d+: ", "");
        }
    }

    private static String compiling(Diagnostic d) {
        return "Compilation error when compiling \"" + d.subject() + "\": ";
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

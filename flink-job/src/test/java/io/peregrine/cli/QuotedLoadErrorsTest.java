package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.rules.load.LoaderConfig;
import io.peregrine.rules.load.RulesLoader;
import org.junit.jupiter.api.Test;

/** Load errors worded and quoted as Falco 0.31 and 0.32 printed them. */
class QuotedLoadErrorsTest {

    private static final FalcoCompat V031 = FalcoCompat.parse("0.31.1");
    private static final FalcoCompat V032 = FalcoCompat.parse("0.32.0");
    private static final String RULE = "- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n";

    private static String firstError(String yaml, FalcoCompat compat) {
        RulesLoader.Result r = new RulesLoader(LoaderConfig.syscall(FieldCatalog.namesOnly())).load("f.yaml", yaml);
        return QuotedLoadErrors.firstError(r.files().get(0), compat);
    }

    @Test
    void aSyntaxErrorInAnAppendedConditionQuotesBothItems() {
        String yaml = RULE + "\n- rule: r\n  condition: bar\n  append: true\n";
        String quoted = "\n---\n" + RULE + "\n- rule: r\n  condition: bar\n  append: true\n---\n";
        assertEquals("1 errors:\nCompilation error when compiling \"evt.type=open bar\": 15: unexpected token after "
                + "'open', expecting 'or', 'and'" + quoted, firstError(yaml, V032));
        assertEquals("1 errors:\nCompilation error when compiling \"evt.type=open bar\": 15: syntax error, "
                + "unexpected 'bar', expecting 'or', 'and'" + quoted, firstError(yaml, V031));
    }

    @Test
    void anUndefinedMacroIsACompilationErrorOfAMacroButNotOfARule() {
        assertEquals("1 errors:\nCompilation error when compiling \"foo\": Undefined macro 'foo' used in filter.\n---\n"
                + "- macro: m\n  condition: foo\n---\n", firstError("- macro: m\n  condition: foo\n", V032));
        assertEquals("1 errors:\nUndefined macro 'foo' used in filter.\n---\n" + RULE.replace("evt.type=open", "foo").strip()
                + "\n---\n", firstError(RULE.replace("evt.type=open", "foo"), V032));
    }

    @Test
    void anUnknownFieldNamesTheRule() {
        String yaml = RULE.replace("evt.type=open", "proc.nobody=cat");
        assertEquals("1 errors:\nRule r: error filter_check called with nonexistent field proc.nobody\n---\n"
                + yaml.strip() + "\n---\n", firstError(yaml, V031));
    }

    @Test
    void aDanglingAppendNamesTheItem() {
        assertEquals("1 errors:\nList l has 'append' key but no list by that name already exists\n---\n"
                + "- list: l\n  items: [a]\n  append: true\n---\n", firstError("- list: l\n  items: [a]\n  append: true\n", V032));
    }

    @Test
    void fileProblemsQuoteTheFileOnlyIn031() {
        assertEquals("1 errors:\nRules content is not yaml\n---\nThis is not yaml\n---\n", firstError("This is not yaml\n", V031));
        assertEquals("1 errors:\nRules content is not yaml\n", firstError("This is not yaml\n", V032));
    }

    @Test
    void missingPropertiesAreWordedPerRelease() {
        String yaml = RULE.replace("  output: o\n", "");
        assertEquals("1 errors:\nRule must have property output\n---\n" + yaml.strip() + "\n---\n", firstError(yaml, V031));
        assertEquals("1 errors:\nRule must have properties 'condition', 'output', 'desc', and 'priority'\n---\n"
                + yaml.strip() + "\n---\n", firstError(yaml, V032));
    }

    @Test
    void aFileWithoutErrorsHasNoText() {
        assertNull(firstError(RULE, V032));
    }
}

package io.peregrine.rules.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Diagnostics quote the item they are about as Falco's reader cuts it from the file: from the
 * item's "- " to the next item, the next document's "---" or the end of the file; a definition
 * followed by its appends, separated by a blank line; the whole file for problems with the file.
 */
class ItemExcerptTest {

    private static Diagnostic firstError(String yaml) {
        return Rules.load(yaml).errors().get(0);
    }

    @Test
    void quotesTheItemUpToTheNextOne() {
        Diagnostic d = firstError("- list: l\n  items: [a]\n- macro: m\n  nope: 1\n\n- rule: next\n");
        assertEquals("- macro: m\n  nope: 1", d.excerpt());
    }

    @Test
    void quotesTheLastItemOfADocumentUpToTheNextDocument() {
        Diagnostic d = firstError("---\n- macro: m\n  nope: 1\n---\n- list: l\n  items: [a]\n");
        assertEquals("- macro: m\n  nope: 1", d.excerpt());
    }

    @Test
    void quotesADefinitionWithItsAppends() {
        Diagnostic d = firstError("- macro: m\n  condition: evt.type=execve\n\n- macro: m\n  condition: foo\n  append: true\n");
        assertEquals("- macro: m\n  condition: evt.type=execve\n\n- macro: m\n  condition: foo\n  append: true", d.excerpt());
        assertEquals("evt.type=execve foo", d.subject());
    }

    @Test
    void aRedefinitionReplacesTheQuote() {
        Diagnostic d = firstError("- macro: m\n  condition: evt.type=execve\n- macro: m\n  condition: undefined_one\n"
                + "- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n");
        assertEquals("- macro: m\n  condition: undefined_one", d.excerpt());
    }

    @Test
    void aDanglingAppendQuotesItself() {
        Diagnostic d = firstError("- rule: r\n  condition: evt.type=open\n  append: true\n");
        assertEquals("- rule: r\n  condition: evt.type=open\n  append: true", d.excerpt());
    }

    @Test
    void charactersBeyondTheBasicPlaneDoNotShiftTheQuote() {
        Diagnostic d = firstError("# \uD83E\uDD85 peregrine\n- list: l\n  items: [\"\uD83E\uDD85\"]\n- macro: m\n  nope: 1\n");
        assertEquals("- macro: m\n  nope: 1", d.excerpt());
    }

    @Test
    void fileProblemsQuoteTheFile() {
        Diagnostic d = firstError("foo: bar\n");
        assertEquals(RulesReader.CONTENT, d.itemType());
        assertEquals("foo: bar", d.excerpt());
    }

    @Test
    void outputErrorsNameTheOutput() {
        Diagnostic d = firstError("- rule: r\n  desc: d\n  condition: evt.type=open\n  output: seen %no_such_field\n"
                + "  priority: INFO\n");
        assertEquals(LoadCode.LOAD_ERR_COMPILE_OUTPUT, d.code());
        assertEquals("seen %no_such_field", d.subject());
    }
}

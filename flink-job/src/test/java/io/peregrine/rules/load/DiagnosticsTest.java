package io.peregrine.rules.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every diagnostic: its code, severity, item, message and where it points. */
class DiagnosticsTest {

    private static final String R = "- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("not: [valid", LoadCode.LOAD_ERR_YAML_PARSE, "rules content", "", "expected ',' or ']'"),
                Arguments.of("this : is : not : yaml", LoadCode.LOAD_ERR_YAML_PARSE, "rules content", "", "yaml-cpp: error at line 1, column 11: illegal map value"),
                Arguments.of("just text", LoadCode.LOAD_ERR_YAML_VALIDATE, "rules content", "", "Rules content is not yaml"),
                Arguments.of("foo: bar", LoadCode.LOAD_ERR_YAML_VALIDATE, "rules content", "", "not yaml array of objects"),
                Arguments.of("- foo", LoadCode.LOAD_ERR_YAML_VALIDATE, "rules content item", "", "Each element should be a yaml associative array"),
                Arguments.of("- required_engine_version: abc", LoadCode.LOAD_ERR_YAML_VALIDATE, "required_engine_version", "", "Can't decode YAML scalar value"),
                Arguments.of("- required_engine_version: 9999", LoadCode.LOAD_ERR_VALIDATE, "required_engine_version", "", "Rules require engine version 9999, but engine version is 0.57.0"),
                Arguments.of("- required_engine_version: 0.99.0", LoadCode.LOAD_ERR_VALIDATE, "required_engine_version", "", "Rules require engine version 0.99.0"),
                Arguments.of("- list:\n  items: [a]", LoadCode.LOAD_ERR_YAML_VALIDATE, "list", "", "Mapping for key 'list' is empty"),
                Arguments.of("- list: l", LoadCode.LOAD_ERR_YAML_VALIDATE, "list", "l", "no mapping for key 'items'"),
                Arguments.of("- macro: m", LoadCode.LOAD_ERR_YAML_VALIDATE, "macro", "m", "no mapping for key 'condition'"),
                Arguments.of("- rule:\n  desc: d", LoadCode.LOAD_ERR_YAML_VALIDATE, "rule", "", "Mapping for key 'rule' is empty"),
                Arguments.of(R.replace("  output: o\n", ""), LoadCode.LOAD_ERR_YAML_VALIDATE, "rule", "R", "no mapping for key 'output'"),
                Arguments.of(R.replace("  priority: INFO\n", ""), LoadCode.LOAD_ERR_YAML_VALIDATE, "rule", "R", "no mapping for key 'priority'"),
                Arguments.of(R.replace("INFO", "LOUD"), LoadCode.LOAD_ERR_VALIDATE, "rule", "R", "Invalid priority level: LOUD"),
                Arguments.of(R + "  enabled: maybe\n", LoadCode.LOAD_ERR_YAML_VALIDATE, "rule", "R", "must be a boolean"),
                Arguments.of("- list: l\n  items: [a]\n  append: true", LoadCode.LOAD_ERR_VALIDATE, "list", "l", "has 'append' key but no list by that name already exists"),
                Arguments.of("- macro: m\n  condition: x\n  append: true", LoadCode.LOAD_ERR_VALIDATE, "macro", "m", "has 'append' key but no macro by that name already exists"),
                Arguments.of("- rule: R\n  condition: x\n  append: true", LoadCode.LOAD_ERR_VALIDATE, "rule", "R", "has 'append' key but no rule by that name already exists"),
                Arguments.of("- rule: R\n  append: true", LoadCode.LOAD_ERR_VALIDATE, "rule", "R", "Appended rule must have exceptions or condition property"),
                Arguments.of("- rule: R\n  enabled: false", LoadCode.LOAD_ERR_VALIDATE, "rule", "R", "has 'enabled' key but no rule by that name already exists"),
                Arguments.of("- rule: R\n  output: x\n  override:\n    output: replace", LoadCode.LOAD_ERR_VALIDATE, "rule", "R", "has 'override' key but no rule"),
                Arguments.of(R + "  override:\n    output: merge\n", LoadCode.LOAD_ERR_YAML_VALIDATE, "rule", "R", "must be 'append' or 'replace'"),
                Arguments.of(R.replace("evt.type = open", "evt.type = open foo"), LoadCode.LOAD_ERR_COMPILE_CONDITION, "rule", "R", "unexpected token after 'open', expecting 'or', 'and'"),
                Arguments.of(R.replace("evt.type = open", "nomacro"), LoadCode.LOAD_ERR_VALIDATE, "rule", "R", "Undefined macro 'nomacro' used in filter."),
                Arguments.of(R.replace("evt.type = open", "evt.type in (open, opne)"), LoadCode.LOAD_ERR_COMPILE_CONDITION, "rule", "R", "unknown event type opne"),
                Arguments.of(R.replace("evt.type = open", "proc.nobody = 1"), LoadCode.LOAD_ERR_COMPILE_CONDITION, "rule", "R", "filter_check called with nonexistent field proc.nobody"),
                Arguments.of(R.replace("evt.type = open", "fd.sport = http"), LoadCode.LOAD_ERR_COMPILE_CONDITION, "rule", "R", "fd.sport: 'http' is not a valid unsigned number"),
                Arguments.of(R.replace("output: o", "output: seen %not_a_real_field"), LoadCode.LOAD_ERR_COMPILE_OUTPUT, "rule", "R", "invalid formatting token not_a_real_field"),
                Arguments.of("- macro: a\n  condition: evt.type = open\n- macro: b\n  condition: a\n- macro: a\n  condition: b\n", LoadCode.LOAD_ERR_VALIDATE, "macro", "a", "reference loop in macro 'a'"),
                Arguments.of("- list: a\n  items: [x]\n- list: b\n  items: [a]\n- list: a\n  items: [b]\n", LoadCode.LOAD_ERR_VALIDATE, "list", "a", "reference loop in list 'a'"),
                Arguments.of("- macro: m\n  condition: evt.type = = open", LoadCode.LOAD_ERR_COMPILE_CONDITION, "macro", "m", "syntax error"),
                Arguments.of(R + "  exceptions:\n    - fields: [proc.name]\n", LoadCode.LOAD_ERR_YAML_VALIDATE, "exception", "", "no mapping for key 'name'"),
                Arguments.of(R + "  exceptions:\n    - name: e\n", LoadCode.LOAD_ERR_YAML_VALIDATE, "exception", "e", "no mapping for key 'fields'"),
                Arguments.of(R + "  exceptions:\n    - name: e\n      fields: [not.exist]\n", LoadCode.LOAD_ERR_VALIDATE, "exception", "e", "'not.exist' is not a supported filter field"),
                Arguments.of(R + "  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [=, =]\n", LoadCode.LOAD_ERR_VALIDATE, "exception", "e", "Fields and comps lists must have equal length"),
                Arguments.of(R + "  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [no-comp]\n", LoadCode.LOAD_ERR_VALIDATE, "exception", "e", "'no-comp' is not a supported comparison operator"),
                Arguments.of(R + "  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n", LoadCode.LOAD_ERR_VALIDATE, "exception", "e", "Fields and values lists must have equal length"),
                Arguments.of(R + "  exceptions:\n    - name: e\n      fields: proc.name\n      comps: startswith\n", LoadCode.LOAD_ERR_VALIDATE, "exception", "e", "use in, pmatch or intersects"),
                Arguments.of(R + "- rule: R\n  exceptions:\n    - name: new\n      values: [[a]]\n  append: true\n", LoadCode.LOAD_ERR_VALIDATE, "exception", "new", "must have fields property with a list of fields"));
    }

    @ParameterizedTest(name = "{1}: {4}")
    @MethodSource("errors")
    void reportsErrors(String yaml, LoadCode code, String itemType, String itemName, String message) {
        RulesLoader.Result r = Rules.load(yaml);
        assertTrue(r.hasErrors(), "no error for:\n" + yaml);
        Diagnostic d = r.errors().get(0);
        assertEquals(code, d.code(), d.toString());
        assertEquals(itemType, d.itemType(), d.toString());
        assertEquals(itemName, d.itemName(), d.toString());
        assertTrue(d.message().contains(message), d.toString());
        assertEquals("file1.yaml", d.position().file());
    }

    static Stream<Arguments> warnings() {
        return Stream.of(
                Arguments.of(R.replace("evt.type = open", "proc.name = cat"), LoadCode.LOAD_NO_EVTTYPE, "rule", "R",
                        "Rule matches too many evt.type values. This has a significant performance penalty."),
                Arguments.of(R.replace("evt.type = open", "evt.type = open and evt.type = close"), LoadCode.LOAD_NO_EVTTYPE, "rule", "R", "too many evt.type values"),
                Arguments.of(R + "  source: k8s_audit\n", LoadCode.LOAD_UNKNOWN_SOURCE, "rule", "R", "Unknown source k8s_audit, skipping"),
                Arguments.of(R.replace("evt.type = open", "evt.type = open and proc.nobody = 1") + "  skip-if-unknown-filter: true\n",
                        LoadCode.LOAD_UNKNOWN_FIELD, "rule", "R", "filter_check called with nonexistent field proc.nobody"),
                Arguments.of(R.replace("output: o", "output: o %proc.nobody") + "  skip-if-unknown-filter: true\n",
                        LoadCode.LOAD_UNKNOWN_FILTER, "rule", "R", "invalid formatting token proc.nobody"),
                Arguments.of(R.replace("evt.type = open", "evt.type = nosuchevent") + "  skip-if-unknown-filter: true\n",
                        LoadCode.LOAD_UNKNOWN_FILTER, "rule", "R", "unknown event type nosuchevent"),
                Arguments.of(R + "- macro: m\n  condition: evt.type = open\n", LoadCode.LOAD_UNUSED_MACRO, "macro", "m", "Macro not referred to"),
                Arguments.of(R + "- macro: ct\n  condition: ct.name = x\n  source: aws_cloudtrail\n", LoadCode.LOAD_UNKNOWN_SOURCE,
                        "macro", "ct", "Unknown source aws_cloudtrail, skipping"),
                Arguments.of(R + "- list: l\n  items: [a]\n", LoadCode.LOAD_UNUSED_LIST, "list", "l", "List not referred to"),
                Arguments.of(R + "- something: else\n", LoadCode.LOAD_UNKNOWN_ITEM, "", "", "Unknown top level item"),
                Arguments.of(R.replace("evt.type = open", "evt.type = madvise"), LoadCode.LOAD_UNKNOWN_FILTER, "rule", "R", "evt.type madvise has no dedicated event"),
                Arguments.of(R + "  prority: INFO\n", LoadCode.LOAD_UNKNOWN_KEY, "rule", "R", "Unknown key 'prority'. The key will be ignored."),
                Arguments.of(R + "- list: l\n  items: []\n  apend: true\n", LoadCode.LOAD_UNKNOWN_KEY, "list", "l", "Unknown key 'apend'"),
                Arguments.of(R + "- macro: bad-name\n  condition: evt.type = open\n", LoadCode.LOAD_INVALID_MACRO_NAME, "macro", "bad-name", "Macro has an invalid name"),
                Arguments.of(R + "- list: \"bad name\"\n  items: []\n", LoadCode.LOAD_INVALID_LIST_NAME, "list", "bad name", "List has an invalid name"),
                Arguments.of(R + "  exceptions:\n    - name: e\n      fields: [proc.name]\n    - name: e\n      fields: [fd.name]\n",
                        LoadCode.LOAD_EXCEPTION_NAME_NOT_UNIQUE, "exception", "e", "Multiple definitions of exception 'e' in the same rule"));
    }

    @ParameterizedTest(name = "{1}: {4}")
    @MethodSource("warnings")
    void reportsWarningsWithoutFailing(String yaml, LoadCode code, String itemType, String itemName, String message) {
        RulesLoader.Result r = Rules.load(yaml);
        assertEquals(List.of(), r.errors());
        assertTrue(r.warnings().stream().anyMatch(d -> d.code() == code && d.itemType().equals(itemType)
                && d.itemName().equals(itemName) && d.message().contains(message)), r.warnings().toString());
    }

    @Test
    void comparingJsonFieldsWithNaIsUnsafe() {
        LoaderConfig k8s = new LoaderConfig(java.util.Map.of("k8s_audit", new io.peregrine.rules.testkit.MapFieldResolver()
                .field("ka.user.name", io.peregrine.fields.FieldType.STRING)), Rules.CONFIG.universe(), "");
        RulesLoader.Result r = new RulesLoader(k8s).load("k.yaml", "- rule: K\n  desc: d\n  condition: ka.user.name != <NA>\n"
                + "  output: o\n  priority: INFO\n  source: k8s_audit\n  warn_evttypes: false\n");
        assertTrue(r.warnings().stream().anyMatch(d -> d.code() == LoadCode.LOAD_UNSAFE_NA_CHECK
                && d.message().contains("consider using the 'exists' operator")), r.warnings().toString());
        assertTrue(Rules.load(R.replace("evt.type = open", "evt.type = open and proc.pname != <NA>")).warnings().stream()
                .noneMatch(d -> d.code() == LoadCode.LOAD_UNSAFE_NA_CHECK), "syscall fields do extract <NA>");
    }

    @Test
    void aLongListOfEventTypesIsAlsoTooMany() {
        String many = String.join(", ", Rules.CONFIG.universe().names().stream().limit(70).toList());
        RulesLoader.Result r = Rules.load(R.replace("evt.type = open", "evt.type in (" + many + ")"));
        assertTrue(r.warnings().stream().anyMatch(d -> d.code() == LoadCode.LOAD_NO_EVTTYPE), r.warnings().toString());
    }

    @Test
    void warnEvttypesFalseSilencesTheEventTypeWarning() {
        RulesLoader.Result r = Rules.load(R.replace("evt.type = open", "proc.name = cat") + "  warn_evttypes: false\n");
        assertTrue(r.warnings().stream().noneMatch(d -> d.code() == LoadCode.LOAD_NO_EVTTYPE));
    }

    @Test
    void yamlErrorsNameTheLine() {
        Diagnostic d = Rules.load("- rule: R\n  desc: d\n  condition: [oops\n").errors().get(0);
        assertEquals(LoadCode.LOAD_ERR_YAML_PARSE, d.code());
        assertTrue(d.position().line() >= 3, d.toString());
    }

    @Test
    void conditionErrorsPointAtTheOffendingToken() {
        Diagnostic d = Rules.load(R.replace("evt.type = open", "evt.type = open foo")).errors().get(0);
        assertEquals(new Position("file1.yaml", 3, 30), d.position());
    }

    @Test
    void errorsInFoldedConditionsPointAtTheLineAndColumn() {
        String yaml = "- rule: R\n  desc: d\n  condition: >\n    evt.type = open\n    and proc.name = cat\n"
                + "    and fd.name in (a, b c)\n  output: o\n  priority: INFO\n";
        Diagnostic d = Rules.load(yaml).errors().get(0);
        assertEquals(new Position("file1.yaml", 6, 26), d.position(), d.toString());
    }

    @Test
    void errorsInDoubleQuotedConditionsPointAtTheColumn() {
        Diagnostic d = Rules.load(R.replace("condition: evt.type = open", "condition: \"evt.type = open foo\"")).errors().get(0);
        assertEquals(new Position("file1.yaml", 3, 31), d.position(), d.toString());
    }

    @Test
    void outputErrorsPointAtTheUnknownField() {
        Diagnostic d = Rules.load(R.replace("output: o", "output: >\n    opened by %proc.name\n    as %no.such")).errors().get(0);
        assertEquals(new Position("file1.yaml", 6, 8), d.position(), d.toString());
    }

    @Test
    void errorsInAppendedTextPointIntoTheAppendingFile() {
        RulesLoader.Result r = Rules.load(R, "- rule: R\n  condition: and and\n  append: true\n");
        Diagnostic d = r.errors().get(0);
        assertEquals("file2.yaml", d.position().file());
        assertEquals(2, d.position().line());
        assertTrue(r.files().get(0).diagnostics().isEmpty());
    }

    @Test
    void printsLikeACompiler() {
        Diagnostic d = Rules.load("- list: l").errors().get(0);
        assertEquals("file1.yaml:1:3: error: list 'l': Item has no mapping for key 'items' (LOAD_ERR_YAML_VALIDATE)", d.toString());
    }

    @Test
    void aRuleWithAnErrorIsLeftOutAndTheOthersStillCompile() {
        RulesLoader.Result r = Rules.load(R + R.replace("- rule: R", "- rule: S").replace("evt.type = open", "bad ("));
        assertEquals(1, r.errors().size());
        assertEquals(1, r.ruleset().stats().compiled());
        assertEquals(1, r.ruleset().stats().failed());
    }
}

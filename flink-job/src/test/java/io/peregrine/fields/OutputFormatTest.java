package io.peregrine.fields;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sysdig -p formats: field references, literal text, and the leading '*'. */
class OutputFormatTest {

    /** A resolver whose fields have fixed values (absent means "not set"). */
    private static FieldResolver fixed(Map<String, Object> values) {
        return (name, argument) -> {
            FieldCatalog.FieldReference ref = FieldCatalog.parse(name, argument);
            String key = argument == null ? name : name + "[" + argument + "]";
            FieldType type = ref.definition().type() == null ? FieldType.STRING : ref.definition().type();
            return new ConstantExtractor(type, false, values.get(key));
        };
    }

    private static final EvalContext ANY = new EvalContext() { };

    @Test
    void printsFieldsBetweenLiteralText() throws Exception {
        OutputFormat f = OutputFormat.compile("*%evt.num %proc.name[%thread.tid]: %fd.name",
                fixed(Map.of("evt.num", 7L, "proc.name", "cat", "thread.tid", 42L, "fd.name", "/etc/passwd")));
        assertEquals("7 cat[42]: /etc/passwd", f.format(ANY));
    }

    @Test
    void missingFieldsPrintNotAvailableOnlyWithTheLeadingStar() throws Exception {
        Map<String, Object> values = Map.of("evt.num", 7L);
        assertEquals("7 <NA>", OutputFormat.compile("*%evt.num %fd.name", fixed(values)).format(ANY));
        assertNull(OutputFormat.compile("%evt.num %fd.name", fixed(values)).format(ANY));
    }

    @Test
    void takesTheLongestFieldNameAndLeavesTheRestAsText() throws Exception {
        OutputFormat f = OutputFormat.compile("*%proc.name.", fixed(Map.of("proc.name", "cat")));
        assertEquals("cat.", f.format(ANY));
    }

    @Test
    void unknownFieldsAreErrorsNamingThem() {
        UnknownFieldException e = assertThrows(UnknownFieldException.class,
                () -> OutputFormat.compile("*%evt.num %proc.nosuch", fixed(Map.of())));
        assertTrue(e.getMessage().contains("proc.nosuch"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1} prints {2}")
    @CsvSource({
        "evt.num,        7,          7",
        "evt.rawtime.ns, 5,          000000005",
        "evt.type.is,    1,          <NA>",
        "user.uid,       4294967295, 4294967295",
        "fd.dev,         21976,      55D8",
        "proc.pid,       -1,         -1",
    })
    void numbersFollowTheFieldsPrintFormat(String field, long value, String text) {
        FieldDefinition d = FieldCatalog.definition(field);
        assertEquals("<NA>".equals(text) ? null : text, FieldFormatter.format(d, d.type(), value));
    }

    @Test
    void booleansDoublesAndAddressesPrintLikeLibsinsp() {
        assertEquals("true", FieldFormatter.format(FieldCatalog.definition("fd.is_server"), FieldType.BOOL, true));
        assertEquals("0.3", FieldFormatter.format(FieldCatalog.definition("proc.fdusage"), FieldType.DOUBLE, 0.29296875));
        assertEquals("127.0.0.1", FieldFormatter.format(FieldCatalog.definition("fd.sip"), FieldType.IPADDR,
                new byte[] {127, 0, 0, 1}));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertEquals("::1", FieldFormatter.format(FieldCatalog.definition("fd.sip"), FieldType.IPADDR, v6));
    }
}

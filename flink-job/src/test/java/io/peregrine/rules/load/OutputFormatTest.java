package io.peregrine.rules.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.rules.eval.CompileException;
import io.peregrine.rules.eval.ConditionCompiler;
import io.peregrine.rules.testkit.MapEvalContext;
import io.peregrine.rules.testkit.MapFieldResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Output formats: field tokens bound at load time, rendered per event. */
class OutputFormatTest {

    private static final ConditionCompiler FIELDS = new ConditionCompiler(MapFieldResolver.catalog());

    private static OutputFormat compile(String format) throws CompileException {
        return OutputFormat.compile(format, OutputFormat.DEFAULT_CONTAINER_INFO, FIELDS);
    }

    @Test
    void rendersFieldsAndText() throws Exception {
        OutputFormat f = compile("File opened (user=%user.name command=%proc.cmdline file=%fd.name)");
        assertEquals("File opened (user=root command=cat /etc/shadow file=/etc/shadow)", f.render(
                MapEvalContext.of("user.name", "root", "proc.cmdline", "cat /etc/shadow", "fd.name", "/etc/shadow")));
    }

    @Test
    void missingValuesPrintNa() throws Exception {
        assertEquals("parent=<NA>", compile("parent=%proc.pname").render(MapEvalContext.of()));
    }

    @Test
    void fieldArgumentsAndTrailingPunctuation() throws Exception {
        OutputFormat f = compile("gp=%proc.aname[2]. arg=%evt.arg.name, 100%");
        assertEquals(List.of("proc.aname[2]", "evt.arg.name"), f.fieldNames());
        assertEquals("gp=bash. arg=/x, 100%", f.render(MapEvalContext.of("proc.aname[2]", "bash", "evt.arg[name]", "/x")));
    }

    @Test
    void containerInfoIsReplacedByTheContainerFormat() throws Exception {
        OutputFormat f = compile("in %container.info");
        assertEquals(List.of("container.name", "container.id"), f.fieldNames());
        assertEquals("in web (id=abc123)", f.render(MapEvalContext.of("container.name", "web", "container.id", "abc123")));
    }

    @Test
    void addressesRenderAsText() throws Exception {
        assertEquals("10.0.0.1:443", compile("%fd.sip:%fd.sport").render(
                MapEvalContext.of("fd.sip", new byte[] {10, 0, 0, 1}, "fd.sport", 443L)));
    }

    @Test
    void unknownFieldsAreCompileErrorsNamingThem() {
        CompileException e = assertThrows(CompileException.class, () -> compile("x %not_a_real_field y"));
        assertEquals("invalid formatting token not_a_real_field", e.getMessage());
        assertTrue(e.unknownField() != null);
    }

    @Test
    void valuesByTokenForJsonOutputFields() throws Exception {
        assertEquals("cat", compile("%proc.name").values(MapEvalContext.of("proc.name", "cat")).get("proc.name"));
    }
}

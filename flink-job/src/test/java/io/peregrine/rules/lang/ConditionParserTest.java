package io.peregrine.rules.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            proc.name = cat                                   | proc.name = cat
            proc.name=cat                                     | proc.name = cat
            proc.name == cat                                  | proc.name == cat
            proc.name != cat                                  | proc.name != cat
            evt.rawres < 0                                    | evt.rawres < 0
            evt.rawres<=0                                     | evt.rawres <= 0
            proc.pid > 0x1F                                   | proc.pid > 0x1F
            proc.pid >= -1                                    | proc.pid >= -1
            fd.name contains /etc                             | fd.name contains /etc
            proc.cmdline icontains SUDO                       | proc.cmdline icontains SUDO
            evt.buffer bcontains 68656c6c6f                   | evt.buffer bcontains 68656c6c6f
            fd.name startswith /dev                           | fd.name startswith /dev
            evt.buffer bstartswith 7f454c46                   | evt.buffer bstartswith 7f454c46
            fd.name endswith .so                              | fd.name endswith .so
            fd.name glob '/etc/*.conf'                        | fd.name glob "/etc/*.conf"
            fd.name iglob '/ETC/*'                            | fd.name iglob "/ETC/*"
            proc.name regex '^(ba)?sh$'                       | proc.name regex "^(ba)?sh$"
            proc.name in (bash, sh)                           | proc.name in (bash, sh)
            proc.name in(bash,sh)                             | proc.name in (bash, sh)
            proc.name in ()                                   | proc.name in ()
            proc.name in shell_binaries                       | proc.name in shell_binaries
            fd.name pmatch (/etc, /usr)                       | fd.name pmatch (/etc, /usr)
            proc.aname intersects (bash)                      | proc.aname intersects (bash)
            proc.pname exists                                 | proc.pname exists
            proc.aname[2] = bash                              | proc.aname[2] = bash
            evt.arg.name = /etc/passwd                        | evt.arg.name = /etc/passwd
            evt.arg[0] = 3                                    | evt.arg[0] = 3
            proc.aname['2'] = x                               | proc.aname[2] = x
            tolower(proc.name) = bash                         | tolower(proc.name) = bash
            toupper(proc.name) = BASH                         | toupper(proc.name) = BASH
            b64(evt.arg.data) contains x                      | b64(evt.arg.data) contains x
            basename(proc.exepath) = bash                     | basename(proc.exepath) = bash
            len(proc.cmdline) > 100                           | len(proc.cmdline) > 100
            tolower(basename(proc.exe)) = sh                  | tolower(basename(proc.exe)) = sh
            proc.name = val(proc.pname)                       | proc.name = val(proc.pname)
            proc.name = tolower(proc.pname)                   | proc.name = tolower(proc.pname)
            `join("-", (fd.name, fd.directory)) = x`          | `join("-", (fd.name, fd.directory)) = x`
            `join(",", ("a", toupper(fd.name), 1)) = x`       | `join(",", ("a", toupper(fd.name), "1")) = x`
            `concat(proc.name, ":", proc.pid) = x`            | `concat(proc.name, ":", proc.pid) = x`
            `proc.cmdline = concat(proc.name, " -c")`         | `proc.cmdline = concat(proc.name, " -c")`
            a and b                                           | (a and b)
            a or b                                            | (a or b)
            not a                                             | not a
            not not a                                         | not not a
            not(a)                                            | not a
            a and b or c                                      | ((a and b) or c)
            a or b and c                                      | (a or (b and c))
            not a and b                                       | (not a and b)
            (a or b) and c                                    | ((a or b) and c)
            a and(b or c)                                     | (a and (b or c))
            a and not b and c                                 | (a and not b and c)
            `proc.cmdline = "a \\"quoted\\" word"`            | `proc.cmdline = "a \\"quoted\\" word"`
            `proc.name in ("with blank", 'single')`           | `proc.name in ("with blank", "single")`
            andy and orca                                     | (andy and orca)
            notes or nota                                     | (notes or nota)
            """)
    void parses(String condition, String canonical) throws ConditionSyntaxException {
        assertEquals(canonical, ConditionParser.parse(condition).toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            evt.type=execve foo                     | unexpected 'foo', expecting 'or', 'and'
            proc.name                               | expecting an operator
            proc.name =                             | expecting a value
            proc.name in (a, b                      | expecting ',' or ')'
            proc.name in                            | a list of values or a list name
            (a or b                                 | expecting ')', 'or', 'and'
            a and                                   | unexpected end of condition
            not                                     | unexpected end of condition
            proc.name foo bar                       | expecting an operator
            `proc.name = "unterminated`             | unterminated quoted string
            proc.aname[2 = x                        | expecting ']'
            ` `                                     | empty condition
            a b                                     | unexpected 'b', expecting 'or', 'and'
            `concat() = x`                          | expecting a field
            `join("-", (a.b) = x`                   | expecting ',' or ')'
            """)
    void rejects(String condition, String message) {
        ConditionSyntaxException e = assertThrows(ConditionSyntaxException.class, () -> ConditionParser.parse(condition));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void reportsTheOffsetOfTheUnexpectedToken() {
        ConditionSyntaxException e = assertThrows(ConditionSyntaxException.class,
                () -> ConditionParser.parse("evt.type=execve foo"));
        assertEquals(16, e.position());
        assertTrue(e.getMessage().startsWith("16: syntax error"));
    }

    @Test
    void keepsWhetherAValueWasQuoted() throws ConditionSyntaxException {
        Expr.Check check = (Expr.Check) ConditionParser.parse("proc.name in (bash, \"sh\")");
        Operand.Values values = (Operand.Values) check.operand();
        assertEquals(new Operand.Scalar("bash", false), values.items().get(0));
        assertEquals(new Operand.Scalar("sh", true), values.items().get(1));
    }

    @Test
    void recordsNodePositions() throws ConditionSyntaxException {
        Expr.And and = (Expr.And) ConditionParser.parse("a and proc.name=x");
        assertEquals(6, and.operands().get(1).position());
    }

    @Test
    void parsesAFieldAlone() throws ConditionSyntaxException {
        assertEquals(FieldRef.of("proc.aname", "3"), ConditionParser.parseField("proc.aname[3]"));
        assertThrows(ConditionSyntaxException.class, () -> ConditionParser.parseField("not.a field"));
    }
}

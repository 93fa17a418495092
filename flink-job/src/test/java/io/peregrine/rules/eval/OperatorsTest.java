package io.peregrine.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.fields.FieldType;
import io.peregrine.fields.IpNet;
import io.peregrine.rules.lang.ConditionParser;
import io.peregrine.rules.testkit.MapEvalContext;
import io.peregrine.rules.testkit.MapFieldResolver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operator against every field type it applies to, evaluated on map-backed events. */
class OperatorsTest {

    private static final MapFieldResolver FIELDS = new MapFieldResolver()
            .field("s.name", FieldType.STRING)
            .field("s.path", FieldType.FSPATH)
            .field("n.int", FieldType.INT64)
            .field("n.uint", FieldType.UINT64)
            .field("n.port", FieldType.PORT)
            .field("n.dur", FieldType.RELTIME)
            .field("n.dbl", FieldType.DOUBLE)
            .field("b.flag", FieldType.BOOL)
            .field("ip.addr", FieldType.IPADDR)
            .field("ip.net", FieldType.IPNET)
            .field("buf.data", FieldType.BYTES)
            .listField("l.names", FieldType.STRING)
            .fieldWithArgument("a.arg", FieldType.STRING)
            .field("m.missing", FieldType.STRING);

    private static final MapEvalContext EVENT = MapEvalContext.of(
            "s.name", "bash",
            "s.path", "/usr/bin/bash",
            "n.int", -5L,
            "n.uint", -1L,
            "n.port", 443L,
            "n.dur", 1_000_000L,
            "n.dbl", 2.5,
            "b.flag", true,
            "ip.addr", new byte[] {10, 1, 2, 3},
            "ip.net", new byte[] {(byte) 192, (byte) 168, 0, 7},
            "buf.data", "hello\u0000world".getBytes(StandardCharsets.UTF_8),
            "l.names", List.of("bash", "sshd", "init"),
            "a.arg[fd]", "3",
            "a.arg[2]", "two");

    static boolean eval(String condition) throws Exception {
        return new ConditionCompiler(FIELDS).compile(ConditionParser.parse(condition)).test(EVENT);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            s.name = bash                         | true
            s.name == bash                        | true
            s.name = Bash                         | false
            s.name != bash                        | false
            s.name != sh                          | true
            s.name < bat                          | true
            s.name <= bash                        | true
            s.name > bas                          | true
            s.name >= bat                         | false
            s.name contains as                    | true
            s.name contains AS                    | false
            s.name icontains AS                   | true
            s.name startswith ba                  | true
            s.name endswith sh                    | true
            s.path glob '/usr/*/bash'             | true
            s.path glob '/usr/b?n/*'              | true
            s.path glob '/usr/[ab]in/*'           | true
            s.path glob '/usr/[!b]in/*'           | false
            s.path glob '*/bash'                  | true
            s.path glob '*.sh'                    | false
            s.path iglob '/USR/*/BASH'            | true
            s.name regex 'ba(sh)?'                 | true
            s.name regex 'as'                     | false
            s.name regex '^b.*h$'                 | true
            s.name in (sh, bash)                  | true
            s.name in (sh, zsh)                   | false
            s.name in ()                          | false
            s.name intersects (bash)              | true
            s.path pmatch (/usr/bin)              | true
            s.path pmatch (/usr/bin/)             | true
            s.path pmatch (/usr)                  | true
            s.path pmatch (/usr/b)                | false
            s.path pmatch (/etc, /usr/bin/bash)   | true
            s.path pmatch (/)                     | true
            s.name exists                         | true
            missing.field exists                  | false
            n.int = -5                            | true
            n.int < 0                             | true
            n.int > -6                            | true
            n.int >= -5                           | true
            n.int <= -6                           | false
            n.int != -5                           | false
            n.int in (1, -5, 7)                   | true
            n.int in (1, 2)                       | false
            n.uint > 0                            | true
            n.uint = 18446744073709551615         | true
            n.uint = 0xffffffffffffffff           | true
            n.port = 443                          | true
            n.port in (80, 443)                   | true
            n.port < 1024                         | true
            n.dur > 999999                        | true
            n.dbl > 2                             | true
            n.dbl = 2.5                           | true
            b.flag = true                         | true
            b.flag = false                        | false
            b.flag != false                       | true
            ip.addr = 10.1.2.3                    | true
            ip.addr = 10.1.2.4                    | false
            ip.addr = 10.0.0.0/8                  | true
            ip.addr in (192.168.0.0/16, 10.1.0.0/16) | true
            ip.addr != 10.1.2.3                   | false
            ip.net = 192.168.0.0/16               | true
            ip.net in (10.0.0.0/8, 172.16.0.0/12) | false
            ip.net = 192.168.0.7                  | true
            buf.data contains hello               | true
            buf.data bcontains 00776f726c64       | true
            buf.data bcontains ffff               | false
            buf.data bstartswith 68656c           | true
            buf.data bstartswith 656c             | false
            buf.data startswith hello             | true
            l.names intersects (sshd, cron)       | true
            l.names intersects (cron)             | false
            l.names in (bash, sshd, init, cron)   | true
            l.names in (bash, sshd)               | false
            l.names = init                        | true
            l.names exists                        | true
            a.arg.fd = 3                          | true
            a.arg[2] = two                        | true
            tolower(s.name) = bash                | true
            toupper(s.name) = BASH                | true
            basename(s.path) = bash               | true
            len(s.name) = 4                       | true
            len(s.path) > 20                      | false
            s.name = val(s.name)                  | true
            `join("-", (s.name, s.path)) = "bash-/usr/bin/bash"` | true
            `join("->", ("a", toupper(s.name), n.port)) = a->BASH->443` | true
            `join(",", (l.names)) = "bash,sshd,init"` | true
            `join("-", (s.name, m.missing)) exists` | false
            `concat(s.name, ":", n.port) = bash:443` | true
            `s.path endswith concat("/", s.name)` | true
            s.name = tolower(s.name)              | true
            s.name = val(s.path)                  | false
            s.path endswith val(s.name)           | true
            n.dur > val(n.port)                   | true
            missing.field = x                     | false
            missing.field != x                    | false
            not missing.field = x                 | true
            s.name = bash and n.int < 0           | true
            s.name = sh or n.int < 0              | true
            not (s.name = sh or n.int > 0)        | true
            """)
    void evaluates(String condition, boolean expected) throws Exception {
        assertEquals(expected, eval(condition.replace("missing.field", "m.missing")));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("n.int = abc", "'abc' is not a valid number"),
                Arguments.of("n.port = 70000", "is not a valid unsigned number"),
                Arguments.of("b.flag = maybe", "is not a valid boolean"),
                Arguments.of("ip.addr = 10.0.0.300", "is not a valid IP address"),
                Arguments.of("ip.net = 10.0.0.0/33", "prefix out of range"),
                Arguments.of("buf.data bcontains xyz", "is not a valid hex string"),
                Arguments.of("n.int contains 1", "operator 'contains' is not supported for int64 fields"),
                Arguments.of("b.flag < true", "operator '<' is not supported for bool fields"),
                Arguments.of("s.name regex '(unclosed'", "invalid regular expression"),
                Arguments.of("s.name bcontains 00", "operator 'bcontains' is not supported for string fields"),
                Arguments.of("no.such = 1", "nonexistent field no.such"),
                Arguments.of("s.name[1] = x", "nonexistent field s.name[1]"),
                Arguments.of("len(n.int) = 1", "transformer 'len' needs a string field"),
                Arguments.of("join(\"-\", s.name) = x", "join() takes a separator and a parenthesised list"),
                Arguments.of("concat((s.name)) = x", "concat() takes one or more values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsAtCompileTime(String condition, String message) {
        CompileException e = assertThrows(CompileException.class, () -> eval(condition));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void valuesOfAnUnexpectedJavaTypeNeverThrow() throws Exception {
        MapFieldResolver fields = new MapFieldResolver().field("w.str", FieldType.STRING).field("w.num", FieldType.INT64)
                .field("w.bool", FieldType.BOOL).field("w.ip", FieldType.IPADDR);
        MapEvalContext odd = MapEvalContext.of("w.str", 42L, "w.num", "x", "w.bool", "yes", "w.ip", "10.0.0.1");
        ConditionCompiler compiler = new ConditionCompiler(fields);
        assertTrue(compiler.compile(ConditionParser.parse("w.str = 42 and w.str contains 4")).test(odd));
        for (String c : List.of("w.num = 1", "w.num in (1, 2)", "w.bool = true", "w.ip = 10.0.0.1", "w.ip in (10.0.0.0/8)")) {
            assertEquals(false, compiler.compile(ConditionParser.parse(c)).test(odd), c);
        }
    }

    @Test
    void unknownFieldErrorsNameTheField() {
        CompileException e = assertThrows(CompileException.class, () -> eval("s.name = x and proc.nobody = 1"));
        assertEquals("proc.nobody", e.unknownField());
    }

    @Test
    void invalidValueErrorsNameFieldAndValue() {
        CompileException e = assertThrows(CompileException.class, () -> eval("n.port in (80, http)"));
        assertTrue(e.getMessage().contains("n.port") && e.getMessage().contains("'http'"), e.getMessage());
    }

    @Test
    void regexIsSafeFromCatastrophicBacktracking() throws Exception {
        MapEvalContext ctx = MapEvalContext.of("s.name", "a".repeat(5000) + "!");
        Predicate p = new ConditionCompiler(FIELDS).compile(ConditionParser.parse("s.name regex '(a+)+$'"));
        // RE2/J runs in linear time; a backtracking engine would not return in our lifetime.
        assertEquals(false, p.test(ctx));
    }

    @Test
    void networkContainmentWorksForIpv6() {
        IpNet net = (IpNet) ValueParser.parseAddressOrNet("2001:db8::/32");
        byte[] inside = (byte[]) ValueParser.parseAddressOrNet("2001:db8::1");
        byte[] outside = (byte[]) ValueParser.parseAddressOrNet("2001:db9::1");
        assertTrue(net.contains(inside));
        assertTrue(!net.contains(outside));
    }
}

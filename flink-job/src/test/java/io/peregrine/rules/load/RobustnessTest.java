package io.peregrine.rules.load;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.rules.Corpus;
import io.peregrine.rules.lang.ConditionParser;
import io.peregrine.rules.lang.ConditionSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad input never crashes the loader: thousands of mutated rules files (bytes flipped, lines
 * dropped or duplicated, text truncated) and conditions each end in diagnostics or a syntax error,
 * never in an unexpected exception.
 */
class RobustnessTest {

    private static final String CHARS = " \t\n:-[]{}()\"'|>,=!<%*&#.andornot0123456789abcdefgxyz";

    private static List<String> testRulesFiles() throws IOException {
        Path dir = Corpus.root().resolve("falco-tests/falco-2583ea9-2023-08-02-last/test/rules");
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(Files.readString(p));
            }
            return out;
        }
    }

    private static String mutate(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.setCharAt(at, CHARS.charAt(random.nextInt(CHARS.length())));
                case 1 -> s.insert(at, CHARS.charAt(random.nextInt(CHARS.length())));
                case 2 -> s.deleteCharAt(at);
                case 3 -> s.setLength(at);
                default -> {
                    int lineStart = at == 0 ? 0 : s.lastIndexOf("\n", at - 1) + 1;
                    int lineEnd = s.indexOf("\n", at);
                    String line = s.substring(lineStart, lineEnd < 0 ? s.length() : lineEnd);
                    s.insert(lineStart, line + "\n");
                }
            }
        }
        return s.toString();
    }

    @Test
    void mutatedRulesFilesNeverCrashTheLoader() throws IOException {
        Random random = new Random(7);
        List<String> files = testRulesFiles();
        int loads = 0;
        for (int round = 0; round < 12; round++) {
            for (String file : files) {
                String mutated = mutate(file, random);
                assertDoesNotThrow(() -> Rules.load(mutated), mutated);
                loads++;
            }
        }
        assertTrue(loads > 1000);
    }

    @Test
    void mutatedUpstreamRulesetsNeverCrashTheLoader() throws IOException {
        Random random = new Random(3);
        String head = Files.readString(Corpus.root().resolve("rules/falcosecurity-rules-HEAD/falco_rules.yaml"));
        for (int i = 0; i < 25; i++) {
            String mutated = mutate(head, random);
            assertDoesNotThrow(() -> Rules.load(mutated));
        }
    }

    @Test
    void mutatedConditionsEitherParseOrFailWithASyntaxError() {
        Random random = new Random(11);
        String base = "evt.type in (open, openat) and not proc.name in (cat, \"my app\") or "
                + "(fd.name startswith /etc and proc.aname[2] = bash and tolower(proc.cmdline) contains x)";
        for (int i = 0; i < 5000; i++) {
            String condition = mutate(base, random);
            try {
                ConditionParser.parse(condition);
            } catch (ConditionSyntaxException expected) {
                assertTrue(expected.position() >= 0 && expected.position() <= condition.length(), condition);
            }
        }
    }
}

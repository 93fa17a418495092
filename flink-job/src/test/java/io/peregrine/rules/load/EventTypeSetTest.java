package io.peregrine.rules.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.rules.lang.ConditionParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The event types a condition can match, derived as libsinsp's evttype resolver does. */
class EventTypeSetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            evt.type = execve                                               | [execve]
            evt.type == execve                                              | [execve]
            proc.name = foo                                                 | all
            evt.type != execve                                              | all except [execve]
            not evt.type = execve                                           | all except [execve]
            not evt.type != execve                                          | [execve]
            evt.type = execve and proc.name != foo                          | [execve]
            evt.type = execve and not proc.name = foo                       | [execve]
            evt.type = execve and proc.name = foo or evt.type = open        | [execve, open]
            evt.type = execve and proc.name != foo or evt.type = open       | [execve, open]
            evt.type = execve or evt.type in (open, connect)                | [connect, execve, open]
            evt.type = execve or evt.type != connect                        | all except [connect]
            not evt.type in (execve, open)                                  | all except [execve, open]
            not evt.type in (execve, open) or evt.type = connect            | all except [execve, open]
            not proc.name = foo and evt.type in (execve, open)              | [execve, open]
            not (evt.type = open and proc.name = x)                         | all
            not (evt.type = open or evt.type = close)                       | all except [close, open]
            evt.type in (open, open)                                        | [open]
            evt.type = open and evt.type = close                            | []
            evt.type startswith open                                        | all
            evt.type exists                                                 | all
            tolower(evt.type) = open                                        | all
            """)
    void derivesTheSet(String condition, String expected) throws Exception {
        assertEquals(expected, EventTypeResolver.resolve(ConditionParser.parse(condition)).toString());
    }

    @Test
    void setAlgebra() {
        EventTypeSet open = EventTypeSet.of(java.util.Set.of("open"));
        EventTypeSet notClose = EventTypeSet.of(java.util.Set.of("close")).complement();
        assertEquals("[open]", open.intersect(notClose).toString());
        assertEquals("all except [close]", open.union(notClose).toString());
        assertEquals("all", EventTypeSet.ALL.union(open).toString());
        assertEquals("[]", EventTypeSet.NONE.intersect(open).toString());
    }
}

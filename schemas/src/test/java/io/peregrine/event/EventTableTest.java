package io.peregrine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventTableTest {

    @ParameterizedTest(name = "{0} is {1} {2} with {3} params")
    @CsvSource({
        "2, open, true, 3",
        "3, open, false, 5",
        "12, execve, true, 0",
        "13, execve, false, 8",
        "186, procexit, true, 4",
        "293, execve, false, 20",
        "292, execve, true, 1",
        "306, openat, true, 4",
        "307, openat, false, 6",
        "334, clone3, true, 0",
        "335, clone3, false, 20",
    })
    void knownIdsHaveLibscapsNameDirectionAndArity(int id, String name, boolean enter, int params) {
        EventInfo info = EventTable.get(id);
        assertThat(info.id()).isEqualTo(id);
        assertThat(info.name()).isEqualTo(name);
        assertThat(info.enter()).isEqualTo(enter);
        assertThat(info.params()).hasSize(params);
    }

    @Test
    void openExitCarriesFdNameFlagsModeDev() {
        EventInfo openX = EventTable.get(EventTable.id("PPME_SYSCALL_OPEN_X"));
        assertThat(openX.params()).extracting(ParamInfo::name).containsExactly("fd", "name", "flags", "mode", "dev");
        assertThat(openX.params().get(0).type()).isEqualTo(ParamType.FD);
        assertThat(openX.params().get(2).flagTable()).isEqualTo("file_flags");
        assertThat(openX.params().get(3).format()).isEqualTo(ParamFormat.OCT);
        assertThat(openX.category()).isEqualTo("file");
        assertThat(openX.createsFd()).isTrue();
        assertThat(openX.directionChar()).isEqualTo('<');
    }

    @Test
    void oldExecveVersionsAreMarkedOldAndTheCurrentOneIsNot() {
        List<EventInfo> execves = EventTable.named("execve");
        assertThat(execves).extracting(EventInfo::id).contains(12, 13, 292, 293);
        assertThat(EventTable.get(13).isOldVersion()).isTrue();
        assertThat(EventTable.get(EventTable.id("PPME_SYSCALL_EXECVE_19_X")).isOldVersion()).isFalse();
        assertThat(EventTable.get(EventTable.id("PPME_SYSCALL_EXECVE_19_X")).modifiesState()).isTrue();
    }

    @Test
    void readAndCloseAreDroppableBySimpleConsumersButOpenIsNot() {
        assertThat(EventTable.get(EventTable.id("PPME_SYSCALL_READ_X")).dropsSimpleConsumer()).isTrue();
        assertThat(EventTable.get(EventTable.id("PPME_SYSCALL_CLOSE_E")).dropsSimpleConsumer()).isTrue();
        assertThat(EventTable.get(EventTable.id("PPME_SYSCALL_OPEN_X")).dropsSimpleConsumer()).isFalse();
    }

    @Test
    void idsArePositionsAndLookupsOutsideTheTableGiveNull() {
        assertThat(EventTable.size()).isEqualTo(430);
        for (int i = 0; i < EventTable.size(); i++) {
            assertThat(EventTable.get(i).id()).isEqualTo(i);
        }
        assertThat(EventTable.get(-1)).isNull();
        assertThat(EventTable.get(EventTable.size())).isNull();
        assertThat(EventTable.all()).hasSize(EventTable.size());
    }

    @Test
    void idsBeyondSysdig0293AreAppendedFromNewerLibsAndMarked() {
        assertThat(EventTable.lastOracleId()).isEqualTo(335);
        int memfd = EventTable.id("PPME_SYSCALL_MEMFD_CREATE_X");
        assertThat(memfd).isEqualTo(405);
        assertThat(EventTable.origin(memfd)).isEqualTo("libs@9.1.0+driver");
        assertThat(EventTable.origin(3)).isEqualTo("libs@e5c53d648f3c");
        assertThat(EventTable.named("pidfd_open")).isNotEmpty();
        assertThat(EventTable.named("openat2")).extracting(EventInfo::id).containsExactly(326, 327);
        assertThat(EventTable.named("userfaultfd")).extracting(EventInfo::id).containsExactly(320, 321);
    }

    @Test
    void namesAreRuleMatchableTypesWithoutUnusedPlaceholders() {
        Set<String> names = EventTable.names();
        assertThat(names).contains("open", "openat", "execve", "clone", "procexit", "container", "switch",
                "clone3", "memfd_create", "pidfd_getfd");
        assertThat(names).doesNotContain("NA1", "NA2", "NA3");
    }

    @Test
    void extendedParamsAppendWhatNewerDriversSend() {
        int openX = EventTable.id("PPME_SYSCALL_OPEN_X");
        assertThat(EventTable.extendedParams(openX)).extracting(ParamInfo::name)
                .containsExactly("fd", "name", "flags", "mode", "dev", "ino");
        int execveX = EventTable.id("PPME_SYSCALL_EXECVE_19_X");
        assertThat(EventTable.extendedParams(execveX).subList(0, 20)).isEqualTo(EventTable.get(execveX).params());
        assertThat(EventTable.extendedParams(execveX)).extracting(ParamInfo::name).contains("trusted_exepath");
        assertThat(EventTable.extendedParams(EventTable.id("PPME_SYSCALL_MEMFD_CREATE_X")))
                .isEqualTo(EventTable.get(EventTable.id("PPME_SYSCALL_MEMFD_CREATE_X")).params());
        assertThat(EventTable.extendedParams(-1)).isEmpty();
        Event open = new Event(0, 1, 0, openX, new byte[0], new int[6], new int[6]);
        assertThat(open.paramInfo(5).name()).isEqualTo("ino");
        assertThat(open.paramInfo(6)).isNull();
        for (EventInfo info : EventTable.all()) {
            List<ParamInfo> extended = EventTable.extendedParams(info.id());
            for (int i = 0; i < info.params().size(); i++) {
                assertThat(extended.get(i).type().size()).as(info.name() + " param " + i)
                        .isEqualTo(info.params().get(i).type().size());
            }
        }
    }

    @Test
    void oracleNamesAreThoseOfSysdig0293Only() {
        assertThat(EventTable.oracleNames()).contains("open", "accept", "dup", "execveat", "clone3")
                .doesNotContain("accept4", "dup2", "memfd_create", "pidfd_open", "NA1");
        assertThat(EventTable.names()).containsAll(EventTable.oracleNames()).contains("accept4", "dup2");
    }

    @Test
    void fsRelPathParametersNameTheirDirfd() {
        int renameatX = EventTable.id("PPME_SYSCALL_RENAMEAT_X");
        assertThat(EventTable.dirfdParam(renameatX, 2)).isEqualTo(1);
        assertThat(EventTable.dirfdParam(renameatX, 4)).isEqualTo(3);
        assertThat(EventTable.dirfdParam(renameatX, 0)).isEqualTo(-1);
    }

    /** Every line of {@code sysdig -L} (sysdig 0.29.3) must be an entry of our table, word for word. */
    @Test
    void everyEventSysdigListsMatchesTheTable() throws IOException {
        Path events = Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"), "sysdig_events.txt");
        assumeTrue(Files.exists(events), "corpus not found at " + events);
        Set<String> ours = new HashSet<>();
        for (EventInfo info : EventTable.all()) {
            if (info.id() <= EventTable.lastOracleId()) {
                ours.add(info.directionChar() + " " + info.name() + "(" + info.params().stream()
                        .map(p -> (p.type() == ParamType.DYN ? "DYNAMIC" : p.type().name()) + " " + p.name())
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        List<String> listed = Files.readAllLines(events).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        assertThat(listed).hasSizeGreaterThan(200);
        assertThat(listed).allSatisfy(line -> assertThat(ours).contains(line));
    }
}

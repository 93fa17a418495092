package io.peregrine.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Renderings checked against what sysdig 0.29.3 prints in {@code evt.args}. */
class FlagTablesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = ';', value = {
        "file_flags; 4097; O_RDONLY|O_CLOEXEC",
        "file_flags; 1; O_RDONLY",
        "file_flags; 3; O_RDWR",
        "file_flags; 0; O_NONE",
        "file_flags; 4102; O_CREAT|O_WRONLY|O_CLOEXEC",
        "prot_flags; 3; PROT_READ|PROT_WRITE",
        "prot_flags; 5; PROT_READ|PROT_EXEC",
        "mmap_flags; 10; MAP_PRIVATE|MAP_ANONYMOUS",
        "mmap_flags; 1030; MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE",
        "socket_families; 2; AF_INET",
        "socket_families; 10; AF_INET6",
        "socket_families; 1; AF_LOCAL",
    })
    void rendersLikeLibsinsp(String table, long value, String expected) {
        assertThat(FlagTables.render(table, value)).isEqualTo(expected);
    }

    @Test
    void valuesNoNameCoversRenderAsNull() {
        assertThat(FlagTables.render("prot_flags", 1L << 30)).isNull();
        assertThat(FlagTables.render("no_such_table", 1)).isNull();
        assertThat(FlagTables.render(null, 1)).isNull();
    }

    @Test
    void dynamicParametersResolveThroughTheirTable() {
        ParamInfo val = EventTable.get(EventTable.id("PPME_SOCKET_SETSOCKOPT_X")).params().get(4);
        assertThat(val.type()).isEqualTo(ParamType.DYN);
        assertThat(DynamicParams.resolve(val, 2)).isEqualTo(new ParamInfo("val", ParamType.UINT32, ParamFormat.DEC, null));
        assertThat(DynamicParams.resolve(val, 4).type()).isEqualTo(ParamType.RELTIME);
        assertThat(DynamicParams.resolve(val, 5)).isNull();
        ParamInfo addr = EventTable.get(EventTable.id("PPME_SYSCALL_PTRACE_X")).params().get(1);
        assertThat(DynamicParams.resolve(addr, 0)).isEqualTo(new ParamInfo("addr", ParamType.UINT64, ParamFormat.HEX, null));
    }

    @Test
    void enumTablesRenderExactValuesOnly() {
        assertThat(FlagTables.renderEnum("prctl_options", 15)).isEqualTo("PR_SET_NAME");
        assertThat(FlagTables.renderEnum("prctl_options", 12345)).isNull();
    }

    @Test
    void everyTableTheEventTableNamesExists() {
        for (EventInfo info : EventTable.all()) {
            for (ParamInfo p : EventTable.extendedParams(info.id())) {
                if (p.flagTable() != null) {
                    boolean exists = p.type() == ParamType.DYN ? DynamicParams.exists(p.flagTable())
                            : FlagTables.exists(p.flagTable());
                    assertThat(exists).as(info.name() + "." + p.name()).isTrue();
                }
            }
        }
    }
}

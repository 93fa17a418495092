package io.peregrine.shipper.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerIdsTest {

    private static final String HEX = "3f1b5a7c9d2e4f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/docker/" + HEX + ", 3f1b5a7c9d2e",
        "/system.slice/docker-" + HEX + ".scope, 3f1b5a7c9d2e",
        "/system.slice/containerd.service/kubepods-besteffort-pod1234.slice:cri-containerd:" + HEX + ", 3f1b5a7c9d2e",
        "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b.slice/cri-containerd-" + HEX
                + ".scope, 3f1b5a7c9d2e",
        "/kubepods/besteffort/pod1a2b3c4d-0000-1111-2222-333344445555/" + HEX + ", 3f1b5a7c9d2e",
        "/machine.slice/libpod-" + HEX + ".scope/container, 3f1b5a7c9d2e",
        "/crio-" + HEX + ".scope, 3f1b5a7c9d2e",
        "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podab.slice/crio-" + HEX
                + ".scope, 3f1b5a7c9d2e",
        "/, host",
        "/user.slice/user-0.slice/session-3.scope, host",
        "/docker/notanid, host",
        "/process_api/fe8d65e0f43e69ced9e70654118ad542, host",
    })
    void recognisesContainerCgroupsOfEveryRuntime(String path, String expected) {
        assertThat(ContainerIds.fromPath(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cpu=/|memory=/docker/" + HEX + "| 3f1b5a7c9d2e",
        "cpu=/|memory=/| host",
    })
    void takesTheFirstContainerAmongLibscapCgroupEntries(String a, String b, String expected) {
        assertThat(ContainerIds.fromCgroups(List.of(a, b))).isEqualTo(expected);
    }
}

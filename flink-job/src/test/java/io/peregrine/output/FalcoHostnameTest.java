package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FalcoHostnameTest {

    @Test
    void falcoHostnameVariableWinsOverTheGrpcOneAndTheMachineName() {
        assertThat(FalcoHostname.resolve(Map.of("FALCO_HOSTNAME", "a", "FALCO_GRPC_HOSTNAME", "b")::get)).isEqualTo("a");
        assertThat(FalcoHostname.resolve(Map.of("FALCO_GRPC_HOSTNAME", "b")::get)).isEqualTo("b");
    }

    @Test
    void fallsBackToTheKernelHostName() {
        assertThat(FalcoHostname.resolve(Map.<String, String>of()::get)).isNotBlank().doesNotContain("\n");
    }
}

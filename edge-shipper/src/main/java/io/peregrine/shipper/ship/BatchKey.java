package io.peregrine.shipper.ship;

import java.nio.charset.StandardCharsets;

/** The Kafka key of a batch: host and container ({@code "host"} for the host), so a key's batches stay ordered. */
public record BatchKey(String host, String containerId) {

    /** {@code host/container}, UTF-8, as the Kafka record key. */
    public byte[] bytes() {
        return (host + "/" + containerId).getBytes(StandardCharsets.UTF_8);
    }
}

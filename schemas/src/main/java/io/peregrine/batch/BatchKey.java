package io.peregrine.batch;

/** The partitioning key of the event stream: one host's host processes, or one of its containers. */
public record BatchKey(String host, String containerId) {

    public BatchKey {
        host = host == null ? "" : host;
        containerId = containerId == null ? "" : containerId;
    }

    /** The key as one string, {@code host/container} ({@code host/} for the host itself): Kafka's record key. */
    public String asString() {
        return host + "/" + containerId;
    }
}

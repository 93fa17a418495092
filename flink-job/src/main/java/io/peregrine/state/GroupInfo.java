package io.peregrine.state;

import java.io.Serializable;

/** A group from the capture's or host's group list. */
public record GroupInfo(long gid, String name) implements Serializable {
}

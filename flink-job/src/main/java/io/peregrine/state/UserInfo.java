package io.peregrine.state;

import java.io.Serializable;

/** A user from the capture's or host's user list. */
public record UserInfo(long uid, long gid, String name, String homeDir, String shell) implements Serializable {
}

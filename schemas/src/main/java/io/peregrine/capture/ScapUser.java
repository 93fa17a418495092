package io.peregrine.capture;

/** One user from a capture's user list (UL block), as read from the host's passwd database. */
public record ScapUser(long uid, long gid, String name, String homedir, String shell) {
}

package io.peregrine.capture;

/** One group from a capture's user list (UL block). */
public record ScapGroup(long gid, String name) {
}

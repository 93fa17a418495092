package io.peregrine.capture;

/** A capture's section header block (pcapng SHB): format version and the (usually unknown, -1) section length. */
public record SectionHeader(int majorVersion, int minorVersion, long sectionLength) {
}

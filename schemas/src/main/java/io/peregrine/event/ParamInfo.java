package io.peregrine.event;

/**
 * One parameter of an event type: its name, its type, how libsinsp prints it, and the name of the
 * flag or enum table ({@link FlagTables}) that renders its bits, or {@code null}. For a
 * {@link ParamType#DYN} parameter {@code flagTable} names its dynamic table instead (see
 * {@link DynamicParams}).
 */
public record ParamInfo(String name, ParamType type, ParamFormat format, String flagTable) {
}

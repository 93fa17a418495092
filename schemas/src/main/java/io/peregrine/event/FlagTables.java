package io.peregrine.event;

/**
 * libscap's flag and enum name tables ({@code ppm_name_value}), used to print flag parameters the way
 * libsinsp does ({@code O_RDONLY|O_CLOEXEC}).
 *
 * <p>STUB: the data is being filled in (see the schemas module owner). The API is fixed.
 */
public final class FlagTables {

    private FlagTables() {
    }

    /**
     * The value rendered with the named table as libsinsp does, without the numeric prefix, or
     * {@code null} when no name applies.
     */
    public static String render(String table, long value) {
        return null;
    }
}

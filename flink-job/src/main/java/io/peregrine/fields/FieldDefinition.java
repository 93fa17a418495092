package io.peregrine.fields;

/**
 * One row of the field catalogue.
 *
 * @param name the field name without argument ({@code proc.aname})
 * @param type the value type; {@code null} for {@code evt.rawarg}, whose type is the parameter's
 * @param argument what the field accepts as argument
 * @param filterOnly libsinsp's EPF_FILTER_ONLY: usable in conditions, printed as {@code <NA>}
 * @param listWithoutArgument whether the field yields all values (a list) when written without
 *     argument, like {@code proc.aname} matching any ancestor
 * @param alwaysList whether the field is always list-valued ({@code fd.types})
 * @param printFormat how numbers print: DEC, ID, HEX, PAD9 or NA
 * @param description one line for humans
 */
public record FieldDefinition(String name, FieldType type, ArgumentRule argument, boolean filterOnly,
        boolean listWithoutArgument, boolean alwaysList, String printFormat, String description) {

    /** The field class, i.e. the name's first component ({@code proc}). */
    public String fieldClass() {
        int dot = name.indexOf('.');
        return name.substring(0, dot);
    }

    /** Whether a reference with {@code argument} (null when absent) yields a list. */
    public boolean isList(String argument) {
        return alwaysList || (listWithoutArgument && argument == null);
    }
}

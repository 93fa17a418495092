package io.peregrine.rules.load;

/**
 * Falco's load result codes (falco_load_result.cpp), so users see the codes they already know.
 */
public enum LoadCode {
    LOAD_ERR_FILE_READ("File read error"),
    LOAD_ERR_YAML_PARSE("YAML parse error"),
    LOAD_ERR_YAML_VALIDATE("Error validating internal structure of YAML file"),
    LOAD_ERR_COMPILE_CONDITION("Error compiling condition"),
    LOAD_ERR_COMPILE_OUTPUT("Error compiling output"),
    LOAD_ERR_VALIDATE("Error validating rule/macro/list/exception objects"),
    LOAD_ERR_EXTENSION("Error loading plugin/engine extension"),
    LOAD_UNKNOWN_SOURCE("Unknown event source"),
    LOAD_UNSAFE_NA_CHECK("Unsafe <NA> comparison in condition"),
    LOAD_NO_EVTTYPE("Condition has no event-type restriction"),
    LOAD_UNKNOWN_FILTER("Unknown field or event-type in condition or output"),
    LOAD_UNUSED_MACRO("Unused macro"),
    LOAD_UNUSED_LIST("Unused list"),
    LOAD_UNKNOWN_ITEM("Unknown rules file item"),
    LOAD_DEPRECATED_ITEM("Used deprecated item"),
    LOAD_WARNING_INTERNAL("Warning in rules file"),
    LOAD_UNKNOWN_FIELD("Unknown field"),
    LOAD_COMPILE_CONDITION("Condition could not be compiled"),
    LOAD_EXCEPTION_NAME_NOT_UNIQUE("Multiple exceptions defined with the same name"),
    LOAD_INVALID_MACRO_NAME("Invalid macro name"),
    LOAD_INVALID_LIST_NAME("Invalid list name"),
    LOAD_UNKNOWN_KEY("Unknown key in item definition");

    private final String description;

    LoadCode(String description) {
        this.description = description;
    }

    /** Falco's one-line description of the code. */
    public String description() {
        return description;
    }
}

package io.peregrine.event;

/** How libsinsp prints an integer parameter ({@code ppm_print_format}). */
public enum ParamFormat {
    NA, DEC, HEX, PADDED_HEX, ID, DIR, OCT
}

package io.peregrine.rules.load;

/** A place in a rules file; line and column are 1-based, 0 when unknown. */
public record Position(String file, int line, int column) {

    public static Position ofFile(String file) {
        return new Position(file, 0, 0);
    }

    /** The position {@code offset} characters into a value that starts here on one line. */
    public Position shifted(int offset) {
        return line == 0 ? this : new Position(file, line, column + offset);
    }

    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}

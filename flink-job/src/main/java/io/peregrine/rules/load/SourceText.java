package io.peregrine.rules.load;

import java.util.ArrayList;
import java.util.List;

/**
 * A condition assembled from one or more YAML values (a definition, then appends), remembering
 * where each piece came from so that an offset in the whole text maps back to a file position.
 */
final class SourceText {

    private record Piece(int offset, Position start, boolean oneLine) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Piece> pieces = new ArrayList<>();

    SourceText(String first, Position start) {
        add(first, start);
    }

    /** Appends {@code more} after a blank, as Falco's append does. */
    void append(String more, Position start) {
        text.append(' ');
        add(more, start);
    }

    private void add(String value, Position start) {
        pieces.add(new Piece(text.length(), start, value.indexOf('\n') < 0));
        text.append(value);
    }

    String text() {
        return text.toString();
    }

    /** The file position of {@code offset}: exact on one-line values, the value's line otherwise. */
    Position position(int offset) {
        Piece piece = pieces.get(0);
        for (Piece p : pieces) {
            if (p.offset() <= offset) {
                piece = p;
            }
        }
        if (piece.start() == null) {
            return null;
        }
        return piece.oneLine() && offset >= piece.offset() ? piece.start().shifted(offset - piece.offset()) : piece.start();
    }
}

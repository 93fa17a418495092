package io.peregrine.rules.load;

import java.util.ArrayList;
import java.util.List;

/**
 * A condition assembled from one or more YAML values (a definition, then appends), remembering
 * where each piece came from so that an offset in the whole text maps back to a file position.
 */
final class SourceText {

    private record Piece(int offset, String value, ValueSource source) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Piece> pieces = new ArrayList<>();

    SourceText(String first, ValueSource source) {
        add(first, source);
    }

    /** Appends {@code more} after a blank, as Falco's append does. */
    void append(String more, ValueSource source) {
        text.append(' ');
        add(more, source);
    }

    private void add(String value, ValueSource source) {
        pieces.add(new Piece(text.length(), value, source));
        text.append(value);
    }

    String text() {
        return text.toString();
    }

    /** The file position of {@code offset} in the whole text (offsets below 0 mean its start). */
    Position position(int offset) {
        Piece piece = pieces.get(0);
        for (Piece p : pieces) {
            if (p.offset() <= offset) {
                piece = p;
            }
        }
        if (piece.source() == null) {
            return null;
        }
        return piece.source().locate(piece.value(), Math.max(0, offset - piece.offset()));
    }
}

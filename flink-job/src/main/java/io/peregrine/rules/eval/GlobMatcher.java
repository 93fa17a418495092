package io.peregrine.rules.eval;

/**
 * fnmatch(3)-style glob without FNM_PATHNAME, as libsinsp's {@code glob} uses it: {@code *} matches
 * any run of characters (slashes included), {@code ?} one character, {@code [...]} a class
 * ({@code !} or {@code ^} negates, ranges with {@code -}), {@code \} escapes.
 *
 * <p>Matching is iterative with a single backtrack point per star, so it runs in O(n·m) at worst.
 */
public final class GlobMatcher {

    private final String pattern;
    private final boolean ignoreCase;

    public GlobMatcher(String pattern, boolean ignoreCase) {
        this.pattern = ignoreCase ? pattern.toLowerCase() : pattern;
        this.ignoreCase = ignoreCase;
    }

    public boolean matches(String s) {
        int p = 0;
        int i = 0;
        int starP = -1;
        int starI = -1;
        int plen = pattern.length();
        while (i < s.length()) {
            if (p < plen) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    starP = ++p;
                    starI = i;
                    continue;
                }
                int next = matchOne(p, at(s, i));
                if (next >= 0) {
                    p = next;
                    i++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            i = ++starI;
        }
        while (p < plen && pattern.charAt(p) == '*') {
            p++;
        }
        return p == plen;
    }

    private char at(String s, int i) {
        char c = s.charAt(i);
        return ignoreCase ? Character.toLowerCase(c) : c;
    }

    /** Matches one pattern element at {@code p} against {@code c}; returns the next index or -1. */
    private int matchOne(int p, char c) {
        char pc = pattern.charAt(p);
        if (pc == '?') {
            return p + 1;
        }
        if (pc == '\\' && p + 1 < pattern.length()) {
            return pattern.charAt(p + 1) == c ? p + 2 : -1;
        }
        if (pc == '[') {
            int end = classEnd(p);
            if (end > 0) {
                return classContains(p + 1, end, c) ? end + 1 : -1;
            }
        }
        return pc == c ? p + 1 : -1;
    }

    private int classEnd(int open) {
        int j = open + 1;
        if (j < pattern.length() && (pattern.charAt(j) == '!' || pattern.charAt(j) == '^')) {
            j++;
        }
        if (j < pattern.length() && pattern.charAt(j) == ']') {
            j++;
        }
        while (j < pattern.length() && pattern.charAt(j) != ']') {
            j++;
        }
        return j < pattern.length() ? j : -1;
    }

    private boolean classContains(int from, int end, char c) {
        boolean negate = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
        int j = negate ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (j < end || (first && j == end && pattern.charAt(j) == ']')) {
            char lo = pattern.charAt(j);
            first = false;
            if (j + 2 < end && pattern.charAt(j + 1) == '-') {
                if (c >= lo && c <= pattern.charAt(j + 2)) {
                    found = true;
                }
                j += 3;
            } else {
                if (c == lo) {
                    found = true;
                }
                j++;
            }
        }
        return found != negate;
    }
}

package io.peregrine.rules.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The prefixes of a {@code pmatch}: a path matches when one of them is a whole-component prefix of
 * it ({@code /usr} matches {@code /usr} and {@code /usr/bin/ls}, not {@code /usrx}), as libsinsp's
 * path_prefix_search does. Prefixes are grouped by their second character (the first is almost
 * always {@code /}) so a lookup only scans the few that can match.
 */
public final class PathPrefixSet {

    private final String[][] buckets = new String[128][];
    private final String[] other;

    public PathPrefixSet(Collection<String> prefixes) {
        List<List<String>> lists = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            lists.add(new ArrayList<>());
        }
        List<String> rest = new ArrayList<>();
        for (String p : prefixes) {
            String norm = p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            int key = bucketOf(norm);
            (key < 0 ? rest : lists.get(key)).add(norm);
        }
        for (int i = 0; i < 128; i++) {
            buckets[i] = lists.get(i).isEmpty() ? null : lists.get(i).toArray(String[]::new);
        }
        other = rest.toArray(String[]::new);
    }

    private static int bucketOf(String s) {
        if (s.length() < 2) {
            return -1;
        }
        char c = s.charAt(1);
        return c < 128 ? c : -1;
    }

    public boolean matches(String path) {
        int key = bucketOf(path);
        if (key >= 0 && buckets[key] != null && scan(buckets[key], path)) {
            return true;
        }
        return scan(other, path);
    }

    private static boolean scan(String[] prefixes, String path) {
        for (String p : prefixes) {
            if (path.startsWith(p) && (path.length() == p.length() || path.charAt(p.length()) == '/'
                    || p.equals("/"))) {
                return true;
            }
        }
        return false;
    }
}

package io.peregrine.state;

/**
 * Joins a directory and a (possibly relative) path the way libsinsp does
 * ({@code sinsp_utils::concatenate_paths}): absolute paths ignore the directory, {@code .} and
 * {@code ..} components fold away, doubled slashes collapse, a trailing slash is dropped and
 * unprintable characters become dots.
 */
public final class PathResolver {

    private static final int MAX_PATH = 1024;

    private PathResolver() {
    }

    /**
     * {@code dir} (ending in '/') joined with {@code path}. An empty path counts as relative, as
     * in libsinsp, which is given the parameter's length (the NUL included): it yields the
     * directory without its trailing slash.
     */
    public static String concatenate(String dir, String path) {
        if (dir.length() + path.length() + 1 > MAX_PATH) {
            return "/PATH_TOO_LONG";
        }
        StringBuilder target = new StringBuilder(dir.length() + path.length());
        int base = 0;
        if (path.isEmpty() || path.charAt(0) != '/') {
            target.append(dir);
        }
        copyAndSanitize(target, base, path);
        return target.toString();
    }

    /** libsinsp's copy_and_sanitize_path, appending to {@code target}. */
    private static void copyAndSanitize(StringBuilder target, int base, String path) {
        int pc = 0;
        int n = path.length();
        while (true) {
            if (pc >= n) {
                int tc = target.length();
                if (tc > base + 1 && target.charAt(tc - 1) == '/') {
                    target.setLength(tc - 1);
                }
                return;
            }
            char c = path.charAt(pc);
            if (c < 0x20 || c > 0x7e) {
                target.append('.');
                pc++;
            } else if (c == '.' && at(path, pc + 1) == '.' && at(path, pc + 2) == '/') {
                pc = rewind(target, base, pc, 3);
            } else if (c == '.' && at(path, pc + 1) == '.') {
                if (pc + 2 >= n) {
                    pc = rewind(target, base, pc, 2);
                } else {
                    target.append("..");
                    pc += 2;
                }
            } else if (c == '.' && at(path, pc + 1) == '/') {
                pc += 2;
            } else if (c == '.') {
                if (pc + 1 >= n) {
                    pc++;
                } else {
                    target.append(c);
                    pc++;
                }
            } else if (c == '/') {
                if (target.length() > base && target.charAt(target.length() - 1) == '/') {
                    pc++;
                } else {
                    target.append(c);
                    pc++;
                }
            } else {
                target.append(c);
                pc++;
            }
        }
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    /** Drops the last path component already written (libsinsp's rewind_to_parent_path). */
    private static int rewind(StringBuilder target, int base, int pc, int delta) {
        int tc = target.length();
        if (tc <= base + 1) {
            return pc + delta;
        }
        tc--;
        while (tc >= base + 1 && target.charAt(tc - 1) != '/') {
            tc--;
        }
        target.setLength(Math.max(tc, base));
        return pc + delta;
    }

    /** Removes the characters libsinsp's sanitize_string drops (anything unprintable). */
    public static String sanitize(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                StringBuilder b = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    char d = s.charAt(j);
                    if (d >= 0x20 && d <= 0x7e) {
                        b.append(d);
                    }
                }
                return b.toString();
            }
        }
        return s;
    }
}

package io.peregrine.state;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.event.FlagTables;
import io.peregrine.event.ParamFormat;
import io.peregrine.event.ParamInfo;
import io.peregrine.event.ParamType;

/**
 * Renders event parameters as libsinsp's {@code sinsp_evt::get_param_as_str} does: a value text
 * and an optional "resolved" text ({@code fd=3(<f>/etc/passwd)}, {@code res=-2(ENOENT)},
 * {@code flags=4097(O_RDONLY|O_CLOEXEC)}). sysdig truncates byte buffers to 80 characters.
 */
public final class ParamRenderer {

    /** sysdig's default output length for buffers (without -v). */
    public static final int MAX_BUFFER_OUTPUT = 80;
    private static final long AT_FDCWD = -100;

    private final EventContext context;
    private String resolved;

    ParamRenderer(EventContext context) {
        this.context = context;
    }

    /** The resolved text of the last {@link #value} call, or "" when there is none. */
    public String resolved() {
        return resolved;
    }

    /** evt.args: every parameter as {@code name=value } or {@code name=value(resolved) }. */
    public String allArgs(Event e) {
        EventInfo info = e.info();
        if (info == null) {
            return "";
        }
        if (info.name().equals("syscall")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int n = Math.min(e.paramCount(), info.params().size());
        for (int i = 0; i < n; i++) {
            String value = value(e, i);
            out.append(info.params().get(i).name()).append('=').append(value);
            if (!resolved.isEmpty()) {
                out.append('(').append(resolved).append(')');
            }
            out.append(' ');
        }
        return out.toString();
    }

    /** evt.arg: the resolved text when there is one, else the value. */
    public String preferResolved(Event e, int i) {
        String value = value(e, i);
        return resolved.isEmpty() ? value : resolved;
    }

    /** The value text of parameter {@code i}; {@link #resolved()} then holds its resolved text. */
    public String value(Event e, int i) {
        resolved = "";
        EventInfo info = e.info();
        ParamInfo param = info.params().get(i);
        int off = e.paramOffset(i);
        int len = e.paramLength(i);
        byte[] d = e.data();
        ParamFormat fmt = param.format();
        if (param.type() == ParamType.DYN) {
            // One index byte picks the concrete type; the number format stays the DYN parameter's.
            ParamInfo concrete = len == 0 ? null : io.peregrine.event.DynamicParams.resolve(param, d[off] & 0xff);
            if (concrete == null) {
                return "INVALID DYNAMIC PARAMETER";
            }
            param = new ParamInfo(param.name(), concrete.type(), fmt, null);
            off++;
            len--;
        }
        return render(e, i, param, d, off, len);
    }

    private static boolean isIntegerWidth(int len) {
        return len == 1 || len == 2 || len == 4 || len == 8;
    }

    /** Little-endian integer of the parameter's width at {@code d[off..off+len)}. */
    private static long num(byte[] d, int off, int len, boolean signed) {
        long v = 0;
        for (int k = len - 1; k >= 0; k--) {
            v = (v << 8) | (d[off + k] & 0xffL);
        }
        if (signed && len < 8) {
            int shift = 64 - 8 * len;
            v = (v << shift) >> shift;
        }
        return v;
    }

    private String render(Event e, int i, ParamInfo param, byte[] d, int off, int len) {
        ParamFormat fmt = param.format();
        if (param.type().size() > 0 && !isIntegerWidth(len)) {
            // A truncated or malformed fixed-size parameter: nothing trustworthy to print.
            return "";
        }
        switch (param.type()) {
            case INT8:
            case INT16:
            case INT32:
            case INT64:
                return number(num(d, off, len, true), fmt, width(param.type()));
            case UINT8:
            case UINT16:
            case UINT32:
                return number(num(d, off, len, false), fmt, width(param.type()));
            case UINT64:
                return number(num(d, off, len, false), fmt, 8);
            case FD:
                return fd(num(d, off, len, true));
            case PID: {
                long pid = num(d, off, len, true);
                ThreadInfo t = context.engine().threads().get(pid);
                if (t != null) {
                    resolved = t.comm;
                }
                return Long.toString(pid);
            }
            case ERRNO: {
                long v = num(d, off, len, true);
                if (v < 0) {
                    String name = SystemNames.errno(v);
                    if (name != null) {
                        resolved = name;
                    }
                }
                return Long.toString(v);
            }
            case CHARBUF:
                return cString(d, off, len);
            case FSPATH:
            case FSRELPATH:
                return path(e, i, d, off, len);
            case BYTEBUF:
                return buffer(d, off, len);
            case SOCKADDR:
                return sockaddr(EventParams.slice(d, off, len), false);
            case SOCKTUPLE:
                return socktuple(EventParams.slice(d, off, len), context.fd() == null ? FdInfo.L4_UNKNOWN : context.fd().l4proto);
            case FDLIST:
                return fdList(d, off, len);
            case SYSCALLID: {
                long id = num(d, off, len, false);
                resolved = id < SyscallNames.size() ? SyscallNames.name(id) : "";
                return Long.toString(id);
            }
            case SIGTYPE: {
                long sig = num(d, off, len, false);
                String name = SystemNames.signal(sig);
                if (name != null) {
                    resolved = name;
                }
                return Long.toString(sig);
            }
            case RELTIME: {
                long v = num(d, off, len, false);
                if (v == -1L) {
                    return "none";
                }
                resolved = CFormat.lg(unsignedDouble(v) / 1e9) + "s";
                return Long.toUnsignedString(v);
            }
            case FLAGS8:
            case FLAGS16:
            case FLAGS32: {
                long v = num(d, off, len, false);
                String names = FlagTables.render(param.flagTable(), v);
                if (names != null) {
                    resolved = names;
                }
                return Long.toString(v);
            }
            case ENUMFLAGS8:
            case ENUMFLAGS16:
            case ENUMFLAGS32: {
                long v = num(d, off, len, false);
                String names = FlagTables.renderEnum(param.flagTable(), v);
                if (names != null) {
                    resolved = names;
                }
                return Long.toString(v);
            }
            case MODE: {
                long v = num(d, off, len, false);
                String names = FlagTables.render(param.flagTable(), v);
                if (names != null) {
                    resolved = names;
                }
                return number(v, fmt, 4);
            }
            case UID:
            case GID: {
                long v = num(d, off, len, false);
                if (v < 0xffffffffL) {
                    if (param.type() == ParamType.UID) {
                        UserInfo u = context.engine().user(v);
                        resolved = u == null ? "<NA>" : PathResolver.sanitize(u.name());
                    } else {
                        GroupInfo g = context.engine().group(v);
                        resolved = g == null ? "<NA>" : PathResolver.sanitize(g.name());
                    }
                    return Integer.toString((int) v);
                }
                resolved = "<NONE>";
                return "-1";
            }
            case SIGSET: {
                long v = num(d, off, len, false);
                StringBuilder out = new StringBuilder();
                for (int sig = 0; sig < 32; sig++) {
                    if ((v & (1L << sig)) != 0) {
                        String name = SystemNames.signal(sig + 1);
                        if (name != null) {
                            if (out.length() > 0) {
                                out.append(' ');
                            }
                            out.append(name);
                        }
                    }
                }
                return out.toString();
            }
            default:
                return "(n.a.)";
        }
    }

    private static double unsignedDouble(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static int width(ParamType type) {
        return type.size();
    }

    /** A number printed with libsinsp's SET_NUMERIC_FORMAT choice for {@code fmt}. */
    static String number(long v, ParamFormat fmt, int width) {
        switch (fmt) {
            case OCT:
                return v == 0 ? "0" : "0" + Long.toOctalString(mask(v, width));
            case HEX:
                return Long.toHexString(mask(v, width)).toUpperCase();
            case PADDED_HEX: {
                String s = Long.toString(v);
                return s.length() >= 9 ? s : "0".repeat(9 - s.length()) + s;
            }
            default:
                return Long.toString(v);
        }
    }

    private static long mask(long v, int width) {
        return width >= 8 ? v : v & ((1L << (8 * width)) - 1);
    }

    private String fd(long fd) {
        ThreadInfo t = context.thread();
        if (t == null) {
            return Long.toString(fd);
        }
        if (fd >= 0) {
            FdInfo info = context.engine().fdTable(t) == null ? null : context.engine().fdTable(t).get(fd);
            if (info != null) {
                resolved = typeTag(info) + PathResolver.sanitize(info.name);
            }
        } else if (fd == AT_FDCWD) {
            resolved = "AT_FDCWD";
        } else {
            String name = SystemNames.errno(fd);
            if (name != null) {
                resolved = name;
            }
        }
        return Long.toString(fd);
    }

    /** The {@code <f>} / {@code <4t>} tag libsinsp prefixes to a resolved fd. */
    static String typeTag(FdInfo info) {
        char proto = 0;
        if (info.type == FdType.IPV4_SOCK || info.type == FdType.IPV6_SOCK || info.type.isServerSocket()) {
            switch (info.l4proto()) {
                case FdInfo.L4_TCP -> proto = 't';
                case FdInfo.L4_UDP -> proto = 'u';
                case FdInfo.L4_ICMP -> proto = 'i';
                case FdInfo.L4_RAW -> proto = 'r';
                default -> proto = 0;
            }
        }
        return proto == 0 ? "<" + info.type.typeChar() + ">" : "<" + info.type.typeChar() + proto + ">";
    }

    private String path(Event e, int i, byte[] d, int off, int len) {
        String value = PathResolver.sanitize(e.paramString(i));
        ThreadInfo t = context.thread();
        if (t != null && len > 0 && !value.startsWith("<NA>")) {
            String raw = e.paramString(i);
            // An empty path is relative too (libsinsp tests the parameter's length, NUL included):
            // it resolves to the directory itself, e.g. "(/tmp)".
            if (raw.isEmpty() || raw.charAt(0) != '/') {
                String base = baseDir(e, i, t);
                resolved = PathResolver.concatenate(base, raw);
            }
        }
        return value;
    }

    /** libsinsp's get_base_dir: the cwd, or the directory of the dirfd parameter for *at calls. */
    private String baseDir(Event e, int i, ThreadInfo t) {
        String cwd = context.engine().cwd(t);
        EventInfo info = e.info();
        if (info.params().get(i).type() != ParamType.FSRELPATH) {
            return cwd;
        }
        int dirfdIndex = EventTable.dirfdParam(e.type(), i);
        if (dirfdIndex < 0 || !EventParams.isInteger(e, dirfdIndex)
                || info.params().get(dirfdIndex).type() != ParamType.FD) {
            return cwd;
        }
        long dirfd = e.paramLong(dirfdIndex, true);
        if (dirfd == AT_FDCWD) {
            return cwd;
        }
        java.util.Map<Long, FdInfo> table = context.engine().fdTable(t);
        FdInfo dir = table == null ? null : table.get(dirfd);
        if (dir == null || dir.name.isEmpty()) {
            return "";
        }
        return PathResolver.sanitize(dir.name) + "/";
    }

    /** libsinsp's binary_buffer_to_string_dots with sysdig's 80-character cut. */
    public static String buffer(byte[] d, int off, int len) {
        if (len == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(len, MAX_BUFFER_OUTPUT));
        for (int j = 0; j < len; j++) {
            int c = d[off + j] & 0xff;
            out.append(c >= 0x20 && c <= 0x7e ? (char) c : '.');
        }
        if (out.length() > MAX_BUFFER_OUTPUT) {
            out.setLength(MAX_BUFFER_OUTPUT);
            out.setCharAt(MAX_BUFFER_OUTPUT - 3, '.');
            out.setCharAt(MAX_BUFFER_OUTPUT - 2, '.');
            out.setCharAt(MAX_BUFFER_OUTPUT - 1, '.');
        }
        return out.toString();
    }

    /** A PT_SOCKADDR value: "NULL", a unix path, "ip:port" or "family N". */
    public static String sockaddr(byte[] p, boolean unused) {
        if (p == null || p.length == 0) {
            return "NULL";
        }
        int family = p[0];
        if (family == 1) {
            return PathResolver.sanitize(cString(p, 1));
        }
        if (family == 2) {
            if (p.length == 7) {
                return Addresses.ipv4(EventParams.slice(p, 1, 4)) + ":" + EventParams.u16(p, 5);
            }
            return "INVALID IPv4";
        }
        if (family == 10) {
            if (p.length == 19) {
                return Addresses.ipv6(EventParams.slice(p, 1, 16)) + ":" + EventParams.u16(p, 17);
            }
            return "INVALID IPv6";
        }
        return "family " + family;
    }

    /** A PT_SOCKTUPLE value: "NULL", "a:p->b:q", or unix "src->dst path". */
    public static String socktuple(byte[] p, int l4proto) {
        if (p == null || p.length == 0) {
            return "NULL";
        }
        int family = p[0];
        if (family == 2) {
            if (p.length == 13) {
                return Addresses.ipv4(EventParams.slice(p, 1, 4)) + ":" + EventParams.u16(p, 5) + "->"
                        + Addresses.ipv4(EventParams.slice(p, 7, 4)) + ":" + EventParams.u16(p, 11);
            }
            return "INVALID IPv4";
        }
        if (family == 10) {
            if (p.length == 37) {
                if (Addresses.isIpv4MappedIpv6(p, 1) && Addresses.isIpv4MappedIpv6(p, 19)) {
                    return Addresses.ipv4(EventParams.slice(p, 13, 4)) + ":" + EventParams.u16(p, 17) + "->"
                            + Addresses.ipv4(EventParams.slice(p, 31, 4)) + ":" + EventParams.u16(p, 35);
                }
                return Addresses.ipv6(EventParams.slice(p, 1, 16)) + ":" + EventParams.u16(p, 17) + "->"
                        + Addresses.ipv6(EventParams.slice(p, 19, 16)) + ":" + EventParams.u16(p, 35);
            }
            return "INVALID IPv6";
        }
        if (family == 1) {
            if (p.length < 17) {
                return "";
            }
            return Long.toHexString(EventParams.u64(p, 1)) + "->" + Long.toHexString(EventParams.u64(p, 9)) + " "
                    + PathResolver.sanitize(cString(p, 17));
        }
        return "family " + family;
    }

    private String fdList(byte[] d, int off, int len) {
        ThreadInfo t = context.thread();
        if (t == null || len < 2) {
            return "";
        }
        int n = EventParams.u16(d, off);
        int pos = off + 2;
        StringBuilder out = new StringBuilder();
        java.util.Map<Long, FdInfo> table = context.engine().fdTable(t);
        for (int j = 0; j < n && pos + 10 <= off + len; j++) {
            long fd = EventParams.u64(d, pos);
            FdInfo info = table == null ? null : table.get(fd);
            char tch = info == null ? '?' : info.type.typeChar();
            int flags = (short) EventParams.u16(d, pos + 8);
            out.append(Long.toUnsignedString(fd)).append(':').append(tch).append(Integer.toHexString(flags));
            if (j < n - 1) {
                out.append(' ');
            }
            pos += 10;
        }
        return out.toString();
    }

    private static String cString(byte[] d, int off, int len) {
        int end = off;
        while (end < off + len && d[end] != 0) {
            end++;
        }
        return new String(d, off, end - off, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String cString(byte[] p, int from) {
        int end = from;
        while (end < p.length && p[end] != 0) {
            end++;
        }
        return new String(p, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
    }
}

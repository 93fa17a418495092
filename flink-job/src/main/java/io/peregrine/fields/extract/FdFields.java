package io.peregrine.fields.extract;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.state.EventContext;
import io.peregrine.state.EventParams;
import io.peregrine.state.FdInfo;
import io.peregrine.state.FdType;
import io.peregrine.state.PathResolver;
import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The {@code fd.*} and {@code fdlist.*} fields (libsinsp's sinsp_filter_check_fd and fdlist). */
final class FdFields {

    private FdFields() {
    }

    /** The fd-related view of an event: null when the event does not concern descriptors. */
    private record FdView(ThreadInfo thread, FdInfo fd) {
    }

    /** libsinsp's extract_fd: only fd-creating/using/destroying events have fd fields. */
    private static FdView view(EventContext c) {
        EventInfo info = c.info();
        if (info == null || (info.flags() & (EventInfo.EF_CREATES_FD | EventInfo.EF_USES_FD
                | EventInfo.EF_DESTROYS_FD)) == 0) {
            return null;
        }
        ThreadInfo t = c.thread();
        if (t == null) {
            return null;
        }
        FdInfo fd = c.fd();
        if (fd == null && t.lastEventFd != -1) {
            fd = c.engine().fd(t, t.lastEventFd);
        }
        return new FdView(t, fd);
    }

    private interface FdValue {
        Object apply(EventContext c, FdView v);
    }

    private static Extractor fd(FieldDefinition d, FdValue f) {
        return Extractor.of(d, c -> {
            FdView v = view(c);
            return v == null ? null : f.apply(c, v);
        });
    }

    /** A value that needs the fd itself. */
    private interface FdInfoValue {
        Object apply(EventContext c, FdInfo fd, FdView v);
    }

    private static Extractor withFd(FieldDefinition d, FdInfoValue f) {
        return fd(d, (c, v) -> v.fd() == null ? null : f.apply(c, v.fd(), v));
    }

    /**
     * A filter-only "either end" field ({@code fd.ip}, {@code fd.port}...): a list, so that a check
     * matches when any end does; a server socket has only its own end, kept as the source.
     */
    private static Extractor eitherEnd(FieldDefinition d, Function<FdInfo, Object> source,
            Function<FdInfo, Object> destination) {
        return Extractor.of(d, d.type(), true, c -> {
            FdView v = view(c);
            FdInfo fd = v == null ? null : v.fd();
            if (fd == null) {
                return null;
            }
            if (fd.type.isServerSocket()) {
                return List.of(source.apply(fd));
            }
            return fd.type.isIpSocket() ? List.of(source.apply(fd), destination.apply(fd)) : null;
        });
    }

    static FieldExtractor create(FieldDefinition d, String arg) {
        switch (d.name()) {
            case "fd.num":
                return fd(d, (c, v) -> v.thread().lastEventFd);
            case "fd.type":
                return withFd(d, (c, fd, v) -> fd.type.typeName());
            case "fd.typechar":
                return fd(d, (c, v) -> v.fd() == null ? nullFdTypeChar(c) : String.valueOf(v.fd().type.typeChar()));
            case "fd.name":
                return fd(d, (c, v) -> name(c, v));
            case "fd.nameraw":
                return fd(d, (c, v) -> v.fd() == null ? null : v.fd().nameRaw);
            case "fd.containername":
                return fd(d, (c, v) -> {
                    String n = name(c, v);
                    return n == null ? null : v.thread().containerId + ":" + n;
                });
            case "fd.directory":
            case "fd.containerdirectory":
                return fd(d, (c, v) -> {
                    String dir = directory(c, v);
                    if (dir == null) {
                        return null;
                    }
                    return d.name().equals("fd.containerdirectory") ? v.thread().containerId + ":" + dir : dir;
                });
            case "fd.filename":
                return fd(d, (c, v) -> filename(c, v));
            case "fd.ip":
            case "fd.net":
                return eitherEnd(d, fd -> ip(fd.sip, fd), fd -> ip(fd.dip, fd));
            case "fd.cip":
            case "fd.cnet":
                return withFd(d, (c, fd, v) -> !fd.isRoleNone() && fd.type.isIpSocket() ? ip(fd.sip, fd) : null);
            case "fd.sip":
            case "fd.snet":
                return withFd(d, (c, fd, v) -> {
                    if (fd.isRoleNone()) {
                        return null;
                    }
                    if (fd.type.isIpSocket()) {
                        return ip(fd.dip, fd);
                    }
                    return fd.type.isServerSocket() ? ip(fd.sip, fd) : null;
                });
            case "fd.lip":
            case "fd.lnet":
                return withFd(d, (c, fd, v) -> localRemote(c, fd, true, false));
            case "fd.rip":
            case "fd.rnet":
                return withFd(d, (c, fd, v) -> localRemote(c, fd, false, false));
            case "fd.port":
            case "fd.proto":
                return eitherEnd(d, fd -> (long) fd.sport, fd -> (long) fd.dport);
            case "fd.cport":
                // libsinsp falls through to fd.cproto for non-IP descriptors: an empty string read as port 0.
                return withFd(d, (c, fd, v) -> fd.isRoleNone() ? null : fd.type.isIpSocket() ? (long) fd.sport : 0L);
            case "fd.sport":
                return withFd(d, (c, fd, v) -> serverPort(fd));
            case "fd.lport":
                return withFd(d, (c, fd, v) -> localRemote(c, fd, true, true));
            case "fd.rport":
                return withFd(d, (c, fd, v) -> localRemote(c, fd, false, true));
            case "fd.cproto":
                return withFd(d, (c, fd, v) -> fd.isRoleNone() ? null : fd.type.isIpSocket() ? Long.toString(fd.sport) : "");
            case "fd.sproto":
                return withFd(d, (c, fd, v) -> {
                    Long p = serverPort(fd);
                    if (p == null) {
                        return null;
                    }
                    return fd.type.isIpSocket() ? Long.toString(p) : "";
                });
            case "fd.lproto":
                return withFd(d, (c, fd, v) -> {
                    Object p = localRemote(c, fd, true, true);
                    return p == null ? null : p.toString();
                });
            case "fd.rproto":
                return withFd(d, (c, fd, v) -> {
                    Object p = localRemote(c, fd, false, true);
                    return p == null ? null : p.toString();
                });
            case "fd.l4proto":
                return withFd(d, (c, fd, v) -> l4proto(fd));
            case "fd.sockfamily":
                return withFd(d, (c, fd, v) -> fd.type.isIpSocket() || fd.type.isServerSocket() ? "ip"
                        : fd.type == FdType.UNIX_SOCK ? "unix" : null);
            case "fd.is_server":
                return withFd(d, (c, fd, v) -> {
                    if (fd.type.isServerSocket()) {
                        return true;
                    }
                    if (fd.type.isIpSocket()) {
                        return c.engine().isLocalAddress(ip(fd.dip, fd), c.thread());
                    }
                    return false;
                });
            case "fd.uid":
                return fd(d, (c, v) -> c.info().name().equals("container") ? null
                        : Long.toString(v.thread().tid) + v.thread().lastEventFd);
            case "fd.connected":
                return withFd(d, (c, fd, v) -> fd.hasFlag(FdInfo.FLAG_SOCKET_CONNECTED));
            case "fd.name_changed":
                return withFd(d, (c, fd, v) -> c.fdNameChanged());
            case "fd.cip.name":
            case "fd.sip.name":
            case "fd.lip.name":
            case "fd.rip.name":
                return withFd(d, (c, fd, v) -> null);
            case "fd.dev":
                return withFd(d, (c, fd, v) -> (long) fd.dev);
            case "fd.dev.major":
                // The driver reports the userspace encoding (new_encode_dev): major in bits 8-19.
                return withFd(d, (c, fd, v) -> (long) ((fd.dev & 0xfff00) >>> 8));
            case "fd.dev.minor":
                return withFd(d, (c, fd, v) -> (long) ((fd.dev & 0xff) | ((fd.dev >>> 12) & 0xfff00)));
            case "fd.types":
                return typesList(d, arg);
            case "fdlist.nums":
            case "fdlist.names":
            case "fdlist.cips":
            case "fdlist.sips":
            case "fdlist.cports":
            case "fdlist.sports":
                return fdList(d);
            default:
                return Extractor.of(d, c -> null);
        }
    }

    private static byte[] ip(byte[] a, FdInfo fd) {
        if (a != null) {
            return a;
        }
        return fd.type == FdType.IPV6_SOCK || fd.type == FdType.IPV6_SERVSOCK ? new byte[16] : new byte[4];
    }

    private static Long serverPort(FdInfo fd) {
        if (fd.type.isIpSocket()) {
            return fd.isRoleNone() ? null : (long) fd.dport;
        }
        if (fd.type.isServerSocket()) {
            return (long) fd.sport;
        }
        return null;
    }

    /** fd.lip/rip/lport/rport: local is the source when the source address is one of the machine's. */
    private static Object localRemote(EventContext c, FdInfo fd, boolean local, boolean port) {
        if (!fd.type.isIpSocket() || fd.isRoleNone()) {
            return null;
        }
        boolean sourceIsLocal = c.engine().isLocalAddress(ip(fd.sip, fd), c.thread());
        boolean useSource = local == sourceIsLocal;
        if (port) {
            return (long) (useSource ? fd.sport : fd.dport);
        }
        return ip(useSource ? fd.sip : fd.dip, fd);
    }

    static String l4proto(FdInfo fd) {
        return switch (fd.l4proto()) {
            case FdInfo.L4_TCP -> "tcp";
            case FdInfo.L4_UDP -> "udp";
            case FdInfo.L4_ICMP -> "icmp";
            case FdInfo.L4_RAW -> "raw";
            default -> "<NA>";
        };
    }

    private static String name(EventContext c, FdView v) {
        FdInfo fd = v.fd();
        if (fd == null) {
            return nameFromCreator(c);
        }
        if (c.info().name().equals("connect") && !c.info().enter()
                && EventParams.signedAt(c.event(), 0, 0) < 0) {
            return nameFromCreator(c);
        }
        return PathResolver.sanitize(fd.name);
    }

    /** libsinsp's extract_fdname_from_creator: a failed creating call still names its target. */
    private static String nameFromCreator(EventContext c) {
        EventInfo info = c.info();
        Event e = c.event();
        if (info.enter()) {
            return null;
        }
        String enumName = EventTable.enumName(e.type());
        switch (enumName == null ? "" : enumName) {
            case "PPME_SYSCALL_OPEN_X", "PPME_SOCKET_ACCEPT_X", "PPME_SOCKET_ACCEPT_5_X", "PPME_SOCKET_ACCEPT4_X",
                    "PPME_SOCKET_ACCEPT4_5_X", "PPME_SYSCALL_CREAT_X", "PPME_SOCKET_CONNECT_X": {
                if (e.paramCount() < 2) {
                    return "";
                }
                String value = c.params().value(e, 1);
                String resolved = c.params().resolved();
                return resolved.isEmpty() ? value : resolved;
            }
            case "PPME_SYSCALL_OPENAT_X", "PPME_SYSCALL_OPENAT_2_X", "PPME_SYSCALL_OPENAT2_X": {
                Event source = e;
                int nameIndex = 2;
                int dirIndex = 1;
                if (enumName.equals("PPME_SYSCALL_OPENAT_X")) {
                    source = c.enterEvent();
                    if (source == null) {
                        return null;
                    }
                    nameIndex = 1;
                    dirIndex = 0;
                }
                if (source.paramCount() <= nameIndex || c.thread() == null || !EventParams.isInteger(source, dirIndex)) {
                    return null;
                }
                String path = source.paramString(nameIndex);
                long dirfd = source.paramLong(dirIndex, true);
                String dir = c.engine().directoryOf(c.thread(), path, dirfd);
                return PathResolver.sanitize(PathResolver.concatenate(dir, path));
            }
            default:
                return "";
        }
    }

    private static String directory(EventContext c, FdView v) {
        FdInfo fd = v.fd();
        String name;
        if (fd == null) {
            name = nameFromCreator(c);
            if (name == null) {
                return null;
            }
            return parentDirectory(name);
        }
        if (!(fd.type.isFile() || fd.type == FdType.DIRECTORY)) {
            return null;
        }
        name = PathResolver.sanitize(fd.name);
        return fd.type.isFile() ? parentDirectory(name) : name;
    }

    private static String parentDirectory(String name) {
        int pos = name.lastIndexOf('/');
        if (pos > 0) {
            return pos < name.length() - 1 ? name.substring(0, pos) : name;
        }
        return "/";
    }

    private static String filename(EventContext c, FdView v) {
        FdInfo fd = v.fd();
        if (fd == null) {
            String enumName = EventTable.enumName(c.event().type());
            boolean openEnter = "PPME_SYSCALL_OPEN_E".equals(enumName) || "PPME_SYSCALL_OPENAT_E".equals(enumName)
                    || "PPME_SYSCALL_OPENAT_2_E".equals(enumName) || "PPME_SYSCALL_OPENAT2_E".equals(enumName)
                    || "PPME_SYSCALL_CREAT_E".equals(enumName);
            if (!openEnter) {
                return null;
            }
            String name = nameFromCreator(c);
            if (name == null) {
                return null;
            }
            int pos = name.lastIndexOf('/');
            return pos >= 0 && pos < name.length() - 1 ? name.substring(pos + 1) : name;
        }
        if (!fd.type.isFile()) {
            return null;
        }
        String name = PathResolver.sanitize(fd.name);
        int pos = name.lastIndexOf('/');
        if (pos >= 0) {
            return pos < name.length() - 1 ? name.substring(pos + 1) : name;
        }
        return "/";
    }

    /** fd.typechar without an fd: guessed from the creating syscall, as libsinsp does. */
    private static String nullFdTypeChar(EventContext c) {
        EventInfo info = c.info();
        String name = info.name();
        return switch (name) {
            case "open", "openat", "openat2", "creat" -> "f";
            case "socket", "accept", "accept4" -> "4";
            case "pipe" -> "p";
            case "eventfd" -> "e";
            case "signalfd" -> "s";
            case "timerfd_create" -> "t";
            case "inotify_init" -> "i";
            default -> "o";
        };
    }

    /** fd.types (newer libs): the types of the descriptors the event uses. */
    private static FieldExtractor typesList(FieldDefinition d, String arg) {
        return Extractor.of(d, FieldType.STRING, true, c -> {
            FdView v = view(c);
            if (v == null || v.fd() == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            out.add(v.fd().type.typeName());
            return out;
        });
    }

    /** fdlist.*: the descriptors of poll-style events, comma separated. */
    private static FieldExtractor fdList(FieldDefinition d) {
        String what = d.name().substring("fdlist.".length());
        return Extractor.of(d, c -> {
            Event e = c.event();
            EventInfo info = c.info();
            ThreadInfo t = c.thread();
            if (info == null || t == null) {
                return null;
            }
            int index = EventParams.index(e, "fds");
            if (index < 0 || !(info.name().equals("poll") || info.name().equals("ppoll"))) {
                return null;
            }
            byte[] d0 = e.data();
            int off = e.paramOffset(index);
            int len = e.paramLength(index);
            if (len < 2) {
                return null;
            }
            int n = EventParams.u16(d0, off);
            Map<Long, FdInfo> table = c.engine().fdTable(t);
            StringBuilder out = new StringBuilder();
            int pos = off + 2;
            for (int j = 0; j < n && pos + 10 <= off + len; j++, pos += 10) {
                long fdNum = EventParams.u64(d0, pos);
                FdInfo fd = table == null ? null : table.get(fdNum);
                String item = switch (what) {
                    case "nums" -> Long.toString(fdNum);
                    case "names" -> fd == null ? null : fd.name;
                    case "cips" -> fd != null && fd.type.isIpSocket() ? io.peregrine.state.Addresses.ip(ip(fd.sip, fd)) : null;
                    case "sips" -> fd != null && fd.type.isIpSocket() ? io.peregrine.state.Addresses.ip(ip(fd.dip, fd)) : null;
                    case "cports" -> fd != null && fd.type.isIpSocket() ? Long.toString(fd.sport) : null;
                    case "sports" -> fd != null && fd.type.isIpSocket() ? Long.toString(fd.dport) : null;
                    default -> null;
                };
                if (item == null) {
                    continue;
                }
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(item);
            }
            return out.length() == 0 ? null : out.toString();
        });
    }
}

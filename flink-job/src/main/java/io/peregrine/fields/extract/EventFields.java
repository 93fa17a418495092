package io.peregrine.fields.extract;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.event.ParamInfo;
import io.peregrine.event.ParamType;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.state.EventContext;
import io.peregrine.state.EventParams;
import io.peregrine.state.FdInfo;
import io.peregrine.state.FdType;
import io.peregrine.state.PathResolver;
import io.peregrine.state.SyscallNames;
import io.peregrine.state.ThreadInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;

/** The {@code evt.*} and {@code syscall.type} fields (libsinsp's sinsp_filter_check_event and gen_event). */
final class EventFields {

    private static final long SECOND = 1_000_000_000L;
    private static final int S_IX_ALL = 0100 | 010 | 01;
    private static final int O_RDONLY = 1;
    private static final int O_WRONLY = 2;
    private static final int O_CREAT = 1 << 2;
    private static final int O_TMPFILE = 1 << 13;

    private EventFields() {
    }

    static FieldExtractor create(FieldDefinition d, String arg) throws UnknownFieldException {
        String name = d.name();
        switch (name) {
            case "evt.num":
                return Extractor.of(d, c -> c.number());
            case "evt.time":
                return Extractor.of(d, c -> time(c.event().timestampNs(), false, true));
            case "evt.time.s":
                return Extractor.of(d, c -> time(c.event().timestampNs(), false, false));
            case "evt.time.iso8601":
                return Extractor.of(d, c -> iso8601(c.event().timestampNs()));
            case "evt.datetime":
                return Extractor.of(d, c -> time(c.event().timestampNs(), true, true));
            case "evt.datetime.s":
                return Extractor.of(d, c -> time(c.event().timestampNs(), true, false));
            case "evt.rawtime":
                return Extractor.of(d, c -> c.event().timestampNs());
            case "evt.rawtime.s":
                return Extractor.of(d, c -> Long.divideUnsigned(c.event().timestampNs(), SECOND));
            case "evt.rawtime.ns":
                return Extractor.of(d, c -> Long.remainderUnsigned(c.event().timestampNs(), SECOND));
            case "evt.reltime":
                return Extractor.of(d, c -> relative(c));
            case "evt.reltime.s":
                return Extractor.of(d, c -> Long.divideUnsigned(relative(c), SECOND));
            case "evt.reltime.ns":
                return Extractor.of(d, c -> Long.remainderUnsigned(relative(c), SECOND));
            case "evt.pluginname":
            case "evt.plugininfo":
            case "evt.hostname":
                return Extractor.of(d, c -> null);
            case "evt.latency":
                return Extractor.of(d, c -> latency(c));
            case "evt.latency.s":
                return Extractor.of(d, c -> map(latency(c), v -> v / SECOND));
            case "evt.latency.ns":
                return Extractor.of(d, c -> map(latency(c), v -> v % SECOND));
            case "evt.latency.human":
                return new HumanLatency(d);
            case "evt.deltatime":
            case "evt.deltatime.s":
            case "evt.deltatime.ns":
                return new DeltaTime(d);
            case "evt.dir":
                return Extractor.of(d, c -> c.info() == null ? null : c.info().enter() ? ">" : "<");
            case "evt.type":
                return Extractor.of(d, c -> typeName(c.event()));
            case "evt.type.is":
                return typeIs(d, arg);
            case "syscall.type":
                return Extractor.of(d, c -> syscallType(c));
            case "evt.category":
                return Extractor.of(d, c -> category(c));
            case "evt.cpu":
                return Extractor.of(d, c -> (long) c.event().cpu());
            case "evt.args":
            case "evt.info":
                return Extractor.of(d, c -> c.info() == null ? null : c.params().allArgs(c.event()));
            case "evt.arg":
                return argument(d, arg);
            case "evt.rawarg":
                return rawArgument(d, arg);
            case "evt.buffer":
                return Extractor.of(d, c -> buffer(c));
            case "evt.buflen":
                return Extractor.of(d, c -> c.fd() != null && isIo(c.info()) ? bufferLength(c) : null);
            case "evt.res":
                return Extractor.of(d, c -> result(c));
            case "evt.rawres":
                return Extractor.of(d, c -> rawResult(c.event()));
            case "evt.failed":
                return Extractor.of(d, c -> {
                    Long r = rawResult(c.event());
                    return r != null && r < 0;
                });
            case "evt.is_io":
                return flag(d, EventInfo.EF_READS_FROM_FD | EventInfo.EF_WRITES_TO_FD);
            case "evt.is_io_read":
                return flag(d, EventInfo.EF_READS_FROM_FD);
            case "evt.is_io_write":
                return flag(d, EventInfo.EF_WRITES_TO_FD);
            case "evt.io_dir":
                return Extractor.of(d, c -> c.info() == null ? null
                        : c.info().hasFlag(EventInfo.EF_WRITES_TO_FD) ? "write"
                        : c.info().hasFlag(EventInfo.EF_READS_FROM_FD) ? "read" : null);
            case "evt.is_wait":
                return flag(d, EventInfo.EF_WAITS);
            case "evt.wait_latency":
                return Extractor.of(d, c -> c.info() != null && c.info().hasFlag(EventInfo.EF_WAITS) && !c.info().enter()
                        ? (c.parsedThread() == null ? 0L : c.parsedThread().latencyNs) : null);
            case "evt.is_syslog":
                return Extractor.of(d, c -> c.info() != null && c.info().hasFlag(EventInfo.EF_WRITES_TO_FD)
                        && c.fd() != null && c.fd().name.contains("/dev/log"));
            case "evt.count":
                return Extractor.of(d, c -> 1L);
            case "evt.count.error":
                return Extractor.of(d, c -> errorCount(c));
            case "evt.count.error.file":
                return Extractor.of(d, c -> errorCountFile(c));
            case "evt.count.error.net":
                return Extractor.of(d, c -> errorCountNet(c));
            case "evt.count.error.memory":
                return Extractor.of(d, c -> c.info() != null && c.info().category().equals("memory") ? errorCount(c) : null);
            case "evt.count.error.other":
                return Extractor.of(d, c -> errorCountOther(c));
            case "evt.count.exit":
                return Extractor.of(d, c -> c.info() != null && !c.info().enter() ? 1L : null);
            case "evt.around":
                return Extractor.of(d, c -> c.event().timestampNs());
            case "evt.abspath":
                return Extractor.of(d, c -> absolutePath(c, arg));
            case "evt.is_open_read":
                return openCheck(d, 0);
            case "evt.is_open_write":
                return openCheck(d, 1);
            case "evt.is_open_exec":
                return openCheck(d, 2);
            default:
                return Extractor.of(d, c -> null);
        }
    }

    private interface LongMap {
        long apply(long v);
    }

    private static Long map(Long v, LongMap f) {
        return v == null ? null : f.apply(v);
    }

    private static Extractor flag(FieldDefinition d, int mask) {
        return Extractor.of(d, c -> c.info() != null && (c.info().flags() & mask) != 0);
    }

    /** The last whole second formatted, per kind: timestamps arrive in order, so most calls reuse it. */
    private static final ThreadLocal<String[]> LAST_SECOND = ThreadLocal.withInitial(() -> new String[5]);
    private static final ThreadLocal<long[]> LAST_SECOND_KEY = ThreadLocal.withInitial(() -> new long[] {-1, -1, -1, -1, -1});
    private static final ZoneId LOCAL = ZoneId.systemDefault();
    private static final ZoneId UTC = ZoneId.of("UTC");

    /** libsinsp's ts_to_string: local time of day, optionally with the date and nanoseconds. */
    static String time(long ts, boolean date, boolean ns) {
        int kind = date ? 1 : 0;
        String prefix = secondText(Long.divideUnsigned(ts, SECOND), kind);
        return ns ? prefix + "." + nine(Long.remainderUnsigned(ts, SECOND)) : prefix;
    }

    /** libsinsp's ts_to_iso_8601 (always UTC). */
    static String iso8601(long ts) {
        return secondText(Long.divideUnsigned(ts, SECOND), 2) + "." + nine(Long.remainderUnsigned(ts, SECOND)) + "+0000";
    }

    private static String secondText(long second, int kind) {
        long[] keys = LAST_SECOND_KEY.get();
        String[] texts = LAST_SECOND.get();
        if (keys[kind] == second) {
            return texts[kind];
        }
        ZonedDateTime t = Instant.ofEpochSecond(second).atZone(kind == 2 ? UTC : LOCAL);
        StringBuilder out = new StringBuilder(24);
        if (kind >= 1) {
            pad(out, t.getYear(), 4).append('-');
            pad(out, t.getMonthValue(), 2).append('-');
            pad(out, t.getDayOfMonth(), 2).append(kind == 2 ? 'T' : ' ');
        }
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        keys[kind] = second;
        texts[kind] = out.toString();
        return texts[kind];
    }

    private static StringBuilder pad(StringBuilder out, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(s);
    }

    private static String nine(long ns) {
        return pad(new StringBuilder(9), ns, 9).toString();
    }

    private static long relative(EventContext c) {
        return c.event().timestampNs() - c.engine().firstEventTs();
    }

    private static Long latency(EventContext c) {
        ThreadInfo t = c.parsedThread();
        if (t == null) {
            return 0L;
        }
        if (c.info() != null && c.info().category().equals("internal")) {
            return null;
        }
        return t.latencyNs;
    }

    /** libsinsp's format_time: the short human form of a duration. */
    static String humanTime(long v) {
        if (v >= 3600 * SECOND) {
            return String.format("%02d:%02d:%02d", v / (3600 * SECOND), (v / (60 * SECOND)) % 60, (v / SECOND) % 60);
        } else if (v >= 60 * SECOND) {
            return (v / (60 * SECOND)) + ":" + ((v / SECOND) % 60);
        } else if (v >= SECOND) {
            return String.format("%d.%02ds", v / SECOND, (v % SECOND) / 10_000_000);
        } else if (v >= SECOND / 100) {
            return (v / 1_000_000) + "ms";
        } else if (v >= SECOND / 1000) {
            return String.format("%d.%02dms", v / 1_000_000, (v % 1_000_000) / 10_000);
        } else if (v >= SECOND / 100000) {
            return (v / 1000) + "us";
        } else if (v >= SECOND / 1000000) {
            return String.format("%d.%02dus", v / 1000, (v % 1000) / 10);
        }
        return v + "ns";
    }

    /** evt.latency.human; like libsinsp it repeats its previous text for events without a thread. */
    private static final class HumanLatency extends Extractor {
        private String last = "";

        HumanLatency(FieldDefinition d) {
            super(d, d.type(), false);
        }

        @Override
        protected Object extract(EventContext c) {
            if (c.parsedThread() == null) {
                return last;
            }
            Long l = latency(c);
            if (l == null) {
                return null;
            }
            last = humanTime(l);
            return last;
        }
    }

    /** evt.deltatime: the time since the previous event this extractor saw (libsinsp keeps it per check). */
    private static final class DeltaTime extends Extractor {
        private long last;
        private final String name;

        DeltaTime(FieldDefinition d) {
            super(d, d.type(), false);
            this.name = d.name();
        }

        @Override
        protected Object extract(EventContext c) {
            long ts = c.event().timestampNs();
            long delta;
            if (last == 0) {
                last = ts;
                delta = 0;
            } else {
                // Unsigned, as libsinsp's uint64_t: an event older than the previous one wraps.
                long raw = ts - last;
                delta = name.endsWith(".s") ? Long.divideUnsigned(raw, SECOND)
                        : name.endsWith(".ns") ? Long.remainderUnsigned(raw, SECOND) : raw;
                last = ts;
            }
            return delta;
        }
    }

    static String typeName(Event e) {
        EventInfo info = e.info();
        if (info == null) {
            return "<unknown>";
        }
        if (info.name().equals("syscall")) {
            return SyscallNames.name(EventParams.signedAt(e, 0, -1));
        }
        return info.name();
    }

    private static Extractor typeIs(FieldDefinition d, String arg) {
        Set<Integer> ids = new HashSet<>();
        try {
            ids.add(Integer.parseInt(arg));
        } catch (NumberFormatException e) {
            for (EventInfo info : EventTable.named(arg)) {
                ids.add(info.id());
            }
        }
        return Extractor.of(d, c -> ids.contains(c.event().type()) ? 1L : 0L);
    }

    private static String syscallType(EventContext c) {
        EventInfo info = c.info();
        if (info == null || info.name().equals("switch") || info.category().equals("internal")
                || info.hasFlag(EventInfo.EF_SKIPPARSERESET)) {
            return null;
        }
        return typeName(c.event());
    }

    private static boolean isIo(EventInfo info) {
        return info != null && info.category().startsWith("io_");
    }

    static String category(EventContext c) {
        EventInfo info = c.info();
        if (info == null) {
            return "unknown";
        }
        String cat = info.category();
        if (info.name().equals("syscall")) {
            String syscallCategory = SyscallNames.category(EventParams.signedAt(c.event(), 0, -1));
            return syscallCategory.startsWith("io_") ? "unknown" : syscallCategory.equals("ipc") ? "IPC" : syscallCategory;
        }
        if (cat.startsWith("io_")) {
            FdInfo fd = c.fd();
            if (fd == null) {
                return "unknown";
            }
            switch (fd.type) {
                case FILE, FILE_V2, DIRECTORY:
                    return "file";
                case IPV4_SOCK, IPV6_SOCK, IPV4_SERVSOCK, IPV6_SERVSOCK:
                    return "net";
                case FIFO, UNIX_SOCK, EVENT, SIGNALFD, INOTIFY:
                    return "ipc";
                default:
                    return "unknown";
            }
        }
        return switch (cat) {
            case "ipc" -> "IPC";
            case "unknown", "other", "file", "net", "memory", "process", "sleep", "system", "signal", "user",
                    "time", "processing", "wait", "scheduler" -> cat;
            default -> "unknown";
        };
    }

    private static Extractor argument(FieldDefinition d, String arg) {
        boolean byIndex = arg.chars().allMatch(Character::isDigit);
        if (byIndex) {
            int index = Integer.parseInt(arg);
            return Extractor.of(d, c -> index < c.event().paramCount() && c.info() != null
                    && index < c.info().params().size() ? c.params().preferResolved(c.event(), index) : null);
        }
        return Extractor.of(d, c -> {
            int i = EventParams.index(c.event(), arg);
            return i < 0 || c.info() == null ? null : c.params().preferResolved(c.event(), i);
        });
    }

    private static FieldExtractor rawArgument(FieldDefinition d, String arg) throws UnknownFieldException {
        ParamType paramType = null;
        for (EventInfo info : EventTable.all()) {
            for (ParamInfo p : info.params()) {
                if (p.name().equals(arg)) {
                    paramType = p.type();
                    break;
                }
            }
            if (paramType != null) {
                break;
            }
        }
        if (paramType == null) {
            throw new UnknownFieldException("evt.rawarg." + arg, "unknown event argument '" + arg + "' in evt.rawarg." + arg);
        }
        FieldType type = rawType(paramType);
        return Extractor.of(d, type, false, c -> {
            int i = EventParams.index(c.event(), arg);
            if (i < 0) {
                return null;
            }
            Event e = c.event();
            ParamType actual = c.info().params().get(i).type();
            if (actual.size() > 0 && !EventParams.isInteger(e, i)) {
                return null;
            }
            return switch (rawType(actual)) {
                case INT64 -> e.paramLong(i, true);
                case UINT64, RELTIME, ABSTIME, PORT -> e.paramLong(i, false);
                case BOOL -> e.paramLong(i, false) != 0;
                case DOUBLE -> Double.longBitsToDouble(e.paramLong(i, false));
                case BYTES -> e.paramBytes(i);
                default -> e.paramString(i);
            };
        });
    }

    /** The field type evt.rawarg takes from a parameter type. */
    static FieldType rawType(ParamType t) {
        return switch (t) {
            case INT8, INT16, INT32, INT64, ERRNO, FD, PID -> FieldType.INT64;
            case UINT8, UINT16, UINT32, UINT64, FLAGS8, FLAGS16, FLAGS32, UID, GID, MODE, SIGTYPE, SYSCALLID,
                    SIGSET, ENUMFLAGS8, ENUMFLAGS16, ENUMFLAGS32, L4PROTO, SOCKFAMILY -> FieldType.UINT64;
            case RELTIME -> FieldType.RELTIME;
            case ABSTIME -> FieldType.ABSTIME;
            case PORT -> FieldType.PORT;
            case BOOL -> FieldType.BOOL;
            case DOUBLE -> FieldType.DOUBLE;
            case BYTEBUF, SOCKADDR, SOCKTUPLE, FDLIST -> FieldType.BYTES;
            case FSPATH, FSRELPATH -> FieldType.FSPATH;
            default -> FieldType.STRING;
        };
    }

    private static byte[] buffer(EventContext c) {
        int i = EventParams.index(c.event(), "data");
        if (i < 0 || c.info() == null || i >= c.info().params().size()) {
            return null;
        }
        if (c.info().params().get(i).type() == io.peregrine.event.ParamType.BYTEBUF) {
            return c.event().paramBytes(i);
        }
        // A "data" parameter of another type (ptrace's) reads as its rendered text.
        return c.params().value(c.event(), i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Long bufferLength(EventContext c) {
        if (c.info().enter()) {
            return null;
        }
        long res = EventParams.signedAt(c.event(), 0, -1);
        return res >= 0 ? res : null;
    }

    /** The "res" parameter, or for exit events that create an fd, the "fd" parameter. */
    static Long rawResult(Event e) {
        EventInfo info = e.info();
        if (info == null) {
            return null;
        }
        int i = EventParams.index(e, "res");
        if (i >= 0) {
            return EventParams.isInteger(e, i) ? e.paramLong(i, true) : null;
        }
        if (info.createsFd() && !info.enter()) {
            int f = EventParams.index(e, "fd");
            if (f >= 0 && EventParams.isInteger(e, f)) {
                return e.paramLong(f, true);
            }
        }
        return null;
    }

    private static String result(EventContext c) {
        Event e = c.event();
        Long res = rawResult(e);
        if (res == null) {
            return null;
        }
        if (res >= 0) {
            return "SUCCESS";
        }
        int i = EventParams.index(e, "res");
        if (i < 0) {
            i = EventParams.index(e, "fd");
        }
        String value = c.params().value(e, i);
        String resolved = c.params().resolved();
        return resolved.isEmpty() ? value : resolved;
    }

    private static Long errorCount(EventContext c) {
        Long res = rawResult(c.event());
        return res != null && res < 0 ? 1L : null;
    }

    private static boolean isOpenExit(String enumName) {
        return enumName.equals("PPME_SYSCALL_OPEN_X") || enumName.equals("PPME_SYSCALL_CREAT_X")
                || enumName.equals("PPME_SYSCALL_OPENAT_X") || enumName.equals("PPME_SYSCALL_OPENAT_2_X")
                || enumName.equals("PPME_SYSCALL_OPENAT2_X");
    }

    private static boolean isAcceptOrConnectExit(EventInfo info) {
        return !info.enter() && (info.name().equals("accept") || info.name().equals("accept4")
                || info.name().equals("connect"));
    }

    private static Long errorCountFile(EventContext c) {
        FdInfo fd = c.fd();
        if (fd != null) {
            return fd.type.isFile() || fd.type == FdType.DIRECTORY ? errorCount(c) : null;
        }
        return isOpenExit(EventTable.enumName(c.event().type())) ? errorCount(c) : null;
    }

    private static Long errorCountNet(EventContext c) {
        FdInfo fd = c.fd();
        if (fd != null) {
            return isNet(fd.type) ? errorCount(c) : null;
        }
        return c.info() != null && isAcceptOrConnectExit(c.info()) ? errorCount(c) : null;
    }

    private static boolean isNet(FdType t) {
        return t == FdType.IPV4_SOCK || t == FdType.IPV6_SOCK || t.isServerSocket() || t == FdType.UNIX_SOCK;
    }

    private static Long errorCountOther(EventContext c) {
        FdInfo fd = c.fd();
        if (fd != null) {
            return !(fd.type.isFile() || fd.type == FdType.DIRECTORY || isNet(fd.type)) ? errorCount(c) : null;
        }
        EventInfo info = c.info();
        if (info == null) {
            return null;
        }
        boolean excluded = isOpenExit(EventTable.enumName(c.event().type())) || isAcceptOrConnectExit(info)
                || info.category().equals("memory");
        return excluded ? null : errorCount(c);
    }

    private static Extractor openCheck(FieldDefinition d, int which) {
        return Extractor.of(d, c -> {
            Event e = c.event();
            String enumName = EventTable.enumName(e.type());
            boolean newVersion = "PPME_SYSCALL_OPENAT_2_X".equals(enumName) || "PPME_SYSCALL_OPENAT2_X".equals(enumName);
            if ("PPME_SYSCALL_OPEN_X".equals(enumName) || "PPME_SYSCALL_OPENAT_E".equals(enumName) || newVersion) {
                long flags = EventParams.signedAt(e, newVersion ? 3 : 2, 0);
                if (which == 0) {
                    return (flags & O_RDONLY) != 0;
                }
                if (which == 1) {
                    return (flags & O_WRONLY) != 0;
                }
                if ((flags & (O_TMPFILE | O_CREAT)) != 0) {
                    long mode = EventParams.signedAt(e, newVersion ? 4 : 3, 0);
                    return (mode & S_IX_ALL) != 0;
                }
                return false;
            }
            if (which == 2 && "PPME_SYSCALL_CREAT_X".equals(enumName)) {
                return (EventParams.signedAt(e, 2, 0) & S_IX_ALL) != 0;
            }
            return false;
        });
    }

    /**
     * evt.abspath: dirfd-relative paths of the *at calls made absolute, for exactly the event
     * versions libsinsp's extract_abspath knows (some are enter events: the old openat, linkat and
     * unlinkat carry their paths there). Like libsinsp it always appends '/' to the dirfd's name
     * (so a dirfd on "/" gives "//name") and names an unknown dirfd {@code <UNKNOWN>}.
     */
    private static String absolutePath(EventContext c, String side) {
        Event e = c.event();
        ThreadInfo t = c.thread();
        String enumName = EventTable.enumName(e.type());
        if (t == null || enumName == null) {
            return null;
        }
        boolean dst = "dst".equals(side);
        String dirParam;
        String pathParam;
        switch (enumName) {
            case "PPME_SYSCALL_RENAMEAT_X", "PPME_SYSCALL_RENAMEAT2_X" -> {
                dirParam = dst ? "newdirfd" : "olddirfd";
                pathParam = dst ? "newpath" : "oldpath";
            }
            case "PPME_SYSCALL_SYMLINKAT_X" -> {
                dirParam = "linkdirfd";
                pathParam = "linkpath";
            }
            case "PPME_SYSCALL_LINKAT_E", "PPME_SYSCALL_LINKAT_2_X" -> {
                dirParam = dst ? "newdir" : "olddir";
                pathParam = dst ? "newpath" : "oldpath";
            }
            case "PPME_SYSCALL_OPENAT_E", "PPME_SYSCALL_OPENAT_2_X", "PPME_SYSCALL_OPENAT2_X",
                    "PPME_SYSCALL_UNLINKAT_E", "PPME_SYSCALL_UNLINKAT_2_X" -> {
                dirParam = "dirfd";
                pathParam = "name";
            }
            case "PPME_SYSCALL_MKDIRAT_X" -> {
                dirParam = "dirfd";
                pathParam = "path";
            }
            case "PPME_SYSCALL_FCHMODAT_X", "PPME_SYSCALL_FCHOWNAT_X" -> { // fchownat: newer libs (9.1.0) only
                dirParam = "dirfd";
                pathParam = EventParams.index(e, "pathname") >= 0 ? "pathname" : "filename";
            }
            default -> {
                return null;
            }
        }
        String path = EventParams.string(e, pathParam);
        long dirfd = EventParams.signed(e, dirParam, Long.MIN_VALUE);
        if (path == null || dirfd == Long.MIN_VALUE) {
            return null;
        }
        String dir;
        if (path.startsWith("/")) {
            dir = "";
        } else if (dirfd == -100) {
            dir = c.engine().cwd(t);
        } else {
            FdInfo dirInfo = c.engine().fdTable(t) == null ? null : c.engine().fdTable(t).get(dirfd);
            dir = dirInfo == null ? "<UNKNOWN>/" : dirInfo.name + "/";
        }
        return PathResolver.concatenate(dir, path);
    }
}

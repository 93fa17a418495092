package io.peregrine.state;

import io.peregrine.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link ThreadInfo} with its fd table and pending enter event: the job keeps
 * one such record per tracked thread in keyed state (RocksDB), so its size is the state's size.
 *
 * <h2>Format</h2>
 * A format version byte, then the fields in the fixed order of {@link #writeThread} /
 * {@link #writeFd} (fds by number, so equal threads give equal bytes), each as a zig-zag varint, a boolean byte, a length-prefixed byte array or a
 * string (back-referenced when repeated within the record; see {@link CompactOutput}). Nulls are
 * kept: count -1 for collections and arrays, tag 0 for strings, 0 for an absent fd or event.
 *
 * <h2>Evolution</h2>
 * A change to the layout gets a new version byte; {@link #decode} keeps a reader for every version
 * a savepoint may still hold (giving new fields their defaults), and {@link #encode} always writes
 * the newest. Version bytes 0xAC and up are reserved: 0xAC opens the Java serialisation stream the
 * job stored before this codec (read by the job's legacy reader).
 *
 * <p>Why hand-written rather than Avro: the record is a mutable engine object that would need a
 * conversion layer into generated classes either way, and the hot path (one encode per touched
 * thread per batch) gains from writing the object directly; the version byte gives the same
 * freedom to evolve that a stored writer schema would, at one byte instead of a schema id.
 */
public final class ThreadInfoCodec {

    /** The layout {@link #encode} writes. */
    public static final int VERSION_1 = 1;

    private ThreadInfoCodec() {
    }

    public static byte[] encode(ThreadInfo t) {
        CompactOutput out = new CompactOutput();
        out.writeByte(VERSION_1);
        writeThread(out, t);
        return out.toByteArray();
    }

    /** Reads any version this codec ever wrote; malformed input is an IllegalArgumentException with the offset. */
    public static ThreadInfo decode(byte[] stored) {
        if (stored == null || stored.length == 0) {
            throw new IllegalArgumentException("stored thread: empty record");
        }
        CompactInput in = new CompactInput(stored, 1);
        int version = stored[0] & 0xFF;
        if (version != VERSION_1) {
            throw new IllegalArgumentException("stored thread: unknown format version " + version + " at byte offset 0");
        }
        ThreadInfo t = readThread(in);
        if (!in.atEnd()) {
            throw in.error("trailing bytes after the thread");
        }
        return t;
    }

    private static void writeThread(CompactOutput out, ThreadInfo t) {
        out.writeLong(t.tid);
        out.writeLong(t.pid);
        out.writeLong(t.ptid);
        out.writeLong(t.sid);
        out.writeLong(t.vpgid);
        out.writeLong(t.vtid);
        out.writeLong(t.vpid);
        out.writeString(t.comm);
        out.writeString(t.exe);
        out.writeString(t.exePath);
        writeStrings(out, t.args);
        writeStrings(out, t.env);
        out.writeCount(t.cgroups, t.cgroups == null ? 0 : t.cgroups.size());
        if (t.cgroups != null) {
            for (String[] pair : t.cgroups) {
                out.writeCount(pair, pair == null ? 0 : pair.length);
                if (pair != null) {
                    for (String s : pair) {
                        out.writeString(s);
                    }
                }
            }
        }
        out.writeString(t.containerId);
        out.writeString(t.root);
        out.writeLong(t.fdLimit);
        out.writeLong(t.flags);
        out.writeLong(t.uid);
        out.writeLong(t.gid);
        out.writeLong(t.loginUid);
        out.writeLong(t.vmSizeKb);
        out.writeLong(t.vmRssKb);
        out.writeLong(t.vmSwapKb);
        out.writeLong(t.pfMajor);
        out.writeLong(t.pfMinor);
        out.writeLong(t.cloneTs);
        out.writeLong(t.tty);
        out.writeLong(t.capPermitted);
        out.writeLong(t.capInheritable);
        out.writeLong(t.capEffective);
        out.writeBoolean(t.exeWritable);
        out.writeBoolean(t.exeUpperLayer);
        out.writeBoolean(t.exeFromMemfd);
        out.writeLong(t.exeIno);
        out.writeLong(t.exeInoCtime);
        out.writeLong(t.exeInoMtime);
        out.writeLong(t.pidnsInitStartTs);
        out.writeLong(t.nchilds);
        out.writeString(t.cwd);
        out.writeCount(t.fds, t.fds == null ? 0 : t.fds.size());
        if (t.fds != null) {
            // In fd order, so that a thread's bytes depend on its content only, not on its map's history.
            long[] numbers = new long[t.fds.size()];
            int i = 0;
            for (Long fd : t.fds.keySet()) {
                numbers[i++] = fd;
            }
            Arrays.sort(numbers);
            for (long fd : numbers) {
                out.writeLong(fd);
                writeFd(out, t.fds.get(fd));
            }
        }
        out.writeLong(t.lastEventFd);
        out.writeLong(t.lastEventType);
        out.writeLong(t.latencyNs);
        out.writeLong(t.lastLatencyEnterTs);
        writeEvent(out, t.lastEnter);
        out.writeBoolean(t.lastEnterValid);
        out.writeLong(t.lastExecTs);
        out.writeLong(t.lastActivityTs);
        out.writeLong(t.totalExecTimeNs);
    }

    private static ThreadInfo readThread(CompactInput in) {
        ThreadInfo t = new ThreadInfo();
        t.tid = in.readLong();
        t.pid = in.readLong();
        t.ptid = in.readLong();
        t.sid = in.readLong();
        t.vpgid = in.readLong();
        t.vtid = in.readLong();
        t.vpid = in.readLong();
        t.comm = in.readString();
        t.exe = in.readString();
        t.exePath = in.readString();
        t.args = readStrings(in);
        t.env = readStrings(in);
        int cgroups = in.readCount();
        t.cgroups = cgroups < 0 ? null : new ArrayList<>(cgroups);
        for (int i = 0; i < cgroups; i++) {
            int n = in.readCount();
            String[] pair = n < 0 ? null : new String[n];
            for (int j = 0; j < n; j++) {
                pair[j] = in.readString();
            }
            t.cgroups.add(pair);
        }
        t.containerId = in.readString();
        t.root = in.readString();
        t.fdLimit = in.readLong();
        t.flags = in.readInt();
        t.uid = in.readLong();
        t.gid = in.readLong();
        t.loginUid = in.readLong();
        t.vmSizeKb = in.readLong();
        t.vmRssKb = in.readLong();
        t.vmSwapKb = in.readLong();
        t.pfMajor = in.readLong();
        t.pfMinor = in.readLong();
        t.cloneTs = in.readLong();
        t.tty = in.readLong();
        t.capPermitted = in.readLong();
        t.capInheritable = in.readLong();
        t.capEffective = in.readLong();
        t.exeWritable = in.readBoolean();
        t.exeUpperLayer = in.readBoolean();
        t.exeFromMemfd = in.readBoolean();
        t.exeIno = in.readLong();
        t.exeInoCtime = in.readLong();
        t.exeInoMtime = in.readLong();
        t.pidnsInitStartTs = in.readLong();
        t.nchilds = in.readLong();
        t.cwd = in.readString();
        int fds = in.readCount();
        t.fds = fds < 0 ? null : new HashMap<>(Math.max(16, fds * 2));
        for (int i = 0; i < fds; i++) {
            long fd = in.readLong();
            t.fds.put(fd, readFd(in));
        }
        t.lastEventFd = in.readLong();
        t.lastEventType = in.readInt();
        t.latencyNs = in.readLong();
        t.lastLatencyEnterTs = in.readLong();
        t.lastEnter = readEvent(in);
        t.lastEnterValid = in.readBoolean();
        t.lastExecTs = in.readLong();
        t.lastActivityTs = in.readLong();
        t.totalExecTimeNs = in.readLong();
        return t;
    }

    /** An fd: its type's ordinal + 1 first (0 for a null entry), then its fields. */
    private static void writeFd(CompactOutput out, FdInfo fd) {
        if (fd == null) {
            out.writeLong(0);
            return;
        }
        out.writeLong(fd.type == null ? -1 : fd.type.ordinal() + 1);
        out.writeString(fd.name);
        out.writeString(fd.oldName);
        out.writeString(fd.nameRaw);
        out.writeLong(fd.openFlags);
        out.writeLong(fd.flags);
        out.writeLong(fd.ino);
        out.writeLong(fd.dev);
        out.writeLong(fd.mountId);
        out.writeBytes(fd.sip);
        out.writeBytes(fd.dip);
        out.writeLong(fd.sport);
        out.writeLong(fd.dport);
        out.writeLong(fd.l4proto);
        out.writeLong(fd.unixSource);
        out.writeLong(fd.unixDest);
    }

    private static FdInfo readFd(CompactInput in) {
        long type = in.readLong();
        if (type == 0) {
            return null;
        }
        FdType[] types = FdType.values();
        if (type < -1 || type > types.length) {
            throw in.error("an unknown fd type " + (type - 1));
        }
        FdInfo fd = new FdInfo();
        fd.type = type == -1 ? null : types[(int) type - 1];
        fd.name = in.readString();
        fd.oldName = in.readString();
        fd.nameRaw = in.readString();
        fd.openFlags = in.readInt();
        fd.flags = in.readInt();
        fd.ino = in.readLong();
        fd.dev = in.readInt();
        fd.mountId = in.readInt();
        fd.sip = in.readBytes();
        fd.dip = in.readBytes();
        fd.sport = in.readInt();
        fd.dport = in.readInt();
        fd.l4proto = in.readInt();
        fd.unixSource = in.readLong();
        fd.unixDest = in.readLong();
        return fd;
    }

    private static void writeStrings(CompactOutput out, List<String> list) {
        out.writeCount(list, list == null ? 0 : list.size());
        if (list != null) {
            for (String s : list) {
                out.writeString(s);
            }
        }
    }

    private static List<String> readStrings(CompactInput in) {
        int n = in.readCount();
        if (n < 0) {
            return null;
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(in.readString());
        }
        return list;
    }

    /** The pending enter event: a presence byte, its header, then its parameters packed end to end. */
    private static void writeEvent(CompactOutput out, Event e) {
        out.writeBoolean(e != null);
        if (e == null) {
            return;
        }
        out.writeLong(e.timestampNs());
        out.writeLong(e.threadId());
        out.writeLong(e.cpu());
        out.writeLong(e.type());
        out.writeLong(e.flags());
        out.writeLong(e.paramCount());
        for (int i = 0; i < e.paramCount(); i++) {
            out.writeLong(e.paramLength(i));
        }
        for (int i = 0; i < e.paramCount(); i++) {
            out.writeRaw(e.data(), e.paramOffset(i), e.paramLength(i));
        }
    }

    private static Event readEvent(CompactInput in) {
        if (!in.readBoolean()) {
            return null;
        }
        long ts = in.readLong();
        long tid = in.readLong();
        int cpu = in.readInt();
        int type = in.readInt();
        int flags = in.readInt();
        int params = in.readCount();
        if (params < 0) {
            throw in.error("a negative parameter count");
        }
        int[] offsets = new int[params];
        int[] lengths = new int[params];
        int total = 0;
        for (int i = 0; i < params; i++) {
            lengths[i] = in.readCount();
            if (lengths[i] < 0) {
                throw in.error("a negative parameter length");
            }
            offsets[i] = total;
            total += lengths[i];
            if (total > in.remaining()) {
                throw in.error("parameters longer than the record");
            }
        }
        byte[] data = new byte[total];
        in.readRaw(data, total);
        return new Event(ts, tid, cpu, type, data, offsets, lengths, flags);
    }
}

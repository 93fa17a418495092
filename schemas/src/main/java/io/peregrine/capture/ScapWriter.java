package io.peregrine.capture;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Writes libscap captures (uncompressed) that sysdig 0.29.3 reads: a section header, then the header
 * blocks (machine info, process list with fd lists, interfaces, users), then events.
 *
 * <pre>{@code
 * try (ScapWriter w = ScapWriter.create(path)) {
 *     w.machineInfo(info).processes(snapshot).interfaces(ifs).users(users, groups);
 *     w.write(event);  // ... as many as needed
 * }
 * }</pre>
 *
 * <p>Block versions are the ones libs e5c53d64 writes (PL V9, FDL V2, IL V2, UL V2, EV/EVF V2),
 * with process entries carrying the fields up to the capability sets (newer fields would be
 * misread by older readers). Header blocks must come before the first event because libscap reads
 * them only there; strings longer than libscap's limits are cut to them. {@link #copy} rewrites a
 * read capture.
 */
public final class ScapWriter implements AutoCloseable {

    private static final int MAX_PATH = 1024;
    private static final int MAX_ARGS = 4096;
    private static final int MAX_ENV = 4096;
    private static final int MAX_CGROUPS = 4096;
    private static final int MAX_FD_NAME = 1023;
    private static final int MAX_CREDENTIAL = 255;

    private final OutputStream out;
    private final LittleEndianBuffer block = new LittleEndianBuffer();
    private boolean eventsStarted;
    private long bytesWritten;

    /** Writes to {@code out} (buffer it yourself for speed); the section header is written at once. */
    public ScapWriter(OutputStream out) throws IOException {
        this.out = out;
        begin(BlockTypes.SHB);
        block.u32(BlockTypes.SHB_MAGIC).u16(1).u16(2).u64(-1L);
        end();
    }

    /** A buffered writer to a new file at {@code path}. */
    public static ScapWriter create(Path path) throws IOException {
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        try {
            return new ScapWriter(os);
        } catch (IOException | RuntimeException e) {
            os.close();
            throw e;
        }
    }

    /** Rewrites everything {@code reader} holds (header tables, then every remaining event) to {@code writer}. */
    public static long copy(ScapReader reader, ScapWriter writer) throws IOException {
        if (reader.machineInfo() != null) {
            writer.machineInfo(reader.machineInfo());
        }
        writer.interfaces(reader.interfaces()).users(reader.users(), reader.groups()).processes(reader.processes());
        long n = 0;
        for (Event e; (e = reader.next()) != null; ) {
            writer.write(e);
            n++;
        }
        return n;
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public ScapWriter machineInfo(MachineInfo info) throws IOException {
        header("machine info");
        begin(BlockTypes.MI);
        block.u32(info.numCpus()).u64(info.memorySizeBytes()).u64(info.maxPid())
                .fixedString(info.hostname(), MachineInfo.HOSTNAME_SIZE)
                .u64(info.bootTsEpoch()).u64(info.flags()).u64(info.reserved3()).u64(info.reserved4());
        end();
        return this;
    }

    /** A process list block with every thread, then one fd list block per thread that has fds. */
    public ScapWriter processes(Collection<ScapProcess> threads) throws IOException {
        header("process list");
        if (threads.isEmpty()) {
            return this;
        }
        begin(BlockTypes.PL_V9);
        for (ScapProcess p : threads) {
            processEntry(p);
        }
        end();
        for (ScapProcess p : threads) {
            if (!p.fds().isEmpty()) {
                fds(p.tid(), p.fds());
            }
        }
        return this;
    }

    /** An fd list block for thread {@code tid} (its process entry must already be written). */
    public ScapWriter fds(long tid, List<ScapFd> fds) throws IOException {
        header("fd list");
        begin(BlockTypes.FDL_V2);
        block.u64(tid);
        for (ScapFd fd : fds) {
            fdEntry(fd);
        }
        end();
        return this;
    }

    public ScapWriter interfaces(List<ScapInterface> interfaces) throws IOException {
        header("interface list");
        if (interfaces.isEmpty()) {
            return this;
        }
        begin(BlockTypes.IL_V2);
        for (ScapInterface i : interfaces) {
            int addrLen = i.isIpv6() ? 16 : 4;
            byte[] name = i.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int nameLen = Math.min(name.length, MAX_PATH - 1);
            block.u32(2 + 2 + 3L * addrLen + 8 + nameLen).u16(i.isIpv6() ? 2 : 1).u16(nameLen);
            block.bytes(fixed(i.addr(), addrLen)).bytes(fixed(i.netmask(), addrLen)).bytes(fixed(i.bcast(), addrLen));
            block.u64(i.linkSpeed()).bytes(name, 0, nameLen);
        }
        end();
        return this;
    }

    public ScapWriter users(List<ScapUser> users, List<ScapGroup> groups) throws IOException {
        header("user list");
        if (users.isEmpty() && groups.isEmpty()) {
            return this;
        }
        begin(BlockTypes.UL_V2);
        for (ScapUser u : users) {
            int start = block.size();
            block.u32(0).u8(0).u32(u.uid()).u32(u.gid()).lenString(u.name(), MAX_CREDENTIAL)
                    .lenString(u.homedir(), MAX_PATH).lenString(u.shell(), MAX_PATH);
            block.putU32(start, block.size() - start);
        }
        for (ScapGroup g : groups) {
            int start = block.size();
            block.u32(0).u8(1).u32(g.gid()).lenString(g.name(), MAX_CREDENTIAL);
            block.putU32(start, block.size() - start);
        }
        end();
        return this;
    }

    /**
     * One event: an EV V2 block, or EVF V2 when it has flags; the LARGE variants for event types with
     * 4-byte parameter lengths (EF_LARGE_PAYLOAD).
     *
     * @throws IllegalArgumentException when a parameter is too long for its type's length field
     */
    public void write(Event e) throws IOException {
        eventsStarted = true;
        EventInfo info = e.info();
        boolean large = info != null && info.isLargePayload();
        int lenSize = large ? 4 : 2;
        int n = e.paramCount();
        long len = 26L + (long) n * lenSize;
        for (int i = 0; i < n; i++) {
            int l = e.paramLength(i);
            if (!large && l > 0xffff) {
                throw new IllegalArgumentException("parameter " + i + " of event type " + e.type() + " is " + l
                        + " bytes, more than a 2-byte length holds");
            }
            len += l;
        }
        boolean flagged = e.flags() != 0;
        int type = flagged ? (large ? BlockTypes.EVF_V2_LARGE : BlockTypes.EVF_V2)
                : (large ? BlockTypes.EV_V2_LARGE : BlockTypes.EV_V2);
        begin(type);
        block.u16(e.cpu());
        if (flagged) {
            block.u32(e.flags());
        }
        block.u64(e.timestampNs()).u64(e.threadId()).u32(len).u16(e.type()).u32(n);
        for (int i = 0; i < n; i++) {
            if (large) {
                block.u32(e.paramLength(i));
            } else {
                block.u16(e.paramLength(i));
            }
        }
        byte[] data = e.data();
        for (int i = 0; i < n; i++) {
            block.bytes(data, e.paramOffset(i), e.paramLength(i));
        }
        end();
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void header(String what) {
        if (eventsStarted) {
            throw new IllegalStateException("the " + what + " must be written before the first event: "
                    + "libscap reads header blocks only at the start of a capture");
        }
    }

    private void processEntry(ScapProcess p) {
        int start = block.size();
        block.u32(0).u64(p.tid()).u64(p.pid()).u64(p.ptid()).u64(p.sid()).u64(p.vpgid())
                .lenString(p.comm(), MAX_PATH).lenString(p.exe(), MAX_PATH).lenString(p.exepath(), MAX_PATH)
                .lenBytes(LittleEndianBuffer.joinNul(p.args()), MAX_ARGS).lenString(p.cwd(), MAX_PATH)
                .u64(p.fdlimit()).u32(p.flags()).u32(p.uid()).u32(p.gid())
                .u32(p.vmsizeKb()).u32(p.vmrssKb()).u32(p.vmswapKb()).u64(p.pfMajor()).u64(p.pfMinor())
                .lenBytes(LittleEndianBuffer.joinNul(p.env()), MAX_ENV)
                .u64(p.vtid()).u64(p.vpid()).lenBytes(LittleEndianBuffer.joinNul(p.cgroups()), MAX_CGROUPS)
                .lenString(p.root(), MAX_PATH)
                .u32(p.loginuid()).u8(p.exeWritable() ? 1 : 0)
                .u64(p.capInheritable()).u64(p.capPermitted()).u64(p.capEffective());
        block.putU32(start, block.size() - start);
    }

    private void fdEntry(ScapFd fd) {
        FdType type = fd.type();
        if (type == null || type == FdType.UNKNOWN) {
            return; // nothing to say about it, and libscap skips UNKNOWN fds too
        }
        if (!type.knownToSysdig0293()) {
            type = FdType.UNSUPPORTED; // older readers reject newer type codes; keep the name
        }
        int start = block.size();
        block.u32(0).u64(fd.fd()).u64(fd.ino()).u8(type.code());
        switch (type) {
            case IPV4_SOCK, IPV6_SOCK -> {
                int n = type == FdType.IPV4_SOCK ? 4 : 16;
                block.bytes(fixed(fd.sip(), n)).bytes(fixed(fd.dip(), n)).u16(fd.sport()).u16(fd.dport())
                        .u8(fd.l4proto());
            }
            case IPV4_SERVSOCK, IPV6_SERVSOCK -> {
                int n = type == FdType.IPV4_SERVSOCK ? 4 : 16;
                block.bytes(fixed(fd.sip(), n)).u16(fd.sport()).u8(fd.l4proto());
            }
            case UNIX_SOCK -> block.u64(fd.unixSource()).u64(fd.unixDest()).lenString(fd.name(), MAX_FD_NAME);
            case FILE_V2 -> block.u32(fd.openFlags()).lenString(fd.name(), MAX_FD_NAME).u32(fd.dev());
            default -> block.lenString(fd.name(), MAX_FD_NAME);
        }
        block.putU32(start, block.size() - start);
    }

    private static byte[] fixed(byte[] b, int n) {
        return b.length == n ? b : java.util.Arrays.copyOf(b, n);
    }

    private void begin(int type) {
        block.clear();
        block.u32(type).u32(0);
    }

    /** Pads the body to 4 bytes, fills in the length and writes header, body and trailer. */
    private void end() throws IOException {
        while (block.size() % 4 != 0) {
            block.u8(0);
        }
        long total = block.size() + 4L;
        block.putU32(4, total);
        block.u32(total);
        out.write(block.array(), 0, block.size());
        bytesWritten += block.size();
    }

}

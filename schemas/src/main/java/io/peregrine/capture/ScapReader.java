package io.peregrine.capture;

import io.peregrine.event.Event;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Streams a libscap capture (.scap, plain or gzip): the header part first (section header, machine
 * info, process list with fds, interfaces, users and groups), then events one by one.
 *
 * <pre>{@code
 * try (ScapReader reader = ScapReader.open(path)) {
 *     reader.processes();                 // the /proc snapshot taken when the capture started
 *     for (Event e; (e = reader.next()) != null; ) {
 *         reader.eventOffset();           // where e's block starts
 *     }
 * }
 * }</pre>
 *
 * <p>Blocks may come in any order: metadata blocks met between events are decoded and added to the
 * tables (a fd list adds to its thread's fds), a new section header (concatenated captures) starts
 * over with empty tables, and blocks of unknown types are skipped. Every failure, including I/O and
 * gzip errors, is a {@link CaptureFormatException} naming the file and byte offset; no length read
 * from the file is trusted before the bytes are actually there, so a corrupt length cannot make the
 * reader allocate more than the input holds.
 *
 * <p>Unlike libscap, a section header with pcapng options (comments) is read, not rejected, and
 * events whose type is newer than the table are returned rather than dropped (V2 blocks say how many
 * parameters they have); V1 events of unknown type are skipped, as libscap does, and counted in
 * {@link #skippedEvents()}.
 */
public final class ScapReader implements AutoCloseable {

    /** Larger blocks are read in steps, so memory follows the bytes actually present. */
    private static final int CHUNK = 1 << 20;
    private static final int HEADER = 8;
    private static final int TRAILER = 4;
    private static final int SHB_BODY = 4 + 2 + 2 + 8;

    private final ByteSource source;
    private final boolean gzip;
    private SectionHeader section;
    private int sections;
    private MachineInfo machineInfo;
    private final Map<Long, ScapProcess> processes = new LinkedHashMap<>();
    private final List<ScapInterface> interfaces = new ArrayList<>();
    private final List<ScapUser> users = new ArrayList<>();
    private final List<ScapGroup> groups = new ArrayList<>();
    private final Map<Integer, Long> blockCounts = new LinkedHashMap<>();
    private final byte[] header = new byte[HEADER];
    private final byte[] trailer = new byte[TRAILER];
    private Block pendingEvent;
    private long eventOffset = -1;
    private long events;
    private long skippedEvents;

    private ScapReader(ByteSource source, boolean gzip) throws CaptureFormatException {
        this.source = source;
        this.gzip = gzip;
        if (source.atEnd()) {
            throw source.error(0, "empty capture");
        }
        sectionHeader(readBlock(true));
        // Read the header part: everything up to the first event block.
        while (pendingEvent == null) {
            Block block = readBlock(false);
            if (block == null) {
                break;
            }
            if (BlockTypes.isEvent(block.type)) {
                pendingEvent = block;
            } else {
                apply(block);
            }
        }
    }

    /** Opens a capture file (plain or gzip); the file name appears in every error. */
    public static ScapReader open(Path path) throws CaptureFormatException {
        String name = String.valueOf(path.getFileName());
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (IOException | RuntimeException e) {
            throw new CaptureFormatException(name, 0, "cannot open: " + e, e);
        }
        return open(in, name);
    }

    /** Reads a capture from {@code in} (plain or gzip, detected by its magic); {@code name} appears in errors. */
    public static ScapReader open(InputStream in, String name) throws CaptureFormatException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        boolean gzip;
        InputStream stream;
        try {
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            gzip = b0 == 0x1f && b1 == 0x8b;
            stream = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        } catch (IOException | RuntimeException e) {
            closeQuietly(buffered);
            throw new CaptureFormatException(name, 0, "cannot read: " + e, e);
        }
        ByteSource source = new ByteSource(stream, name);
        try {
            return new ScapReader(source, gzip);
        } catch (CaptureFormatException | RuntimeException e) {
            closeQuietly(stream);
            if (e instanceof CaptureFormatException cfe) {
                throw cfe;
            }
            throw new CaptureFormatException(name, source.position(), "internal error: " + e, e);
        }
    }

    /** Whether the capture was gzip-compressed. */
    public boolean isGzip() {
        return gzip;
    }

    /** The current section's header. */
    public SectionHeader sectionHeader() {
        return section;
    }

    /** How many section headers were read so far (more than one for concatenated captures). */
    public int sectionCount() {
        return sections;
    }

    /** The machine info block, or {@code null} when the capture has none (e.g. plugin captures). */
    public MachineInfo machineInfo() {
        return machineInfo;
    }

    /** The process list (threads, in file order, each with its fds). */
    public List<ScapProcess> processes() {
        return List.copyOf(processes.values());
    }

    /** The thread {@code tid} of the process list, or {@code null}. */
    public ScapProcess process(long tid) {
        return processes.get(tid);
    }

    public List<ScapInterface> interfaces() {
        return Collections.unmodifiableList(interfaces);
    }

    public List<ScapUser> users() {
        return Collections.unmodifiableList(users);
    }

    public List<ScapGroup> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** How many blocks of each type were read so far, by type in order of first appearance (diagnostics). */
    public Map<Integer, Long> blockCounts() {
        return Collections.unmodifiableMap(blockCounts);
    }

    /** Byte offset (in the decompressed stream) of the block of the event {@link #next()} returned last. */
    public long eventOffset() {
        return eventOffset;
    }

    /** Events returned so far. */
    public long eventCount() {
        return events;
    }

    /** V1 events skipped because their type is not in the event table. */
    public long skippedEvents() {
        return skippedEvents;
    }

    /** The next event, or {@code null} at the end of the capture. */
    public Event next() throws CaptureFormatException {
        try {
            while (true) {
                Block block = pendingEvent != null ? pendingEvent : readBlock(false);
                pendingEvent = null;
                if (block == null) {
                    return null;
                }
                if (!BlockTypes.isEvent(block.type)) {
                    if (block.type == BlockTypes.SHB) {
                        startSection(block);
                    } else {
                        apply(block);
                    }
                    continue;
                }
                Event event = EventDecoder.decode(block.body, block.bodyLength, block.type, block.offset + HEADER,
                        source.name());
                if (event == null) {
                    skippedEvents++;
                    continue;
                }
                eventOffset = block.offset;
                events++;
                return event;
            }
        } catch (RuntimeException e) {
            // Decoders check every bound; reaching this is a bug, but callers still get the promised type.
            throw new CaptureFormatException(source.name(), source.position(), "internal error: " + e, e);
        }
    }

    @Override
    public void close() throws CaptureFormatException {
        source.close();
    }

    private void startSection(Block block) throws CaptureFormatException {
        processes.clear();
        interfaces.clear();
        users.clear();
        groups.clear();
        machineInfo = null;
        sectionHeader(block);
    }

    private void sectionHeader(Block block) throws CaptureFormatException {
        BlockCursor c = cursor(block);
        if (block.bodyLength < SHB_BODY) {
            throw source.error(block.offset, "section header block too short (" + block.bodyLength + " bytes)");
        }
        int magic = c.i32("byte order magic");
        if (magic != BlockTypes.SHB_MAGIC) {
            throw source.error(block.offset + HEADER, magic == Integer.reverseBytes(BlockTypes.SHB_MAGIC)
                    ? "big-endian captures are not supported" : String.format("bad byte order magic 0x%08x", magic));
        }
        int major = c.u16("major version");
        int minor = c.u16("minor version");
        if (major > 1) {
            throw source.error(block.offset + HEADER + 4, "unsupported capture format version " + major + "." + minor);
        }
        // Anything after the fixed part is pcapng options (e.g. comments), which libscap does not use.
        section = new SectionHeader(major, minor, c.i64("section length"));
        sections++;
    }

    private void apply(Block block) throws CaptureFormatException {
        int type = block.type;
        BlockCursor c = cursor(block);
        if (type == BlockTypes.MI || type == BlockTypes.MI_INT) {
            machineInfo = MetadataDecoder.machineInfo(c);
        } else if (BlockTypes.isProcessList(type)) {
            for (ScapProcess p : MetadataDecoder.processList(c, type)) {
                processes.put(p.tid(), p);
            }
        } else if (type == BlockTypes.FDL || type == BlockTypes.FDL_INT || type == BlockTypes.FDL_V2) {
            MetadataDecoder.FdList list = MetadataDecoder.fdList(c, type);
            ScapProcess owner = processes.get(list.tid());
            if (owner == null) {
                // libscap rejects this; keeping the fds under a bare entry loses nothing.
                owner = ScapProcess.builder().tid(list.tid()).pid(list.tid()).build();
            }
            List<ScapFd> fds = new ArrayList<>(owner.fds());
            fds.addAll(list.fds());
            processes.put(list.tid(), owner.withFds(fds));
        } else if (type == BlockTypes.IL || type == BlockTypes.IL_INT || type == BlockTypes.IL_V2) {
            List<ScapInterface> decoded = MetadataDecoder.interfaceList(c, type);
            interfaces.clear();
            interfaces.addAll(decoded);
        } else if (type == BlockTypes.UL || type == BlockTypes.UL_INT || type == BlockTypes.UL_V2) {
            MetadataDecoder.UserList decoded = MetadataDecoder.userList(c, type);
            users.clear();
            users.addAll(decoded.users());
            groups.clear();
            groups.addAll(decoded.groups());
        }
        // Any other type: unknown to this version; its body was skipped unread.
    }

    private BlockCursor cursor(Block block) {
        return new BlockCursor(block.body, 0, block.bodyLength, block.offset + HEADER, source.name());
    }

    /** One block; {@code body} is null for skipped (unknown) types. */
    private record Block(int type, long offset, byte[] body, int bodyLength) {
    }

    /**
     * Reads the next block, or returns {@code null} at a clean end of the stream. The first block of
     * a capture must be a section header; anything else is rejected before its length is trusted.
     */
    private Block readBlock(boolean first) throws CaptureFormatException {
        long offset = source.position();
        int got = source.read(header, 0, HEADER);
        if (got == 0) {
            return null;
        }
        if (got < HEADER) {
            throw source.error(offset, "truncated block header (" + got + " of 8 bytes)");
        }
        int type = BlockCursor.i32At(header, 0);
        if (first && type != BlockTypes.SHB) {
            throw source.error(offset, String.format("not a capture: first block type 0x%08x is not a section header",
                    type));
        }
        long total = BlockCursor.i32At(header, 4) & 0xffffffffL;
        if (total < HEADER + TRAILER) {
            throw source.error(offset + 4, String.format("bad block length 0x%x", total));
        }
        if (total - HEADER - TRAILER > Integer.MAX_VALUE - 64) {
            throw source.error(offset + 4, String.format("block length 0x%x too large", total));
        }
        blockCounts.merge(type, 1L, Long::sum);
        int bodyLength = (int) (total - HEADER - TRAILER);
        boolean known = type == BlockTypes.SHB || BlockTypes.isEvent(type) || isKnownMetadata(type);
        byte[] body = null;
        if (known) {
            body = readBody(bodyLength, offset);
        } else if (source.skip(bodyLength) < bodyLength) {
            throw source.error(source.position(), String.format("truncated block of type 0x%x (declared length 0x%x)",
                    type, total));
        }
        if (source.read(trailer, 0, TRAILER) < TRAILER) {
            throw source.error(source.position(), String.format("truncated block trailer of block type 0x%x", type));
        }
        long trailerLength = BlockCursor.i32At(trailer, 0) & 0xffffffffL;
        // libscap checks trailers of header blocks only; event blocks with odd trailers still read.
        if (trailerLength != total && !BlockTypes.isEvent(type)) {
            throw source.error(source.position() - TRAILER, String.format(
                    "block trailer length 0x%x differs from header length 0x%x", trailerLength, total));
        }
        return new Block(type, offset, body, bodyLength);
    }

    private byte[] readBody(int length, long blockOffset) throws CaptureFormatException {
        byte[] body = new byte[Math.min(length, CHUNK)];
        int done = 0;
        while (done < length) {
            if (done == body.length) {
                body = java.util.Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
            }
            int n = source.read(body, done, body.length - done);
            if (n == 0) {
                throw source.error(source.position(), String.format(
                        "truncated block: declared 0x%x bytes, the capture ends after %d", length + HEADER + TRAILER,
                        done + HEADER));
            }
            done += n;
        }
        return body;
    }

    private static boolean isKnownMetadata(int type) {
        return type == BlockTypes.MI || type == BlockTypes.MI_INT || BlockTypes.isProcessList(type)
                || type == BlockTypes.FDL || type == BlockTypes.FDL_INT || type == BlockTypes.FDL_V2
                || type == BlockTypes.IL || type == BlockTypes.IL_INT || type == BlockTypes.IL_V2
                || type == BlockTypes.UL || type == BlockTypes.UL_INT || type == BlockTypes.UL_V2;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the original failure is what the caller needs to see
        }
    }
}

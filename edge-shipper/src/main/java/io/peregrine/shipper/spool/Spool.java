package io.peregrine.shipper.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A bounded, durable FIFO of keyed records on local disk, for batches Kafka could not take yet.
 *
 * <p>Records live in segment files ({@code seg-<first record number>.spool}) as
 * {@code u32 length | u32 crc32 | u16 key length | key | value}; a {@code head} file remembers how far
 * the oldest segment was acknowledged, so a restart neither loses nor repeats acknowledged
 * records. The spool never holds more than {@code maxBytes} of records: {@link #append} refuses
 * what does not fit (the caller counts it as a drop), so the oldest data is kept and order is never
 * broken. A torn record at the end of the newest segment (a crash mid-write) is cut off on open.
 */
public final class Spool implements AutoCloseable {

    /** One spooled record. */
    public record Entry(byte[] key, byte[] value) {
    }

    private static final int RECORD_HEADER = 4 + 4 + 2;
    private static final String HEAD_FILE = "head";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final boolean sync;
    private final Deque<Path> segments = new ArrayDeque<>();
    private FileChannel tail;
    private long tailSize;
    private FileChannel head;
    private Path headPath;
    private long headOffset;
    private long bytes;
    private long count;
    private long nextRecordNumber;

    /**
     * Opens (or creates) the spool in {@code dir}.
     *
     * @param maxBytes bound on the bytes of records held
     * @param segmentBytes size at which a new segment file starts
     * @param sync force every append and acknowledgement to disk
     */
    public Spool(Path dir, long maxBytes, long segmentBytes, boolean sync) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.sync = sync;
        Files.createDirectories(dir);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.spool")) {
            ds.forEach(found::add);
        }
        Collections.sort(found);
        segments.addAll(found);
        Path headFile = dir.resolve(HEAD_FILE);
        if (Files.exists(headFile) && !segments.isEmpty()) {
            String[] h = Files.readString(headFile).trim().split(" ");
            if (h.length == 2 && h[0].equals(segments.peekFirst().getFileName().toString())) {
                headOffset = Long.parseLong(h[1]);
            }
        }
        recount();
        if (!segments.isEmpty()) {
            nextRecordNumber = parseNumber(segments.peekLast()) + countIn(segments.peekLast(), 0);
        }
    }

    /** Appends a record; false (nothing written) when it would exceed the bound. */
    public synchronized boolean append(byte[] key, byte[] value) throws IOException {
        long size = RECORD_HEADER + key.length + value.length;
        if (bytes + size > maxBytes) {
            return false;
        }
        if (tail != null && !tail.isOpen()) {
            // A channel is closed under us if a thread is interrupted mid-I/O; reopen and carry on.
            tail = null;
            Thread.interrupted();
        }
        if (tail == null || tailSize >= segmentBytes) {
            rollTail();
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) size - 8).putInt(0).putShort((short) key.length).put(key).put(value);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 8, (int) size - 8);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        while (b.hasRemaining()) {
            tail.write(b);
        }
        if (sync) {
            tail.force(false);
        }
        tailSize += size;
        bytes += size;
        count++;
        nextRecordNumber++;
        return true;
    }

    /** The oldest record, or null when the spool is empty. */
    public synchronized Entry peek() throws IOException {
        while (!segments.isEmpty()) {
            openHead();
            Entry e = readAt(head, headOffset);
            if (e != null) {
                return e;
            }
            if (segments.size() == 1) {
                return null; // the tail is empty (or ends in a torn record being rewritten)
            }
            dropHeadSegment();
        }
        return null;
    }

    /** Removes the oldest record (the one {@link #peek} returned). */
    public synchronized void ack() throws IOException {
        openHead();
        Entry e = readAt(head, headOffset);
        if (e == null) {
            return;
        }
        long size = RECORD_HEADER + e.key().length + e.value().length;
        headOffset += size;
        bytes -= size;
        count--;
        if (headOffset >= head.size() && segments.size() > 1) {
            dropHeadSegment();
        } else {
            writeHead();
        }
    }

    public synchronized boolean isEmpty() {
        return count == 0;
    }

    /** Records held. */
    public synchronized long size() {
        return count;
    }

    /** Bytes of records held (never above the bound). */
    public synchronized long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized void close() throws IOException {
        if (tail != null) {
            tail.force(false);
            tail.close();
        }
        if (head != null) {
            head.close();
        }
    }

    private void rollTail() throws IOException {
        if (tail != null) {
            tail.force(false);
            tail.close();
        }
        Path p = dir.resolve(String.format("seg-%020d.spool", nextRecordNumber));
        if (!segments.isEmpty() && segments.peekLast().equals(p)) {
            tail = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } else {
            tail = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            segments.addLast(p);
        }
        tailSize = tail.size();
    }

    private void openHead() throws IOException {
        Path first = segments.peekFirst();
        if (head != null && !head.isOpen()) {
            head = null;
            Thread.interrupted();
        }
        if (head == null || !first.equals(headPath)) {
            if (head != null) {
                head.close();
            }
            head = FileChannel.open(first, StandardOpenOption.READ);
            headPath = first;
        }
    }

    private void dropHeadSegment() throws IOException {
        Path first = segments.pollFirst();
        if (head != null) {
            head.close();
            head = null;
            headPath = null;
        }
        Files.deleteIfExists(first);
        headOffset = 0;
        writeHead();
    }

    private void writeHead() throws IOException {
        Path tmp = dir.resolve(HEAD_FILE + ".tmp");
        String text = segments.isEmpty() ? "" : segments.peekFirst().getFileName() + " " + headOffset;
        Files.writeString(tmp, text);
        if (sync) {
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
        }
        Files.move(tmp, dir.resolve(HEAD_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The record at offset, or null at the end (or at a torn/corrupt record). */
    private static Entry readAt(FileChannel c, long offset) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        if (readFully(c, h, offset) < RECORD_HEADER) {
            return null;
        }
        int len = h.getInt(0);
        int crc = h.getInt(4);
        int keyLen = h.getShort(8) & 0xffff;
        if (len < 2 + keyLen || offset + 8 + len > c.size()) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        readFully(c, body, offset + 8);
        CRC32 check = new CRC32();
        check.update(body.array(), 0, len);
        if ((int) check.getValue() != crc) {
            return null;
        }
        byte[] key = new byte[keyLen];
        byte[] value = new byte[len - 2 - keyLen];
        System.arraycopy(body.array(), 2, key, 0, keyLen);
        System.arraycopy(body.array(), 2 + keyLen, value, 0, value.length);
        return new Entry(key, value);
    }

    private static int readFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
        int n = 0;
        while (b.hasRemaining()) {
            int r = c.read(b, pos + n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** Recomputes count and bytes from the files, cutting a torn record off the newest segment. */
    private void recount() throws IOException {
        bytes = 0;
        count = 0;
        boolean first = true;
        for (Path seg : segments) {
            long start = first ? headOffset : 0;
            first = false;
            try (FileChannel c = FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long off = start;
                for (Entry e; (e = readAt(c, off)) != null; ) {
                    long size = RECORD_HEADER + e.key().length + e.value().length;
                    off += size;
                    bytes += size;
                    count++;
                }
                if (off < c.size() && seg.equals(segments.peekLast())) {
                    c.truncate(off);
                }
            }
        }
    }

    private static long countIn(Path seg, long from) throws IOException {
        long n = 0;
        try (FileChannel c = FileChannel.open(seg, StandardOpenOption.READ)) {
            long off = 0;
            for (Entry e; (e = readAt(c, off)) != null; ) {
                off += RECORD_HEADER + e.key().length + e.value().length;
                n++;
            }
        }
        return n;
    }

    private static long parseNumber(Path seg) {
        String n = seg.getFileName().toString();
        return Long.parseLong(n.substring(4, n.length() - 6));
    }
}

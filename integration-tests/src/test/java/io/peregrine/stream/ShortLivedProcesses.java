package io.peregrine.stream;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.event.EventTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic stream of short-lived processes: the life of {@code cat} in the corpus's
 * cat_write capture (execve, open, procexit), replayed under a fresh tid each time. Long
 * parameters (argument and environment blocks) are shortened to keep the stream small; tids are
 * rewritten wherever the process's own tid appears as an 8-byte parameter.
 */
final class ShortLivedProcesses {

    private final List<SyscallEvent> template;
    private final long templateTid;
    private final long span;
    private final EventBatch first;

    ShortLivedProcesses(Path catWrite) {
        List<EventBatch> batches = StreamFixture.batches(catWrite, "synthetic", 100_000);
        first = batches.get(0);
        List<SyscallEvent> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.getEvents()));
        long tid = -1;
        for (SyscallEvent e : all) {
            if (EventTable.get(e.getType()) != null && EventTable.get(e.getType()).name().equals("procexit")) {
                tid = e.getTid();
            }
        }
        templateTid = tid;
        List<SyscallEvent> picked = new ArrayList<>();
        boolean open = false;
        for (SyscallEvent e : all) {
            if (e.getTid() != tid || EventTable.get(e.getType()) == null) {
                continue;
            }
            String name = EventTable.get(e.getType()).name();
            boolean exit = !EventTable.get(e.getType()).enter();
            if ((name.equals("execve") && exit) || name.equals("procexit") || (name.equals("open") && !open)) {
                picked.add(e);
                open |= name.equals("open") && exit;
            }
        }
        template = picked;
        span = template.get(template.size() - 1).getTs() - template.get(0).getTs() + 1000;
    }

    int eventsPerProcess() {
        return template.size();
    }

    /**
     * Batches for processes {@code [from, to)}, {@code perBatch} processes each, spread over
     * {@code containers} keys of host "synthetic".
     */
    List<EventBatch> batches(int from, int to, int perBatch, int containers) {
        List<EventBatch> out = new ArrayList<>();
        for (int start = from; start < to; start += perBatch) {
            for (int c = 0; c < containers; c++) {
                List<SyscallEvent> events = new ArrayList<>();
                for (int p = start; p < Math.min(start + perBatch, to); p++) {
                    if (p % containers == c) {
                        events.addAll(process(p));
                    }
                }
                if (events.isEmpty()) {
                    continue;
                }
                out.add(EventBatch.newBuilder(first)
                        .setContainerId(c == 0 ? "" : "c" + c)
                        .setSequence(out.size())
                        .setFirstTs(events.get(0).getTs())
                        .setLastTs(events.get(events.size() - 1).getTs())
                        .setEvents(events)
                        .setProcesses(start == 0 ? first.getProcesses() : new ArrayList<>())
                        .setFds(start == 0 ? first.getFds() : new ArrayList<>())
                        .setContainers(new ArrayList<>())
                        .build());
            }
        }
        return out;
    }

    private List<SyscallEvent> process(int index) {
        long tid = 1_000_000L + index;
        long shift = index * span;
        List<SyscallEvent> out = new ArrayList<>(template.size());
        for (SyscallEvent e : template) {
            List<ByteBuffer> params = new ArrayList<>();
            for (ByteBuffer p : e.getParams()) {
                params.add(rewrite(p.duplicate(), tid));
            }
            out.add(SyscallEvent.newBuilder(e).setTid(tid).setTs(e.getTs() + shift).setParams(params).build());
        }
        return out;
    }

    private ByteBuffer rewrite(ByteBuffer p, long tid) {
        if (p.remaining() == 8 && p.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong() == templateTid) {
            return ByteBuffer.wrap(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(tid).array());
        }
        if (p.remaining() > 96) {
            return ByteBuffer.wrap("cat\0".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] copy = new byte[p.remaining()];
        p.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }
}

package io.peregrine.state;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldFormatter;
import io.peregrine.fields.extract.SyscallFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Events with arbitrary parameter bytes and lengths (truncated, empty, oversized) never make the
 * engine, an extractor or the formatter throw: odd input yields "not set", not a crash.
 */
class RobustnessTest {

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {42, 7, 1234, 99, 2026})
    void randomEventsNeverThrow(long seed) throws Exception {
        FieldCatalog catalog = SyscallFields.catalog();
        List<FieldExtractor> extractors = new ArrayList<>();
        List<FieldDefinition> definitions = new ArrayList<>();
        for (FieldDefinition d : FieldCatalog.definitions()) {
            String arg = switch (d.argument()) {
                case NONE, OPTIONAL_SIDE -> null;
                case OPTIONAL_INDEX, REQUIRED_NUMBER, REQUIRED_INDEX_OR_PATH -> "1";
                case REQUIRED_NAME_OR_INDEX -> "0";
                case REQUIRED_NAME -> d.name().equals("evt.rawarg") ? "fd" : "open";
            };
            extractors.add(catalog.resolve(d.name(), arg));
            definitions.add(d);
        }
        Random random = new Random(seed);
        StateEngine engine = new StateEngine(new InMemoryThreadStore());
        int ids = EventTable.lastOracleId() + 1;
        for (int n = 0; n < 30_000; n++) {
            int type = random.nextInt(ids);
            EventInfo info = EventTable.get(type);
            int params = info == null ? random.nextInt(4) : info.params().size();
            if (random.nextInt(10) == 0) {
                params = random.nextInt(params + 1);
            }
            int[] offsets = new int[params];
            int[] lengths = new int[params];
            byte[] data = new byte[params * 40];
            random.nextBytes(data);
            int off = 0;
            for (int i = 0; i < params; i++) {
                int size = info == null || i >= info.params().size() ? -1 : info.params().get(i).type().size();
                int len = size > 0 && random.nextInt(8) != 0 ? size : random.nextInt(40);
                offsets[i] = off;
                lengths[i] = Math.min(len, data.length - off);
                off += lengths[i];
            }
            long tid = 1 + random.nextInt(20);
            Event e = new Event(1_000_000L * n, tid, random.nextInt(4), type, data, offsets, lengths);
            EventContext c = engine.process(e);
            for (int i = 0; i < extractors.size(); i++) {
                Object v = extractors.get(i).extract(c);
                FieldFormatter.format(definitions.get(i), extractors.get(i).type(), v);
            }
            c.params().allArgs(e);
        }
    }
}

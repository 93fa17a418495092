package io.peregrine.job.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which batches a key skips as repeats, given the last one it applied (shipper s1, sequence 5). */
class BatchSequenceTest {

    private final BatchSequence last = new BatchSequence("s1", 5);

    @ParameterizedTest(name = "{0} #{1}: repeat={2}, missing={3}")
    @CsvSource({
        "s1, 6, false, 0",
        "s1, 9, false, 3",
        "s1, 5, true, 0",
        "s1, 2, true, 0",
        "s2, 1, false, 0",
        "s2, 7, false, 0",
    })
    void repeatsAreAtOrBelowTheLastSequenceOfTheSameShipper(String shipper, long sequence, boolean repeat,
            long missing) {
        assertEquals(repeat, last.repeatedBy(shipper, sequence));
        if (!repeat) {
            assertEquals(missing, last.missingBefore(shipper, sequence));
        }
    }

    @ParameterizedTest
    @CsvSource(value = {"'', 3, false", "s1, 0, false", "s1, 1, true"})
    void onlyBatchesWithAShipperAndASequenceAreTracked(String shipper, long sequence, boolean tracked) {
        assertEquals(tracked, BatchSequence.tracked(shipper, sequence));
    }
}

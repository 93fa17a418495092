package io.peregrine.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSinkTest {

    private static final AlertFormatter JSON = new AlertFormatter(
            AlertFormat.falcoDefaults().withJson(true).withTimeFormatIso8601(true));

    private FalcosidekickStub sidekick;

    @BeforeEach
    void startSidekick() throws Exception {
        sidekick = new FalcosidekickStub();
    }

    @AfterEach
    void stopSidekick() {
        sidekick.close();
    }

    private static Alert alert(String rule) {
        return Alert.builder().timeNs(1470327477881781397L).rule(rule).priority(Priority.WARNING)
                .hostname("node-1").output("An open was seen (command=cat /dev/null)")
                .field("proc.cmdline", "cat /dev/null").tags("filesystem").build();
    }

    private HttpOutputConfig config() {
        return HttpOutputConfig.forUrl(sidekick.url())
                .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void postsFalcoJsonThatFalcosidekickAccepts() {
        try (WebhookSink sink = new WebhookSink(config(), JSON)) {
            for (int i = 0; i < 3; i++) {
                sink.accept(alert("open_from_cat"));
            }
            sink.flush();
            assertThat(sink.counters().snapshot()).isEqualTo(new SinkCounters.Snapshot(3, 3, 0, 0, 0, 0));
        }
        assertThat(sidekick.accepted()).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.userAgent()).isEqualTo("falcosecurity/falco");
            assertThat(r.body()).isEqualTo(JSON.json(alert("open_from_cat")));
        });
    }

    @Test
    void retriesServerErrorsWithBackoffUntilDelivered() {
        sidekick.failNext(2, 503);
        try (WebhookSink sink = new WebhookSink(config(), JSON)) {
            sink.accept(alert("open_from_cat"));
            sink.flush();
            assertThat(sink.counters().snapshot()).isEqualTo(new SinkCounters.Snapshot(1, 1, 0, 0, 2, 0));
        }
        assertThat(sidekick.received()).extracting(FalcosidekickStub.Received::status).containsExactly(503, 503, 200);
    }

    @Test
    void givesUpAfterMaxRetriesAndCountsTheFailure() {
        sidekick.failNext(100, 500);
        try (WebhookSink sink = new WebhookSink(config(), JSON)) {
            sink.accept(alert("open_from_cat"));
            sink.flush();
            assertThat(sink.counters().snapshot()).isEqualTo(new SinkCounters.Snapshot(1, 0, 1, 0, 3, 0));
        }
        assertThat(sidekick.received()).hasSize(4);
    }

    @Test
    void doesNotRetryAnAlertTheReceiverRejects() {
        try (WebhookSink sink = new WebhookSink(config(), JSON)) {
            sink.accept(alert("")); // falcosidekick rejects an empty rule with 400
            sink.flush();
            assertThat(sink.counters().snapshot()).isEqualTo(new SinkCounters.Snapshot(1, 0, 1, 0, 0, 0));
        }
        assertThat(sidekick.received()).extracting(FalcosidekickStub.Received::status).containsExactly(400);
    }

    @Test
    void dropsAndCountsAlertsWhenTheQueueIsFull() throws Exception {
        sidekick.holdRequests();
        try (WebhookSink sink = new WebhookSink(config().withQueue(2), JSON)) {
            sink.accept(alert("first"));
            assertThat(sidekick.awaitFirstRequest()).isTrue(); // "first" is in flight, the queue is empty
            for (int i = 0; i < 9; i++) {
                sink.accept(alert("r" + i));
            }
            assertThat(sink.counters().snapshot().dropped()).isEqualTo(7);
            sidekick.release();
            sink.flush();
            assertThat(sink.counters().snapshot()).isEqualTo(new SinkCounters.Snapshot(10, 3, 0, 7, 0, 0));
        }
        assertThat(sidekick.accepted()).hasSize(3);
    }

    @Test
    void compressesUploadsWhenAsked() {
        try (WebhookSink sink = new WebhookSink(config().withCompressUploads(true), JSON)) {
            sink.accept(alert("open_from_cat"));
            sink.flush();
        }
        assertThat(sidekick.accepted()).singleElement().satisfies(r -> {
            assertThat(r.contentEncoding()).isEqualTo("gzip");
            assertThat(r.body()).isEqualTo(JSON.json(alert("open_from_cat")));
        });
    }

    @Test
    void sendsTextLinesAsPlainText() {
        AlertFormatter text = new AlertFormatter(AlertFormat.falcoDefaults().withTimeFormatIso8601(true));
        try (WebhookSink sink = new WebhookSink(config().withRetries(0, Duration.ofMillis(1), Duration.ofMillis(1)), text)) {
            sink.accept(alert("open_from_cat"));
            sink.flush();
        }
        // A text line is no Falco JSON: falcosidekick refuses it, as it refuses Falco's own text output.
        assertThat(sidekick.received()).singleElement().satisfies(r -> {
            assertThat(r.contentType()).isEqualTo("text/plain");
            assertThat(r.status()).isEqualTo(400);
        });
    }

    @Test
    void countsAlertsAsFailedWhenNobodyListens() {
        sidekick.close();
        try (WebhookSink sink = new WebhookSink(config(), JSON)) {
            sink.accept(alert("open_from_cat"));
            sink.flush();
            assertThat(sink.counters().snapshot()).isEqualTo(new SinkCounters.Snapshot(1, 0, 1, 0, 3, 0));
        }
    }

    /** The stub's checks are falcosidekick's: each of these bodies is refused with 400. */
    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "{\"rule\":\"r\",\"time\":\"2016-08-04T16:17:57.881781397Z\",\"output_fields\":{\"a\":1}}",
        "{\"priority\":\"Loud\",\"rule\":\"r\",\"time\":\"2016-08-04T16:17:57.881781397Z\",\"output_fields\":{\"a\":1}}",
        "{\"priority\":\"Warning\",\"rule\":\"\",\"time\":\"2016-08-04T16:17:57.881781397Z\",\"output_fields\":{\"a\":1}}",
        "{\"priority\":\"Warning\",\"rule\":\"r\",\"output_fields\":{\"a\":1}}",
        "{\"priority\":\"Warning\",\"rule\":\"r\",\"time\":\"0001-01-01T00:00:00Z\",\"output_fields\":{\"a\":1}}",
        "{\"priority\":\"Warning\",\"rule\":\"r\",\"time\":\"2016-08-04T16:17:57.881781397Z\",\"output_fields\":{}}",
        "{\"priority\":\"Warning\",\"rule\":\"r\",\"time\":\"2016-08-04T16:17:57.881781397Z\"}",
    })
    void stubRefusesWhatFalcosidekickRefuses(String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sidekick.url())).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void stubAcceptsLowerCasePriorityAndMissingSource() {
        assertThat(FalcosidekickStub.validFalcoPayload("{\"priority\":\"critical\",\"rule\":\"r\","
                + "\"time\":\"1970-01-01T00:00:00.000000001Z\",\"output_fields\":{\"proc.name\":\"sh\"}}")).isTrue();
    }
}

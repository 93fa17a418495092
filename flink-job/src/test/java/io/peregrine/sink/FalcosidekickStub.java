package io.peregrine.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for falcosidekick's {@code POST /} on 127.0.0.1: it accepts a request only when
 * falcosidekick's input handler would (POST, a body that parses as JSON, a known priority in any
 * case, a non-empty rule, a non-zero RFC 3339 time (Go's zero is year 1), non-empty output_fields) and answers 400
 * otherwise. It can be told to fail the next requests with 5xx, or to hold requests until released.
 */
final class FalcosidekickStub implements AutoCloseable {

    private static final Set<String> PRIORITIES = Set.of("emergency", "alert", "critical", "error", "warning",
            "notice", "informational", "info", "debug");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.time.Instant GO_ZERO_TIME = java.time.Instant.parse("0001-01-01T00:00:00Z");

    /** One request as received. */
    record Received(String method, String contentType, String userAgent, String contentEncoding, String body,
                    int status) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CountDownLatch firstRequest = new CountDownLatch(1);

    FalcosidekickStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The next {@code n} requests get {@code status} whatever they carry. */
    void failNext(int n, int status) {
        failStatus = status;
        failNext.set(n);
    }

    /** Requests wait until {@link #release()}. */
    void holdRequests() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    boolean awaitFirstRequest() throws InterruptedException {
        return firstRequest.await(10, TimeUnit.SECONDS);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> accepted() {
        return received.stream().filter(r -> r.status() == 200).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        firstRequest.countDown();
        try {
            hold.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        String body;
        try (InputStream in = "gzip".equals(encoding)
                ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status;
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = failStatus;
        } else {
            status = "POST".equals(exchange.getRequestMethod()) && validFalcoPayload(body) ? 200 : 400;
        }
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("User-Agent"), encoding, body, status));
        byte[] answer = (status == 200 ? "" : "Please send a valid request body\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    /** What falcosidekick's FalcoPayload.Check() and its JSON decoding demand. */
    static boolean validFalcoPayload(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return false;
        }
        if (node == null || !node.isObject()) {
            return false;
        }
        JsonNode priority = node.get("priority");
        if (priority == null || !priority.isTextual()
                || !PRIORITIES.contains(priority.asText().toLowerCase(Locale.ROOT))) {
            return false;
        }
        JsonNode rule = node.get("rule");
        if (rule == null || !rule.isTextual() || rule.asText().isEmpty()) {
            return false;
        }
        JsonNode time = node.get("time");
        try {
            // Go's time.IsZero: a missing time decodes to 0001-01-01T00:00:00Z.
            if (time == null || OffsetDateTime.parse(time.asText()).toInstant().equals(GO_ZERO_TIME)) {
                return false;
            }
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
        JsonNode fields = node.get("output_fields");
        return fields != null && fields.isObject() && fields.size() > 0;
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
    }
}

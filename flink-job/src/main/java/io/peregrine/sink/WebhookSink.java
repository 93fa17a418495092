package io.peregrine.sink;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Falco's {@code http_output}, made reliable: every alert is POSTed on its own, as Falco does, to
 * a falcosidekick-style endpoint ({@code POST /} with Falco's JSON, Content-Type
 * application/json; text/plain for text lines).
 *
 * <p>{@link #accept} never blocks the detection path: alerts go into a bounded queue and a single
 * worker thread sends them in order. When the queue is full the alert is dropped and counted.
 * Connection errors, timeouts, 5xx and 429 answers are retried with exponential backoff (with
 * jitter) up to {@code max_retries} times, then counted as failed; other 4xx answers mean the
 * receiver rejects the alert itself, so they fail at once.
 */
public final class WebhookSink implements AlertSink {

    /** Tells the worker to end; never sent. */
    private static final Alert STOP = Alert.builder().rule("\u0000stop").priority(Priority.DEBUG).build();

    private final HttpOutputConfig config;
    private final AlertFormatter formatter;
    private final HttpClient client;
    private final URI uri;
    private final BlockingQueue<Alert> queue;
    private final SinkCounters counters = new SinkCounters();
    private final Object idle = new Object();
    private final Thread worker;
    private long pending; // guarded by idle: accepted into the queue and not finished yet
    private volatile boolean closed;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;

    public WebhookSink(HttpOutputConfig config, AlertFormatter formatter) {
        this.config = config;
        this.formatter = formatter;
        this.uri = parse(config.url());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("http_output.url must be http:// or https://: " + config.url());
        }
        // HTTP/1.1 as curl (Falco) speaks it: no h2c upgrade headers that some receivers reject.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equals(uri.getScheme())) {
            builder.sslContext(TlsContexts.of(config.tls()));
        }
        this.client = builder.build();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity() + 1); // +1: room for STOP
        this.worker = new Thread(this::run, "peregrine-webhook-" + uri.getHost());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    private static URI parse(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http_output.url is not a URL: " + url, e);
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void accept(Alert alert) {
        counters.accepted();
        if (closed) {
            counters.dropped();
            return;
        }
        synchronized (idle) {
            if (queue.size() >= config.queueCapacity() || !queue.offer(alert)) {
                counters.dropped();
                return;
            }
            pending++;
        }
    }

    private void run() {
        while (true) {
            Alert alert;
            try {
                alert = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (alert == STOP) {
                return;
            }
            if (deliver(alert)) {
                counters.sent();
            } else {
                counters.failed();
            }
            synchronized (idle) {
                pending--;
                idle.notifyAll();
            }
        }
    }

    /** Sends one alert, retrying as configured; true once the receiver answered 2xx. */
    private boolean deliver(Alert alert) {
        HttpRequest request = request(alert);
        Duration backoff = config.initialBackoff();
        for (int attempt = 0; ; attempt++) {
            boolean retryable;
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return true;
                }
                retryable = status >= 500 || status == 429;
            } catch (IOException e) {
                retryable = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (!retryable || attempt >= config.maxRetries() || closed && pastCloseDeadline()) {
                return false;
            }
            counters.retried();
            if (!sleep(jittered(backoff))) {
                return false;
            }
            backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        }
    }

    private boolean pastCloseDeadline() {
        return System.nanoTime() - closeDeadlineNanos > 0;
    }

    private HttpRequest request(Alert alert) {
        byte[] body = formatter.line(alert).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Content-Type", formatter.format().json() ? "application/json" : "text/plain")
                .header("User-Agent", config.userAgent());
        if (config.compressUploads()) {
            builder.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(body);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** Full jitter on the upper half, so many sinks retrying together spread out. */
    private static Duration jittered(Duration d) {
        long ms = Math.max(1, d.toMillis());
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static boolean sleep(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until every queued alert is sent or given up (at most the configured close timeout). */
    @Override
    public void flush() {
        awaitIdle(config.closeTimeout());
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Stops taking alerts, gives the queue up to the close timeout to drain (retries stop at the
     * deadline), and counts what is left as dropped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + config.closeTimeout().toNanos();
        closed = true;
        awaitIdle(config.closeTimeout());
        synchronized (idle) {
            int left = queue.size();
            queue.clear();
            for (int i = 0; i < left; i++) {
                counters.dropped();
            }
            pending -= left;
            queue.offer(STOP);
        }
        try {
            worker.join(config.requestTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
    }

    @Override
    public SinkCounters counters() {
        return counters;
    }
}

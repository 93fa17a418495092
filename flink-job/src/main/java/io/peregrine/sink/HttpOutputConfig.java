package io.peregrine.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP(S) webhook sink: Falco's {@code http_output} keys ({@code url},
 * {@code user_agent}, {@code insecure}, {@code ca_cert}, {@code ca_bundle}, {@code ca_path},
 * {@code compress_uploads}) plus Peregrine's delivery guarantees, which Falco lacks: a bounded
 * queue, retries with exponential backoff on connection errors, 5xx and 429, and a request timeout.
 *
 * @param caCert PEM file of one CA certificate, or "" for none
 * @param caBundle PEM file of several CA certificates, or "" for none
 * @param caPath directory of PEM CA certificates; "" or Falco's default "/etc/ssl/certs" means the
 *     JVM's own trust store
 */
public record HttpOutputConfig(String url, String userAgent, boolean insecure, String caCert, String caBundle,
                               String caPath, boolean compressUploads, int queueCapacity, int maxRetries,
                               Duration initialBackoff, Duration maxBackoff, Duration requestTimeout,
                               Duration closeTimeout) implements Serializable {

    /** Falco's default user agent; falcosidekick and most receivers ignore it. */
    public static final String DEFAULT_USER_AGENT = "falcosecurity/falco";

    /** Falco's default {@code ca_path}. */
    public static final String DEFAULT_CA_PATH = "/etc/ssl/certs";

    public HttpOutputConfig {
        Objects.requireNonNull(url, "http_output.url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("http_output.url is empty");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("http_output.queue_capacity must be at least 1: " + queueCapacity);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("http_output.max_retries must not be negative: " + maxRetries);
        }
        userAgent = userAgent == null || userAgent.isEmpty() ? DEFAULT_USER_AGENT : userAgent;
        caCert = caCert == null ? "" : caCert;
        caBundle = caBundle == null ? "" : caBundle;
        caPath = caPath == null ? "" : caPath;
    }

    /** Defaults for everything but the URL: 10 000 queued alerts, 5 retries from 200 ms to 10 s. */
    public static HttpOutputConfig forUrl(String url) {
        return new HttpOutputConfig(url, DEFAULT_USER_AGENT, false, "", "", "", false, 10_000, 5,
                Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public HttpOutputConfig withQueue(int capacity) {
        return new HttpOutputConfig(url, userAgent, insecure, caCert, caBundle, caPath, compressUploads, capacity,
                maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withRetries(int retries, Duration initial, Duration max) {
        return new HttpOutputConfig(url, userAgent, insecure, caCert, caBundle, caPath, compressUploads, queueCapacity,
                retries, initial, max, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withTls(boolean insecureValue, String caCertValue, String caBundleValue, String caPathValue) {
        return new HttpOutputConfig(url, userAgent, insecureValue, caCertValue, caBundleValue, caPathValue,
                compressUploads, queueCapacity, maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withUserAgent(String value) {
        return new HttpOutputConfig(url, value, insecure, caCert, caBundle, caPath, compressUploads, queueCapacity,
                maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withCompressUploads(boolean value) {
        return new HttpOutputConfig(url, userAgent, insecure, caCert, caBundle, caPath, value, queueCapacity,
                maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withTimeouts(Duration request, Duration close) {
        return new HttpOutputConfig(url, userAgent, insecure, caCert, caBundle, caPath, compressUploads, queueCapacity,
                maxRetries, initialBackoff, maxBackoff, request, close);
    }
}

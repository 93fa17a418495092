package io.peregrine.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP(S) webhook sink: Falco's {@code http_output} keys ({@code url},
 * {@code user_agent}, {@code compress_uploads} and the TLS keys in {@link Tls}) plus Peregrine's
 * delivery guarantees, which Falco lacks: a bounded queue, retries with exponential backoff on
 * connection errors, 5xx and 429, and a request timeout.
 */
public record HttpOutputConfig(String url, String userAgent, Tls tls, boolean compressUploads, int queueCapacity,
                               int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout,
                               Duration closeTimeout) implements Serializable {

    /**
     * Falco's TLS keys of {@code http_output}.
     *
     * @param insecure accept any server certificate and host name ({@code insecure})
     * @param caCert PEM file of one CA certificate, or "" for none ({@code ca_cert})
     * @param caBundle PEM file of several CA certificates, or "" for none ({@code ca_bundle})
     * @param caPath directory of PEM CA certificates; "" or Falco's default "/etc/ssl/certs" means the
     *     JVM's own trust store ({@code ca_path})
     * @param mtls present a client certificate ({@code mtls})
     * @param clientCert PEM file of the client certificate chain ({@code client_cert})
     * @param clientKey PEM file of its unencrypted private key: PKCS#8, PKCS#1 RSA or SEC1 EC
     *     ({@code client_key})
     */
    public record Tls(boolean insecure, String caCert, String caBundle, String caPath, boolean mtls,
                      String clientCert, String clientKey) implements Serializable {

        /** Normalises missing paths to "". */
        public Tls {
            caCert = caCert == null ? "" : caCert;
            caBundle = caBundle == null ? "" : caBundle;
            caPath = caPath == null ? "" : caPath;
            clientCert = clientCert == null ? "" : clientCert;
            clientKey = clientKey == null ? "" : clientKey;
        }

        /** The JVM's trust store, no client certificate. */
        public static Tls defaults() {
            return new Tls(false, "", "", "", false, "", "");
        }

        /** Trusts the CA certificate(s) in {@code caCertPem}. */
        public static Tls trusting(String caCertPem) {
            return new Tls(false, caCertPem, "", "", false, "", "");
        }

        /** Accepts any server. */
        public static Tls insecureTls() {
            return new Tls(true, "", "", "", false, "", "");
        }

        /** This, also presenting the client certificate and key. */
        public Tls withClientCertificate(String certPem, String keyPem) {
            return new Tls(insecure, caCert, caBundle, caPath, true, certPem, keyPem);
        }
    }

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
        tls = tls == null ? Tls.defaults() : tls;
    }

    /** Defaults for everything but the URL: 10 000 queued alerts, 5 retries from 200 ms to 10 s. */
    public static HttpOutputConfig forUrl(String url) {
        return new HttpOutputConfig(url, DEFAULT_USER_AGENT, Tls.defaults(), false, 10_000, 5,
                Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public HttpOutputConfig withQueue(int capacity) {
        return new HttpOutputConfig(url, userAgent, tls, compressUploads, capacity,
                maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withRetries(int retries, Duration initial, Duration max) {
        return new HttpOutputConfig(url, userAgent, tls, compressUploads, queueCapacity,
                retries, initial, max, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withTls(Tls value) {
        return new HttpOutputConfig(url, userAgent, value, compressUploads, queueCapacity, maxRetries, initialBackoff,
                maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withUserAgent(String value) {
        return new HttpOutputConfig(url, value, tls, compressUploads, queueCapacity,
                maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withCompressUploads(boolean value) {
        return new HttpOutputConfig(url, userAgent, tls, value, queueCapacity,
                maxRetries, initialBackoff, maxBackoff, requestTimeout, closeTimeout);
    }

    public HttpOutputConfig withTimeouts(Duration request, Duration close) {
        return new HttpOutputConfig(url, userAgent, tls, compressUploads, queueCapacity,
                maxRetries, initialBackoff, maxBackoff, request, close);
    }
}

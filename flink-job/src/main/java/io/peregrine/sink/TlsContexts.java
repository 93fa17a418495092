package io.peregrine.sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the TLS context of the webhook sink from Falco's http_output TLS keys (CAs, insecure, mTLS). */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * The SSL context for {@code tls}: trust everything without checking host names when
     * insecure; otherwise the given CA certificates when any are set, else the JVM's defaults;
     * and with mtls, present the client certificate.
     */
    static SSLContext of(HttpOutputConfig.Tls tls) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(tls), trustManagers(tls), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("http_output: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The server checks: none when insecure, else the configured CAs, else the JVM's (null). */
    private static TrustManager[] trustManagers(HttpOutputConfig.Tls tls) throws GeneralSecurityException, IOException {
        if (tls.insecure()) {
            return new TrustManager[] {new TrustEverything()};
        }
        List<Certificate> cas = new ArrayList<>();
        addPem(cas, tls.caCert(), "http_output.ca_cert");
        addPem(cas, tls.caBundle(), "http_output.ca_bundle");
        if (!tls.caPath().isEmpty() && !tls.caPath().equals(HttpOutputConfig.DEFAULT_CA_PATH)) {
            try (Stream<Path> files = Files.list(Path.of(tls.caPath()))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    addPem(cas, f.toString(), "http_output.ca_path");
                }
            }
        }
        if (cas.isEmpty()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    /** The client certificate for mTLS, or none (null). */
    private static KeyManager[] keyManagers(HttpOutputConfig.Tls tls) throws GeneralSecurityException, IOException {
        if (!tls.mtls()) {
            return null;
        }
        if (tls.clientCert().isEmpty() || tls.clientKey().isEmpty()) {
            throw new IllegalArgumentException("http_output.mtls needs client_cert and client_key");
        }
        List<Certificate> chain = new ArrayList<>();
        addPem(chain, tls.clientCert(), "http_output.client_cert");
        PrivateKey key;
        try {
            key = PemPrivateKeys.read(Path.of(tls.clientKey()));
        } catch (IOException e) {
            throw new IllegalArgumentException("http_output.client_key: " + e.getMessage(), e);
        }
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }

    private static void addPem(List<Certificate> into, String file, String key) throws IOException {
        if (file.isEmpty()) {
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(key + ": " + file + " holds no PEM certificate");
            }
            into.addAll(certificates);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(key + ": " + file + " holds no PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * {@code insecure: true}: accepts any server certificate. Being an X509ExtendedTrustManager,
     * it also replaces the JDK's host name check, which lives in the trust manager.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

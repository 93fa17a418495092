package io.peregrine.sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the TLS context of the webhook sink from Falco's http_output CA and insecure options. */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * The SSL context for {@code config}: trust everything without checking host names when
     * insecure; otherwise the given CA certificates when any are set, else the JVM's defaults.
     */
    static SSLContext of(HttpOutputConfig config) {
        try {
            if (config.insecure()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
                return context;
            }
            List<Certificate> cas = new ArrayList<>();
            addPem(cas, config.caCert(), "http_output.ca_cert");
            addPem(cas, config.caBundle(), "http_output.ca_bundle");
            if (!config.caPath().isEmpty() && !config.caPath().equals(HttpOutputConfig.DEFAULT_CA_PATH)) {
                try (Stream<Path> files = Files.list(Path.of(config.caPath()))) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        addPem(cas, f.toString(), "http_output.ca_path");
                    }
                }
            }
            if (cas.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("http_output: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static void addPem(List<Certificate> into, String file, String key) throws IOException {
        if (file.isEmpty()) {
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            into.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
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

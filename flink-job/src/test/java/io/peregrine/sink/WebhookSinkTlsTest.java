package io.peregrine.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook over HTTPS: Falco's ca_cert, insecure and mtls options against local servers. */
class WebhookSinkTlsTest {

    private static final AlertFormatter JSON = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true));
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static Path goodKeystore;
    private static Path goodCaPem;
    private static Path wrongHostKeystore;

    private HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void makeCertificates() throws Exception {
        goodKeystore = dir.resolve("good.p12");
        wrongHostKeystore = dir.resolve("wrong-host.p12");
        goodCaPem = dir.resolve("good.pem");
        keytool("-genkeypair", "-alias", "srv", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", goodKeystore.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "srv", "-keystore", goodKeystore.toString(), "-storepass", "changeit",
                "-file", goodCaPem.toString());
        keytool("-genkeypair", "-alias", "srv", "-keyalg", "EC", "-dname", "CN=somewhere.else", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", wrongHostKeystore.toString(), "-storepass", "changeit");
    }

    private static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool " + String.join(" ", args) + ": " + out).isZero();
    }

    private String start(Path keystore) throws Exception {
        return start(keystore, null);
    }

    /** Starts the HTTPS server; with {@code clientCa}, it demands a client certificate signed by it. */
    private String start(Path keystore, Path clientCa) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = null;
        if (clientCa != null) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(clientCa)) {
                trusted.setCertificateEntry("client-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(clientCa != null);
                params.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static Alert alert() {
        return Alert.builder().timeNs(1L).rule("r").priority(Priority.ERROR).output("o").field("proc.name", "sh").build();
    }

    private static SinkCounters.Snapshot send(HttpOutputConfig config) {
        try (WebhookSink sink = new WebhookSink(config.withRetries(0, Duration.ofMillis(1), Duration.ofMillis(1)), JSON)) {
            sink.accept(alert());
            sink.flush();
            return sink.counters().snapshot();
        }
    }

    @Test
    void trustsAServerSignedByTheConfiguredCaCert() throws Exception {
        String url = start(goodKeystore);
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(HttpOutputConfig.Tls.trusting(goodCaPem.toString()))).sent()).isEqualTo(1);
        assertThat(requests).hasValue(1);
    }

    @Test
    void refusesAnUnknownServerCertificateByDefault() throws Exception {
        String url = start(goodKeystore);
        assertThat(send(HttpOutputConfig.forUrl(url)).failed()).isEqualTo(1);
        assertThat(requests).hasValue(0);
    }

    @Test
    void insecureAcceptsAnyCertificateAndHostName() throws Exception {
        String url = start(wrongHostKeystore);
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(HttpOutputConfig.Tls.insecureTls())).sent()).isEqualTo(1);
    }

    @Test
    void checksTheHostNameWhenNotInsecure() throws Exception {
        Path wrongPem = dir.resolve("wrong.pem");
        keytool("-exportcert", "-rfc", "-alias", "srv", "-keystore", wrongHostKeystore.toString(), "-storepass",
                "changeit", "-file", wrongPem.toString());
        String url = start(wrongHostKeystore);
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(HttpOutputConfig.Tls.trusting(wrongPem.toString()))).failed()).isEqualTo(1);
    }

    /** Client key and certificate in each PEM key format curl reads, made by openssl. */
    @ParameterizedTest
    @CsvSource({
        "pkcs8-rsa, 'req -x509 -newkey rsa:2048 -nodes -keyout KEY -out CERT -subj /CN=client -days 2', BEGIN PRIVATE KEY",
        "pkcs1-rsa, 'genrsa -traditional -out KEY 2048', BEGIN RSA PRIVATE KEY",
        "sec1-ec, 'ecparam -name prime256v1 -genkey -noout -out KEY', BEGIN EC PRIVATE KEY",
    })
    void presentsTheClientCertificateWithMtls(String name, String keyCommand, String header) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl makes the client keys");
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        openssl(keyCommand.replace("KEY", key.toString()).replace("CERT", cert.toString()));
        if (!Files.exists(cert)) {
            openssl("req -new -x509 -key " + key + " -out " + cert + " -subj /CN=client -days 2");
        }
        assertThat(Files.readString(key)).contains(header);
        String url = start(goodKeystore, cert);
        HttpOutputConfig.Tls serverTrusted = HttpOutputConfig.Tls.trusting(goodCaPem.toString());

        assertThat(send(HttpOutputConfig.forUrl(url).withTls(serverTrusted)).failed()).as("without mtls").isEqualTo(1);
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(serverTrusted.withClientCertificate(cert.toString(),
                key.toString()))).sent()).as("with mtls").isEqualTo(1);
        assertThat(requests).hasValue(1);
    }

    private static void openssl(String args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("openssl " + args + ": " + out).isZero();
    }

    @Test
    void namesTheMissingClientKey() {
        assertThatThrownBy(() -> new WebhookSink(HttpOutputConfig.forUrl("https://127.0.0.1:1/")
                .withTls(HttpOutputConfig.Tls.defaults().withClientCertificate(goodCaPem.toString(),
                        dir.resolve("absent.key").toString())), JSON)).hasMessageContaining("http_output.client_key");
    }

    @Test
    void namesTheOptionOfAnUnreadableCaFile() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> new WebhookSink(HttpOutputConfig.forUrl("https://127.0.0.1:1/")
                .withTls(HttpOutputConfig.Tls.trusting(notPem.toString())), JSON)).hasMessageContaining("http_output.ca_cert");
    }
}

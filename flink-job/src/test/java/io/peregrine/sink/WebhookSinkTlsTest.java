package io.peregrine.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over HTTPS: Falco's ca_cert and insecure options against a self-signed server. */
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
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
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
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(false, goodCaPem.toString(), "", "")).sent()).isEqualTo(1);
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
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(true, "", "", "")).sent()).isEqualTo(1);
    }

    @Test
    void checksTheHostNameWhenNotInsecure() throws Exception {
        Path wrongPem = dir.resolve("wrong.pem");
        keytool("-exportcert", "-rfc", "-alias", "srv", "-keystore", wrongHostKeystore.toString(), "-storepass",
                "changeit", "-file", wrongPem.toString());
        String url = start(wrongHostKeystore);
        assertThat(send(HttpOutputConfig.forUrl(url).withTls(false, wrongPem.toString(), "", "")).failed()).isEqualTo(1);
    }

    @Test
    void namesTheOptionOfAnUnreadableCaFile() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> new WebhookSink(HttpOutputConfig.forUrl("https://127.0.0.1:1/")
                .withTls(false, notPem.toString(), "", ""), JSON)).hasMessageContaining("http_output.ca_cert");
    }
}

package io.peregrine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code submit [OPTIONS] [-- JOB ARGS...]}: uploads the shaded job jar to a Flink cluster's REST
 * API ({@code POST /jars/upload}) and runs the streaming job ({@code POST /jars/ID/run}), optionally
 * from a savepoint. Prints the job id.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Upload the job jar to a Flink cluster (REST) and run the streaming job.")
public final class SubmitCommand implements Callable<Integer> {

    @Option(names = "--rest", defaultValue = "http://127.0.0.1:8081", description = "Flink REST address (default: ${DEFAULT-VALUE}).")
    URI rest;

    @Option(names = "--jar", defaultValue = "flink-job/target/peregrine-job.jar", description = "Shaded job jar (default: ${DEFAULT-VALUE}).")
    Path jar;

    @Option(names = {"-p", "--parallelism"}, description = "Job parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(names = {"-s", "--from-savepoint"}, description = "Start from this savepoint or retained checkpoint.")
    String savepoint;

    @Option(names = "--entry-class", defaultValue = "io.peregrine.job.stream.StreamingJob", description = "Main class (default: ${DEFAULT-VALUE}).")
    String entryClass;

    @Parameters(arity = "0..*", paramLabel = "JOB-ARG", description = "Job arguments, e.g. --events-topic events (after --).")
    List<String> jobArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(jar)) {
            err.println("submit: cannot read the job jar " + jar + " (build it: mvn -pl flink-job -am package -DskipTests)");
            return 1;
        }
        try {
            String jarId = upload();
            ObjectNode run = json.createObjectNode();
            run.put("entryClass", entryClass);
            if (parallelism != null) {
                run.put("parallelism", parallelism);
            }
            if (savepoint != null) {
                run.put("savepointPath", savepoint);
            }
            run.putArray("programArgsList").addAll(jobArgs.stream().map(json::<JsonNode>valueToTree).toList());
            JsonNode answer = send(HttpRequest.newBuilder(rest.resolve("/jars/" + jarId + "/run"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(run))));
            out.println("submitted job " + answer.path("jobid").asText() + " to " + rest);
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("submit: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Uploads the jar as multipart/form-data field "jarfile"; returns the id the cluster gave it. */
    private String upload() throws IOException, InterruptedException {
        String boundary = "peregrine-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(rest.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        if (file.isEmpty()) {
            throw new IOException("the cluster did not accept the jar: " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}

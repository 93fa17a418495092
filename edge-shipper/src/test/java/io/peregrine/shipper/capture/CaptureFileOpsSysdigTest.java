package io.peregrine.shipper.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.shipper.probe.ProbeBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * File syscalls done by coreutils in a live capture, as sysdig 0.29.3 reads them: the parameters
 * land where libscap puts them (dirfd-relative paths, which sysdig resolves; modes; generic events).
 */
class CaptureFileOpsSysdigTest {

    @TempDir
    static Path dir;
    private static Path capture;

    @BeforeAll
    static void captureFileOperations() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sysdig")), "needs sysdig");
        capture = dir.resolve("files.scap");
        Path work = Files.createDirectory(dir.resolve("w"));
        LiveCapture live = new LiveCapture(ProbeBinary.require(), 16);
        List<Object> result = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                result.add(live.run(capture, List.of(), 0, Duration.ofSeconds(60)));
            } catch (IOException e) {
                result.add(e);
            }
        });
        t.start();
        assertThat(live.awaitReady(Duration.ofSeconds(20))).isTrue();
        String script = String.join("; ",
                "cd " + work, "mkdir d1", "rmdir d1", "touch f1", "mv f1 f2", "ln -s f2 s1", "ln f2 h1",
                "chmod 640 f2", "chown 1:1 f2", "rm f2", "unlink h1");
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEmpty();
        Thread.sleep(300);
        live.stop();
        t.join(30_000);
        if (result.get(0) instanceof Exception e) {
            throw e;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "mkdir  ; mkdir     ; %evt.arg.path                     ; <W>/d1",
        "rmdir  ; rmdir     ; %evt.arg.path                     ; <W>/d1",
        "touch  ; openat    ; %fd.name                          ; <W>/f1",
        "mv     ; renameat2 ; %evt.arg.oldpath %evt.arg.newpath ; <W>/f1 <W>/f2",
        "ln     ; symlinkat ; %evt.arg.target %evt.arg.linkpath ; f2 <W>/s1",
        "ln     ; linkat    ; %evt.arg.oldpath %evt.arg.newpath ; <W>/f2 <W>/h1",
        "chmod  ; fchmodat  ; %evt.arg.filename %evt.arg.mode   ; <W>/f2 S_IRGRP|S_IWUSR|S_IRUSR",
        "chown  ; fchownat  ; %evt.type                         ; fchownat",
        "rm     ; unlinkat  ; %evt.arg.name                     ; <W>/f2",
        "unlink ; unlink    ; %evt.arg.path                     ; <W>/h1",
    })
    void sysdigReadsTheParametersWhereLibscapPutsThem(String proc, String type, String fields, String expected)
            throws Exception {
        String w = dir.resolve("w").toString();
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", "*" + fields,
                "proc.name=" + proc + " and evt.type=" + type + " and evt.dir=<").redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();
        assertThat(lines).anySatisfy(l -> assertThat(l.trim()).isEqualTo(expected.replace("<W>", w).trim()));
    }
}

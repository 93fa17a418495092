package io.peregrine.sink;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormatter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Falco's {@code file_output}: alert lines appended to a file. With {@code keep_alive: false}
 * (Falco's default) the file is opened and closed for every alert, so an external logrotate is
 * honoured at once; with {@code keep_alive: true} it stays open until {@link #reopen()} or
 * {@link #close()}.
 *
 * <p>Rotation (a Peregrine addition, off when {@code maxBytes <= 0}): before a line that would
 * take the file past {@code maxBytes}, {@code events.txt} becomes {@code events.txt.1}, older
 * files shift up by one, and only {@code maxFiles} rotated files are kept. A line is never split
 * across files.
 */
public final class FileSink implements AlertSink {

    private final Path file;
    private final AlertFormatter formatter;
    private final boolean keepAlive;
    private final boolean buffered;
    private final long maxBytes;
    private final int maxFiles;
    private final SinkCounters counters = new SinkCounters();
    private OutputStream stream;
    private long size;

    /**
     * @param maxBytes rotate before the file grows past this many bytes; 0 or less: never rotate
     * @param maxFiles how many rotated files to keep (events.txt.1 ... events.txt.N)
     */
    public FileSink(Path file, AlertFormatter formatter, boolean keepAlive, boolean buffered, long maxBytes,
                    int maxFiles) {
        this.file = file;
        this.formatter = formatter;
        this.keepAlive = keepAlive;
        this.buffered = buffered;
        this.maxBytes = maxBytes;
        this.maxFiles = Math.max(0, maxFiles);
        if (keepAlive) {
            // Fail early, naming the file, as Falco does when it cannot open its output file.
            try {
                open();
            } catch (IOException e) {
                throw new UncheckedIOException("failed to open output file " + file, e);
            }
        }
    }

    @Override
    public String name() {
        return "file";
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void accept(Alert alert) {
        counters.accepted();
        byte[] line = (formatter.line(alert) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (stream == null) {
                open();
            }
            if (maxBytes > 0 && size > 0 && size + line.length > maxBytes) {
                rotate();
            }
            stream.write(line);
            size += line.length;
            if (!buffered) {
                stream.flush();
            }
            counters.sent();
        } catch (IOException e) {
            counters.failed();
            closeQuietly();
        }
        if (!keepAlive) {
            closeQuietly();
        }
    }

    /** Closes and reopens the file, for when something else moved it away (Falco's SIGUSR1). */
    public synchronized void reopen() {
        closeQuietly();
        if (keepAlive) {
            try {
                open();
            } catch (IOException e) {
                throw new UncheckedIOException("failed to open output file " + file, e);
            }
        }
    }

    private void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        stream = buffered ? new java.io.BufferedOutputStream(raw, 64 * 1024) : raw;
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        closeQuietly();
        if (maxFiles == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    /** The n-th rotated file: {@code events.txt.n}. */
    public Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void closeQuietly() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // Nothing more to save: the alert was counted as failed or sent already.
            }
            stream = null;
        }
    }

    @Override
    public synchronized void flush() {
        if (stream != null) {
            try {
                stream.flush();
            } catch (IOException e) {
                counters.failed();
            }
        }
    }

    @Override
    public synchronized void close() {
        flush();
        closeQuietly();
    }

    @Override
    public SinkCounters counters() {
        return counters;
    }
}

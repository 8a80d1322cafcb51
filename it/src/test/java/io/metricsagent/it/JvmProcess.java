package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM started for a test, its output collected line by line; closing it kills it. */
final class JvmProcess implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SERVING = Pattern.compile("\\[metrics-agent] serving metrics on http://[^ ]+:(\\d+)/metrics");

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final List<String> command;

    private JvmProcess(List<String> command, Map<String, String> env) throws IOException {
        this.command = command;
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        process = builder.start();
        collect(process.getInputStream(), stdout);
        collect(process.getErrorStream(), stderr);
    }

    static JvmProcess start(Path java, List<String> arguments, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(arguments);
        return new JvmProcess(command, env);
    }

    private static void collect(InputStream stream, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The first stdout line matching {@code regex}, waiting for it up to {@link #TIMEOUT}. */
    Matcher awaitStdout(String regex) {
        return await(stdout, Pattern.compile(regex));
    }

    /** The first stderr line matching {@code regex}, waiting for it up to {@link #TIMEOUT}. */
    Matcher awaitStderr(String regex) {
        return await(stderr, Pattern.compile(regex));
    }

    /** The port the agent reported it bound. */
    int metricsPort() {
        return Integer.parseInt(await(stderr, SERVING).group(1));
    }

    private Matcher await(List<String> lines, Pattern pattern) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                for (String line : lines) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
            }
            if (!process.isAlive() && drained(lines)) {
                break;
            }
            pause();
        }
        fail("no line matching /" + pattern + "/ from " + describe());
        throw new AssertionError();
    }

    private boolean drained(List<String> lines) {
        int size = lines.size();
        pause();
        return lines.size() == size;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("still running after " + TIMEOUT + ": " + describe());
        }
        drained(stdout);
        drained(stderr);
        return process.exitValue();
    }

    /** Writes one line to the process's stdin; {@code null} closes it. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        if (line == null) {
            in.close();
            return;
        }
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    List<String> stdout() {
        synchronized (stdout) {
            return new ArrayList<>(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return new ArrayList<>(stderr);
        }
    }

    long pid() {
        return process.pid();
    }

    String describe() {
        return String.join(" ", command) + "\n--- stdout:\n" + String.join("\n", stdout())
                + "\n--- stderr:\n" + String.join("\n", stderr());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

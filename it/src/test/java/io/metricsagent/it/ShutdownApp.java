package io.metricsagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Run by {@link ShutdownIT} in a JVM of its own. Prints {@code ready}, then reads a line: on
 * {@code exit N} it calls {@code System.exit(N)}, on anything else (or the end of stdin) its main
 * returns. Its shutdown hook prints {@code hook running}, waits for one more line and prints
 * {@code hook done}, so that the test can look at the JVM while it shuts down.
 */
public final class ShutdownApp {

    private ShutdownApp() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("hook running");
            try {
                in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("hook done");
        }));
        System.out.println("ready");
        String command = in.readLine();
        if (command != null && command.startsWith("exit ")) {
            System.exit(Integer.parseInt(command.substring(5)));
        }
    }
}

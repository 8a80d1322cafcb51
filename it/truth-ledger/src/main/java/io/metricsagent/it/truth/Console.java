package io.metricsagent.it.truth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs one command per stdin line and prints {@code done <line>} after it, so that a test knows
 * what was done when; {@code exit} ends the JVM with status 0. A failing command prints
 * {@code failed <line>: <exception>} instead, and the next line is read.
 */
public final class Console {

    /** One command; {@code words[0]} is its name. */
    public interface Command {
        void run(String[] words) throws Exception;
    }

    private Console() {}

    /** Ends the JVM with status 0 after {@code seconds}, unless it is 0 (then it runs until told). */
    public static void exitAfter(long seconds) {
        if (seconds == 0) {
            return;
        }
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000);
                System.exit(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exit-after-" + seconds + "s");
        timer.setDaemon(true);
        timer.start();
    }

    /** Reads stdin on the calling thread until it ends. */
    public static void serve(Map<String, Command> commands) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" +");
            if (words[0].equals("exit")) {
                System.exit(0);
            }
            Command command = commands.get(words[0]);
            try {
                if (command == null) {
                    throw new IllegalArgumentException("unknown command; known: exit " + String.join(" ", commands.keySet()));
                }
                command.run(words);
                System.out.println("done " + line);
            } catch (Exception e) {
                System.out.println("failed " + line + ": " + e);
            }
        }
    }
}

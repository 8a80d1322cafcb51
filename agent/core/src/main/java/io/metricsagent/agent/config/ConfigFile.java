package io.metricsagent.agent.config;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a file an option names ({@code config=}, a secret's {@code *_file=}), whatever it turns out
 * to be. Only a regular file is
 * opened: opening a named pipe waits for a writer, and reading {@code /dev/zero} never ends, and
 * premain (and the watcher after it) would wait with them. At most {@value #MAX_BYTES} bytes are
 * read, so that a log file named by mistake costs no more heap than a configuration may, and no
 * line may be longer than {@value #MAX_LINE_BYTES} bytes: SnakeYAML copies what it has read of a
 * scalar each time it reads on, so a megabyte scalar would cost a gigabyte of garbage.
 * {@code java.io} rather than {@code Files}, whose channel classes would load in premain for this
 * alone.
 */
final class ConfigFile {

    /** A thousand times the size of the largest example; a generated file has room. */
    static final int MAX_BYTES = 1 << 20;
    /** Some fifty times the longest line of the examples. */
    static final int MAX_LINE_BYTES = 1 << 14;

    private ConfigFile() {}

    /**
     * The file's text, UTF-8.
     *
     * @param option the option that names the file, for the message
     * @throws IllegalArgumentException {@code <option>=<file> cannot be read: why}
     */
    static String text(String option, String file) {
        File path = new File(file);
        if (!path.isFile()) {
            throw unreadable(option, file, !path.exists() ? "there is no such file"
                    : path.isDirectory() ? "it is a directory" : "it is not a regular file");
        }
        byte[] bytes;
        try {
            bytes = read(path);
        } catch (IOException e) {
            throw unreadable(option, file, e.toString());
        }
        if (bytes.length > MAX_BYTES) {
            throw unreadable(option, file, "it is larger than " + MAX_BYTES + " bytes");
        }
        int line = longLine(bytes);
        if (line > 0) {
            throw unreadable(option, file, "line " + line + " is longer than " + MAX_LINE_BYTES + " bytes");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return utf8.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw unreadable(option, file, "it is not UTF-8 text (the byte at offset " + in.position()
                    + " begins no character)");
        }
    }

    /**
     * The file's first {@value #MAX_BYTES} bytes and one more (enough to see a change), or
     * {@code null} when it is not a regular file or does not read. Never throws.
     */
    static byte[] bytes(String file) {
        File path = new File(file);
        if (!path.isFile()) {
            return null;
        }
        try {
            return read(path);
        } catch (IOException e) {
            return null;
        }
    }

    /** The first line (from 1) longer than {@link #MAX_LINE_BYTES}, or 0; a line ends at LF, CR or CR LF. */
    private static int longLine(byte[] bytes) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n' || bytes[i] == '\r') {
                if (i - start > MAX_LINE_BYTES) {
                    return line;
                }
                if (i + 1 < bytes.length && bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
                line++;
            }
        }
        return 0;
    }

    private static byte[] read(File path) throws IOException {
        try (InputStream in = new FileInputStream(path)) {
            byte[] bytes = new byte[(int) Math.min(path.length() + 1, MAX_BYTES + 1)];
            int length = 0;
            while (true) {
                if (length == bytes.length) {
                    if (length > MAX_BYTES) {
                        return bytes;
                    }
                    // Grown since its length was read.
                    bytes = Arrays.copyOf(bytes, Math.min(length * 2, MAX_BYTES + 1));
                }
                int read = in.read(bytes, length, bytes.length - length);
                if (read < 0) {
                    return Arrays.copyOf(bytes, length);
                }
                length += read;
            }
        }
    }

    private static IllegalArgumentException unreadable(String option, String file, String why) {
        return new IllegalArgumentException(option + "=" + file + " cannot be read: " + why);
    }
}

package io.metricsagent.agent.weaving;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Texts looked for in the constant pools of loading classes, all in one pass over a class file's
 * pool: every class the JVM loads is tested, so the test is a walk over the pool's entries that
 * compares each text entry with the few texts of the same first byte, not a search of the whole
 * file for each text. A class that annotates anything with a type names its descriptor in a text
 * entry of its own, and one that declares a method names the method the same way, so what is not
 * found here is not in the class.
 */
final class PoolTexts {

    /** A text's bit when there are more than fit in a {@code long}: always found. */
    private static final long UNTRACKED = 0;
    /**
     * What {@link #scan} answers for a file it cannot walk: a file whose pool holds all of 64
     * texts is searched again, which finds them all again.
     */
    private static final long UNREADABLE = -1L;

    private final byte[][] texts;
    private final boolean[] prefixes;
    /** By a text's first byte, the indexes of the texts starting with it. */
    private final int[][] byFirstByte = new int[256][];

    private PoolTexts(List<byte[]> texts, List<Boolean> prefixes) {
        this.texts = texts.toArray(new byte[0][]);
        this.prefixes = new boolean[texts.size()];
        List<List<Integer>> first = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            first.add(new ArrayList<>());
        }
        for (int i = 0; i < this.texts.length; i++) {
            this.prefixes[i] = prefixes.get(i);
            first.get(this.texts[i][0] & 0xff).add(i);
        }
        for (int b = 0; b < 256; b++) {
            List<Integer> indexes = first.get(b);
            byFirstByte[b] = new int[indexes.size()];
            for (int i = 0; i < indexes.size(); i++) {
                byFirstByte[b][i] = indexes.get(i);
            }
        }
    }

    /** Collects the texts to look for; each gets the bit {@link #bit} of its index. */
    static final class Builder {
        private final List<byte[]> texts = new ArrayList<>();
        private final List<Boolean> prefixes = new ArrayList<>();

        /**
         * A text the pool must hold as a whole entry, or with {@code prefix} one that starts with it;
         * -1 when the text cannot be told from the pool's bytes (empty, or outside ASCII, whose
         * encoding in class files differs from UTF-8's for some characters): such a text is always found.
         */
        int add(String text, boolean prefix) {
            if (text.isEmpty() || !isAscii(text)) {
                return -1;
            }
            texts.add(text.getBytes(StandardCharsets.US_ASCII));
            prefixes.add(prefix);
            return texts.size() - 1;
        }

        PoolTexts build() {
            return new PoolTexts(texts, prefixes);
        }

        private static boolean isAscii(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0 || c > 0x7f) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The bit {@link #find} sets for the text of this index; 0, found always, for -1 or beyond 64 texts. */
    static long bit(int index) {
        return index < 0 || index >= Long.SIZE ? UNTRACKED : 1L << index;
    }

    /** Whether {@code found} has the text of this index, by its {@link #bit}. */
    static boolean has(long found, int index) {
        long bit = bit(index);
        return bit == UNTRACKED || (found & bit) != 0;
    }

    /**
     * The bits of the texts the class file's pool holds. A file whose pool this cannot walk (not
     * a class file, or one with an entry of a later JVM) is searched byte by byte instead, where
     * a text anywhere counts as found.
     */
    long find(byte[] classFile) {
        if (texts.length == 0) {
            return 0;
        }
        try {
            long found = scan(classFile);
            return found != UNREADABLE ? found : search(classFile);
        } catch (RuntimeException e) {
            return search(classFile);
        }
    }

    private long scan(byte[] b) {
        if (b.length < 10 || (b[0] & 0xff) != 0xca || (b[1] & 0xff) != 0xfe || (b[2] & 0xff) != 0xba
                || (b[3] & 0xff) != 0xbe) {
            return UNREADABLE;
        }
        int count = u2(b, 8);
        int at = 10;
        long found = 0;
        for (int entry = 1; entry < count; entry++) {
            int tag = b[at];
            switch (tag) {
                case 1: // Utf8
                    int length = u2(b, at + 1);
                    int start = at + 3;
                    if (length > 0) {
                        found |= match(b, start, length);
                    }
                    at = start + length;
                    break;
                case 3: case 4: // Integer, Float
                case 9: case 10: case 11: case 12: // Fieldref, Methodref, InterfaceMethodref, NameAndType
                case 17: case 18: // Dynamic, InvokeDynamic
                    at += 5;
                    break;
                case 5: case 6: // Long, Double: two entries
                    at += 9;
                    entry++;
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                    at += 3;
                    break;
                case 15: // MethodHandle
                    at += 4;
                    break;
                default:
                    return UNREADABLE;
            }
        }
        return at > b.length ? UNREADABLE : found;
    }

    private long search(byte[] classFile) {
        long found = 0;
        for (int i = 0; i < texts.length; i++) {
            if (indexOf(classFile, texts[i]) >= 0) {
                found |= bit(i);
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private long match(byte[] b, int start, int length) {
        long found = 0;
        for (int i : byFirstByte[b[start] & 0xff]) {
            byte[] text = texts[i];
            if (prefixes[i] ? length >= text.length : length == text.length) {
                if (Arrays.equals(b, start, start + text.length, text, 0, text.length)) {
                    found |= bit(i);
                }
            }
        }
        return found;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}

package io.metricsagent.agent.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A jar, war or zip read from a buffer: the central directory once, an entry's bytes only when
 * asked for. A file is mapped, not read; a jar stored uncompressed inside another, as Spring Boot
 * nests its libraries, is read where it lies in the outer one's mapping, and only a compressed one
 * (a war's, usually) is inflated, once. Data before the zip (an executable jar's launch script)
 * is allowed for.
 */
final class ZipArchive {

    private static final int END = 0x06054b50;
    private static final int END64_LOCATOR = 0x07064b50;
    private static final int END64 = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int END_SIZE = 22;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final long UNKNOWN32 = 0xFFFFFFFFL;

    /** One entry of the central directory. */
    static final class Entry {
        final String name;
        final int method;
        final long compressedSize;
        final long size;
        final long localHeader;

        Entry(String name, int method, long compressedSize, long size, long localHeader) {
            this.name = name;
            this.method = method;
            this.compressedSize = compressedSize;
            this.size = size;
            this.localHeader = localHeader;
        }
    }

    /** How messages name it: the file, or {@code outer.jar!/BOOT-INF/lib/inner.jar}. */
    final String name;
    final List<Entry> entries;
    private final ByteBuffer zip;
    /** One for all the entries, which {@link #bytes} reads one at a time: making one costs more than inflating a class. */
    private final Inflater inflater = new Inflater(true);

    private ZipArchive(String name, ByteBuffer zip) throws ZipException {
        this.name = name;
        this.zip = zip.order(ByteOrder.LITTLE_ENDIAN);
        entries = readCentralDirectory();
    }

    static ZipArchive open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new ZipException(file + " is larger than 2 GB");
            }
            // A mapping outlives its channel; it goes when the buffer is collected.
            return new ZipArchive(file.toString(), channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        }
    }

    /** The zip an entry holds. */
    ZipArchive nested(Entry entry) throws IOException {
        ByteBuffer contents = entry.method == STORED ? data(entry) : ByteBuffer.wrap(bytes(entry));
        return new ZipArchive(name + "!/" + entry.name, contents);
    }

    /** The entry's contents, inflated. */
    synchronized byte[] bytes(Entry entry) throws IOException {
        ByteBuffer data = data(entry);
        if (entry.size > Integer.MAX_VALUE - 8) {
            throw new ZipException(name + "!/" + entry.name + " is too large");
        }
        byte[] bytes = new byte[(int) entry.size];
        if (entry.method == STORED) {
            data.get(bytes);
            return bytes;
        }
        if (entry.method != DEFLATED) {
            throw new ZipException(name + "!/" + entry.name + " is compressed by method " + entry.method
                    + ", neither stored nor deflated");
        }
        inflater.reset();
        try {
            inflater.setInput(data);
            int inflated = 0;
            while (inflated < bytes.length && !inflater.finished() && !inflater.needsInput()) {
                inflated += inflater.inflate(bytes, inflated, bytes.length - inflated);
            }
            if (inflated != bytes.length) {
                throw new ZipException(name + "!/" + entry.name + " inflates to " + inflated + " bytes, not " + entry.size);
            }
            return bytes;
        } catch (DataFormatException e) {
            throw new ZipException(name + "!/" + entry.name + ": " + e.getMessage());
        }
    }

    /** The entry's data as it lies in the zip, after its local header. */
    private ByteBuffer data(Entry entry) throws ZipException {
        long header = entry.localHeader;
        if (header < 0 || header + 30 > zip.limit() || zip.getInt((int) header) != LOCAL) {
            throw new ZipException(name + "!/" + entry.name + " has no local header where the directory says");
        }
        long start = header + 30 + unsigned16((int) header + 26) + unsigned16((int) header + 28);
        if (start + entry.compressedSize > zip.limit()) {
            throw new ZipException(name + "!/" + entry.name + " runs past the end of the zip");
        }
        return slice((int) start, (int) entry.compressedSize);
    }

    private List<Entry> readCentralDirectory() throws ZipException {
        int end = findEnd();
        long count = unsigned16(end + 10);
        long directorySize = unsigned32(end + 12);
        long directoryOffset = unsigned32(end + 16);
        // Where the zip starts in the buffer: after whatever was put before it.
        long base = end - directorySize - directoryOffset;
        if (count == 0xFFFF || directorySize == UNKNOWN32 || directoryOffset == UNKNOWN32) {
            int locator = end - 20;
            if (locator < 0 || zip.getInt(locator) != END64_LOCATOR) {
                throw new ZipException(name + " has a zip64 end record without its locator");
            }
            long end64 = zip.getLong(locator + 8);
            if (end64 < 0 || end64 + 56 > zip.limit() || zip.getInt((int) end64) != END64) {
                throw new ZipException(name + " has no zip64 end record where its locator says");
            }
            count = zip.getLong((int) end64 + 32);
            directoryOffset = zip.getLong((int) end64 + 48);
            base = 0;
        }
        List<Entry> read = new ArrayList<>();
        long at = base + directoryOffset;
        for (long i = 0; i < count; i++) {
            if (at < 0 || at + 46 > zip.limit() || zip.getInt((int) at) != CENTRAL) {
                throw new ZipException(name + " has a broken central directory");
            }
            int p = (int) at;
            int nameLength = unsigned16(p + 28);
            int extraLength = unsigned16(p + 30);
            int commentLength = unsigned16(p + 32);
            long compressedSize = unsigned32(p + 20);
            long size = unsigned32(p + 24);
            long localHeader = unsigned32(p + 42);
            // Zip64's extra field holds, in this order, each of these that is too large for its field.
            int extra = p + 46 + nameLength;
            for (int x = extra; x + 4 <= extra + extraLength; x += 4 + unsigned16(x + 2)) {
                if (unsigned16(x) == 1) {
                    int value = x + 4;
                    if (size == UNKNOWN32) {
                        size = zip.getLong(value);
                        value += 8;
                    }
                    if (compressedSize == UNKNOWN32) {
                        compressedSize = zip.getLong(value);
                        value += 8;
                    }
                    if (localHeader == UNKNOWN32) {
                        localHeader = zip.getLong(value);
                    }
                }
            }
            byte[] nameBytes = new byte[nameLength];
            slice(p + 46, nameLength).get(nameBytes);
            read.add(new Entry(new String(nameBytes, StandardCharsets.UTF_8), unsigned16(p + 10), compressedSize, size,
                    base + localHeader));
            at += 46 + nameLength + extraLength + commentLength;
        }
        return read;
    }

    /** The end of central directory record: the last thing in a zip but a comment of at most 64 KB. */
    private int findEnd() throws ZipException {
        int last = zip.limit() - END_SIZE;
        for (int at = last; at >= 0 && at >= last - 0xFFFF; at--) {
            if (zip.getInt(at) == END && at + END_SIZE + unsigned16(at + 20) == zip.limit()) {
                return at;
            }
        }
        throw new ZipException(name + " is not a zip file");
    }

    private ByteBuffer slice(int start, int length) {
        ByteBuffer copy = zip.duplicate();
        copy.position(start);
        copy.limit(start + length);
        return copy.slice();
    }

    private int unsigned16(int at) {
        return zip.getShort(at) & 0xFFFF;
    }

    private long unsigned32(int at) {
        return zip.getInt(at) & UNKNOWN32;
    }
}

package io.lockscope.analyzer.input;

import io.lockscope.analyzer.threaddump.SnapshotSink;
import io.lockscope.model.Recording;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Zip and tar archives (a CI job's artifacts, a bundle someone packed): each file inside is
 * written to a temporary file and read like any other input, named {@code bundle.zip!/dumps/x.txt}.
 * A zip cut short, whose central directory is gone, is read from its local headers up to the
 * damage; a tar cut short keeps its whole entries. Folders, dot-files and macOS's
 * {@code __MACOSX/} copies are passed over.
 */
final class Archives {

    /** Archives inside archives are opened this deep, no deeper. */
    static final int MAX_DEPTH = 3;
    private static final int TAR_BLOCK = 512;
    /** Compressed bytes that decompressing the first 64 KB of an entry may read: far less, unless the data does not compress. */
    private static final int GZIP_PEEK = 4 << 20;

    private Archives() {
    }

    /** One file of an archive, read when its turn comes. */
    private interface Entries {
        /** Hands each entry to the visitor; returns why it stopped early, or null when it read them all. */
        String each(EntryVisitor visitor) throws IOException;
    }

    private interface EntryVisitor {
        void entry(String name, InputStream content) throws IOException;

        /** An entry not read, with the reason: damaged, or the same bytes as one read already. */
        void notRead(String name, InputStatus status, String why);
    }

    static List<InputReport> read(Path path, String display, Detection d, SnapshotSink sink, Consumer<Recording> recordings,
            InputReader.Progress progress, int depth) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = 0;
        }
        List<InputReport> inside = new ArrayList<>();
        int[] files = {0};
        EntryVisitor visitor = new EntryVisitor() {
            @Override
            public void entry(String entryName, InputStream content) throws IOException {
                String name = shownName(entryName);
                if (name == null) {
                    return;
                }
                files[0]++;
                inside.addAll(readEntry(display + "!/" + name, content, sink, recordings, progress, depth));
            }

            @Override
            public void notRead(String entryName, InputStatus status, String why) {
                String name = shownName(entryName);
                if (name != null) {
                    files[0]++;
                    inside.add(new InputReport(display + "!/" + name, InputFormat.UNKNOWN, status, why, 0, 0));
                }
            }
        };
        String stopped;
        try {
            stopped = (d.format() == InputFormat.ZIP ? zip(path) : tar(path, d.gzip())).each(visitor);
        } catch (IOException | RuntimeException e) {
            stopped = reason(e);
        }
        int snapshots = inside.stream().mapToInt(InputReport::snapshots).sum();
        long read = inside.stream().filter(r -> r.status() == InputStatus.READ || r.status() == InputStatus.PARTIAL).count();
        String what = d.format().description() + (d.gzip() ? ", gzip-compressed" : "") + ": " + files[0]
                + (files[0] == 1 ? " file, " : " files, ") + read + " read";
        boolean damagedEntries = inside.stream().anyMatch(r -> r.status() == InputStatus.FAILED || r.status() == InputStatus.PARTIAL);
        List<InputReport> out = new ArrayList<>();
        if (stopped == null) {
            out.add(new InputReport(display, d.format(), damagedEntries ? InputStatus.PARTIAL : InputStatus.READ,
                    what + (damagedEntries ? "; some files inside are damaged (listed each)" : ""), snapshots, size));
        } else {
            out.add(new InputReport(display, d.format(), files[0] > 0 ? InputStatus.PARTIAL : InputStatus.FAILED,
                    what + "; the archive broke off: " + stopped, snapshots, size));
        }
        out.addAll(inside);
        return out;
    }

    /** The name an entry is listed by, or null for what is passed over ("./" in front taken off). */
    private static String shownName(String entryName) {
        // "tar czf x.tgz ." names its entries ./dumps/x.txt
        String name = entryName;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        return name.isEmpty() || passedOver(name) ? null : name;
    }

    /**
     * Reads one entry. Thread dumps (text and JSON) are read straight from the archive's stream;
     * only heap dumps, recordings and archives inside, which their readers need as files, are
     * written to a temporary file first. So an archive of a few kilobytes that expands to gigabytes
     * of text never touches the disk.
     */
    private static List<InputReport> readEntry(String shown, InputStream content, SnapshotSink sink, Consumer<Recording> recordings,
            InputReader.Progress progress, int depth) throws IOException {
        BufferedInputStream in = new BufferedInputStream(content, 1 << 16);
        byte[] head;
        try {
            in.mark(FormatDetector.HEAD_BYTES + 1);
            head = in.readNBytes(FormatDetector.HEAD_BYTES);
            in.reset();
        } catch (IOException e) {
            return List.of(new InputReport(shown, InputFormat.UNKNOWN, InputStatus.FAILED, "cannot be extracted: " + reason(e), 0, 0));
        }
        if (head.length == 0) {
            return List.of(new InputReport(shown, InputFormat.UNKNOWN, InputStatus.SKIPPED, "empty file", 0, 0));
        }
        Detection d = FormatDetector.detect(head);
        InputStream data = in;
        boolean gzipped = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        if (gzipped) {
            // to tell what is inside, decompress its start; a file that must be spooled is then spooled as it was
            in.mark(GZIP_PEEK);
            BufferedInputStream gz = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            byte[] inner;
            gz.mark(FormatDetector.HEAD_BYTES + 1);
            try {
                inner = gz.readNBytes(FormatDetector.HEAD_BYTES);
                gz.reset();
            } catch (IOException e) {
                return List.of(new InputReport(shown, InputFormat.UNKNOWN, InputStatus.FAILED, "gzip data that cannot be opened: "
                        + reason(e), 0, 0));
            }
            d = FormatDetector.detect(inner).gzipped();
            data = gz;
        }
        if (InputReader.streamable(d.format())) {
            CountingStream counted = new CountingStream(data);
            InputReport r = InputReader.readText(counted, shown, d, 0, sink);
            return List.of(new InputReport(r.path(), r.format(), r.status(), r.message(), r.snapshots(), counted.count));
        }
        if (!d.format().readable() && d.format() != InputFormat.ZIP && d.format() != InputFormat.TAR) {
            return List.of(InputReader.notReadable(shown, d, head.length));
        }
        if (gzipped) {
            in.reset();
        }
        Path tmp = TempFiles.newFile(".tmp");
        try {
            String cut = null;
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // what came out before the damage is read, and says it was cut short
                if (Files.size(tmp) == 0) {
                    return List.of(new InputReport(shown, InputFormat.UNKNOWN, InputStatus.FAILED, "cannot be extracted: " + reason(e), 0, 0));
                }
                cut = reason(e);
            }
            List<InputReport> reports = InputReader.readAll(tmp, shown, sink, recordings, progress, depth + 1);
            if (cut != null && !reports.isEmpty()) {
                InputReport r = reports.get(0);
                reports = new ArrayList<>(reports);
                boolean wasRead = r.status() == InputStatus.READ;
                reports.set(0, new InputReport(r.path(), r.format(), wasRead ? InputStatus.PARTIAL : r.status(),
                        r.message() + "; cut short in the archive (" + cut + ")" + (wasRead ? ": read up to the damage" : ""),
                        r.snapshots(), r.bytes()));
            }
            return reports;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Counts the bytes read through it, for an entry's report. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static boolean passedOver(String name) {
        if (name.endsWith("/")) {
            return true;
        }
        for (String part : name.split("/")) {
            // a name climbing out with ../ is listed and read like any other: entries are never written out by name
            if (part.startsWith(".") && !part.equals("..") && !part.equals(".") || part.equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    /** By its central directory, in name order; from its local headers when that is missing (a zip cut short). */
    private static Entries zip(Path path) {
        return visitor -> {
            ZipFile z;
            try {
                z = new ZipFile(path.toFile());
            } catch (ZipException e) {
                return streamedZip(path, visitor);
            }
            try (z) {
                List<? extends ZipEntry> entries = z.stream().sorted(Comparator.comparing(ZipEntry::getName)).toList();
                // entries that share their bytes (same CRC, sizes) are read once: the same dump twice adds nothing, and
                // a zip whose entries all point at one block of data (a "zip bomb") expands only once
                java.util.Map<String, String> firstWithBytes = new java.util.HashMap<>();
                for (ZipEntry e : entries) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    String key = e.getCrc() + ":" + e.getSize() + ":" + e.getCompressedSize();
                    String first = e.getSize() > 0 && e.getCrc() >= 0 ? firstWithBytes.putIfAbsent(key, e.getName()) : null;
                    if (first != null) {
                        visitor.notRead(e.getName(), InputStatus.SKIPPED, "the same bytes as " + first + ", read once");
                        continue;
                    }
                    try (InputStream in = z.getInputStream(e)) {
                        visitor.entry(e.getName(), in);
                    } catch (IOException | RuntimeException damaged) {
                        // one damaged entry: the others are read all the same
                        visitor.notRead(e.getName(), InputStatus.FAILED, "cannot be extracted: " + reason(damaged));
                    }
                }
            }
            return null;
        };
    }

    private static String streamedZip(Path path, EntryVisitor visitor) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
            ZipEntry e;
            while (true) {
                try {
                    e = in.getNextEntry();
                } catch (IOException damaged) {
                    return "no central directory, and " + reason(damaged);
                }
                if (e == null) {
                    return "no central directory (the file is cut short); read its entries up to the end";
                }
                if (!e.isDirectory()) {
                    try {
                        visitor.entry(e.getName(), in);
                    } catch (IOException damaged) {
                        return "no central directory, and entry " + e.getName() + " is cut short: " + reason(damaged);
                    }
                }
            }
        }
    }

    /**
     * POSIX ustar and GNU tar: a 512-byte header per entry (name, octal size, type), the content
     * padded to 512 bytes, two zero blocks at the end. GNU long names come as an entry of type L;
     * the ustar prefix field holds the start of a long path.
     */
    private static Entries tar(Path path, boolean gzip) {
        return visitor -> {
            InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                String longName = null;
                byte[] header = new byte[TAR_BLOCK];
                while (true) {
                    int n = in.readNBytes(header, 0, TAR_BLOCK);
                    if (n == 0 || isZero(header, n)) {
                        return null;
                    }
                    if (n < TAR_BLOCK) {
                        return "cut short in a header";
                    }
                    if (!checksumMatches(header)) {
                        // shifted or damaged data: never make entries of it; look for the next header that is one
                        long skipped = 0;
                        do {
                            int k = in.readNBytes(header, 0, TAR_BLOCK);
                            skipped += TAR_BLOCK;
                            if (k < TAR_BLOCK || isZero(header, k)) {
                                return "a header whose checksum does not match, and no good header after it";
                            }
                        } while (!checksumMatches(header));
                        visitor.notRead("(" + skipped / TAR_BLOCK + " blocks with no valid header, skipped)", InputStatus.FAILED,
                                "tar header checksum mismatch; " + skipped + " bytes skipped to the next valid header");
                    }
                    long size = octal(header, 124, 12);
                    char type = (char) header[156];
                    String name = longName != null ? longName : name(header);
                    longName = null;
                    BoundedStream content = new BoundedStream(in, size);
                    if (type == 'L') {
                        longName = new String(content.readAllBytes(), StandardCharsets.UTF_8).replace("\0", "");
                    } else if (type == '0' || type == '\0' || type == '7') {
                        visitor.entry(name, content);
                    }
                    content.skipRest();
                    if (content.remaining() > 0) {
                        return "entry " + name + " is cut short";
                    }
                    long pad = (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
                    if (skip(in, pad) < pad) {
                        return null;
                    }
                }
            }
        };
    }

    /** The header's checksum field against the sum of its bytes, the field itself counted as spaces (POSIX ustar). */
    private static boolean checksumMatches(byte[] header) {
        long stored = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < TAR_BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        return stored == sum;
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String field(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    /** A size field: octal digits after optional spaces, or GNU's base-256 (high bit set) for sizes past 8 GB. */
    private static long octal(byte[] b, int from, int length) {
        if ((b[from] & 0x80) != 0) {
            long v = b[from] & 0x7f;
            for (int i = from + 1; i < from + length; i++) {
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        int i = from;
        while (i < from + length && b[i] == ' ') {
            i++;
        }
        long v = 0;
        for (; i < from + length && b[i] >= '0' && b[i] <= '7'; i++) {
            v = v * 8 + (b[i] - '0');
        }
        return v;
    }

    private static long skip(InputStream in, long n) throws IOException {
        long done = 0;
        while (done < n) {
            long k = in.skip(n - done);
            if (k <= 0) {
                if (in.read() < 0) {
                    break;
                }
                k = 1;
            }
            done += k;
        }
        return done;
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e instanceof EOFException ? "unexpected end of data" : (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
    }

    /** One tar entry's content: at most its size, and the rest skipped when the reader is done with it. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }

        long remaining() {
            return remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        void skipRest() throws IOException {
            while (remaining > 0) {
                long n = in.skip(remaining);
                if (n <= 0) {
                    if (in.read() < 0) {
                        return;
                    }
                    n = 1;
                }
                remaining -= n;
            }
        }

        @Override
        public void close() {
            // the archive's stream stays open for the next entry
        }
    }
}

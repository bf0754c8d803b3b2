package io.lockscope.analyzer.heap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds places in a real heap dump to damage, for the tests of what lockscope does with damage:
 * the first record of a tag, the length field of the first instance of a class. Walks the
 * records and heap-dump sub-records as the format lays them out, independently of the reader.
 */
final class HprofSurgery {

    private final ByteBuffer b;
    private final int idSize;
    private final int firstRecord;

    HprofSurgery(byte[] hprof) {
        b = ByteBuffer.wrap(hprof);
        int i = 0;
        while (hprof[i] != 0) {
            i++;
        }
        idSize = b.getInt(i + 1);
        firstRecord = i + 1 + 4 + 8;
    }

    /** Where the first top-level record with this tag starts. */
    int firstRecord(int tag) {
        for (int at = firstRecord; at < b.limit(); at += 9 + length(at)) {
            if ((b.get(at) & 0xff) == tag) {
                return at;
            }
        }
        throw new IllegalStateException("no record with tag " + tag);
    }

    int length(int record) {
        return b.getInt(record + 5);
    }

    /** Where the 4-byte length of the first INSTANCE DUMP of the class named so ("java/lang/Thread") is. */
    int firstInstanceLengthOf(String className) {
        return find(className, 0x21);
    }

    /** Where the CLASS DUMP of the class named so ("java/lang/String") has the class's id; its superclass's id is 4 + id size further. */
    int classDumpOf(String className) {
        return find(className, 0x20);
    }

    /** The id size of the dump: 4 or 8. */
    int idSize() {
        return idSize;
    }

    private int find(String className, int wanted) {
        Map<Long, String> strings = new HashMap<>();
        Map<Long, String> classes = new HashMap<>();
        for (int at = firstRecord; at < b.limit(); at += 9 + length(at)) {
            int tag = b.get(at) & 0xff;
            int body = at + 9;
            if (tag == 0x01) {
                strings.put(id(body), new String(b.array(), body + idSize, length(at) - idSize, StandardCharsets.UTF_8));
            } else if (tag == 0x02) {
                classes.put(id(body + 4), strings.get(id(body + 8 + idSize)));
            } else if (tag == 0x0C || tag == 0x1C) {
                int p = body;
                int end = body + length(at);
                while (p < end) {
                    int sub = b.get(p++) & 0xff;
                    switch (sub) {
                        case 0xFF, 0x05, 0x07 -> p += idSize;
                        case 0x01 -> p += 2 * idSize;
                        case 0x02, 0x03, 0x08 -> p += idSize + 8;
                        case 0x04, 0x06 -> p += idSize + 4;
                        case 0x20 -> {
                            if (wanted == 0x20 && className.equals(classes.get(id(p)))) {
                                return p;
                            }
                            p = afterClassDump(p);
                        }
                        case 0x21 -> {
                            long classId = id(p + idSize + 4);
                            int lengthAt = p + 2 * idSize + 4;
                            if (wanted == 0x21 && className.equals(classes.get(classId))) {
                                return lengthAt;
                            }
                            p = lengthAt + 4 + b.getInt(lengthAt);
                        }
                        case 0x22 -> p += 2 * idSize + 8 + b.getInt(p + idSize + 4) * idSize;
                        case 0x23 -> p += idSize + 9 + b.getInt(p + idSize + 4) * size(b.get(p + idSize + 8));
                        default -> throw new IllegalStateException("sub-record " + sub + " at " + (p - 1));
                    }
                }
            }
        }
        throw new IllegalStateException("no " + (wanted == 0x20 ? "class dump" : "instance") + " of " + className);
    }

    private int afterClassDump(int p) {
        p += idSize + 4 + idSize + 5 * idSize + 4;
        int constants = b.getShort(p) & 0xffff;
        p += 2;
        for (int i = 0; i < constants; i++) {
            p += 2;
            p += 1 + size(b.get(p));
        }
        int statics = b.getShort(p) & 0xffff;
        p += 2;
        for (int i = 0; i < statics; i++) {
            p += idSize;
            p += 1 + size(b.get(p));
        }
        int fields = b.getShort(p) & 0xffff;
        return p + 2 + fields * (idSize + 1);
    }

    private int size(byte type) {
        return switch (type) {
            case 2 -> idSize;
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalStateException("basic type " + type);
        };
    }

    private long id(int at) {
        return idSize == 4 ? b.getInt(at) & 0xffffffffL : b.getLong(at);
    }
}

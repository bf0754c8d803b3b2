package io.lockscope.analyzer.jfr;

import java.nio.charset.StandardCharsets;

/**
 * A chunk in memory and the encodings of format 2.x (RecordingInput.java): LEB128 integers,
 * big-endian floats and doubles, strings tagged by their encoding, and a field read as its
 * number, its pool key, or where it starts. Positions are offsets in the chunk.
 */
final class ChunkInput {

    // how a field is stored
    static final int BYTE = 0; // boolean and byte: one byte
    static final int VARINT = 1; // char, short, int, long
    static final int FLOAT = 2;
    static final int DOUBLE = 3;
    static final int STRING = 4;
    static final int STRUCT = 5; // fields of another type, in place
    static final int POOLED = 6; // a key into the constant pool of the field's type
    static final int ARRAY = 7;

    // string encodings
    private static final int STRING_NULL = 0;
    private static final int STRING_EMPTY = 1;
    private static final int STRING_POOL = 2;
    private static final int STRING_UTF8 = 3;
    private static final int STRING_CHARS = 4;
    private static final int STRING_LATIN1 = 5;

    final byte[] b;
    final int size;
    final long fileOffset;
    int pos;
    /** The chunk's pools, for strings stored as pool keys; set once they are indexed. */
    ConstantPools pools;

    ChunkInput(byte[] b, int size, long fileOffset) {
        this.b = b;
        this.size = size;
        this.fileOffset = fileOffset;
    }

    /** What a message says of what failed: the damage without its byte (the message names that), or the exception. */
    static String why(Throwable e) {
        return e instanceof JfrChunkDecoder.Unsupported ? String.valueOf(e.getMessage()).replaceAll(" at byte \\d+$", "")
                : named(e);
    }

    /** An exception that is not lockscope's own, for a message: its class, then what it says, if anything. */
    static String named(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    JfrChunkDecoder.Unsupported damaged(String what, int at) {
        return new JfrChunkDecoder.Damaged(what + " at byte " + (fileOffset + at));
    }

    // ---- encodings

    /** LEB128, at most nine bytes, the ninth taken whole; unrolled, since most of reading is this. */
    long varlong() {
        byte[] b = this.b;
        int p = pos;
        long x = b[p++];
        if (x >= 0) {
            pos = p;
            return x;
        }
        long result = x & 0x7f;
        for (int shift = 7; shift < 56; shift += 7) {
            x = b[p++];
            result |= (x & 0x7f) << shift;
            if (x >= 0) {
                pos = p;
                return result;
            }
        }
        pos = p + 1;
        return result | (b[p] & 0xffL) << 56;
    }

    int varint() {
        return (int) varlong();
    }

    /** A count of things that follow, each at least a byte: more than the bytes left is damage, not a reason to allocate. */
    int length() {
        int at = pos;
        long n = varlong();
        if (n < 0 || n > size - pos) {
            throw new IllegalStateException("a length of " + n + " at byte " + (fileOffset + at) + ", past the chunk's end");
        }
        return (int) n;
    }

    String string() {
        int encoding = b[pos++];
        switch (encoding) {
            case STRING_NULL:
                return null;
            case STRING_EMPTY:
                return "";
            case STRING_POOL:
                return pools.pooledString(varlong());
            case STRING_UTF8, STRING_LATIN1: {
                int n = length();
                String s = new String(b, pos, n, encoding == STRING_UTF8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                pos += n;
                return s;
            }
            case STRING_CHARS: {
                int n = length();
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = (char) varint();
                }
                return new String(chars);
            }
            default:
                throw new IllegalStateException("string encoding " + encoding + " at byte " + (fileOffset + pos - 1));
        }
    }

    void skipString() {
        int encoding = b[pos++];
        switch (encoding) {
            case STRING_NULL, STRING_EMPTY -> {
            }
            case STRING_POOL -> varlong();
            case STRING_UTF8, STRING_LATIN1 -> {
                int n = length(); // read before pos is added to
                pos += n;
            }
            case STRING_CHARS -> {
                for (int n = varint(); n > 0; n--) {
                    varlong();
                }
            }
            default -> throw new IllegalStateException("string encoding " + encoding + " at byte " + (fileOffset + pos - 1));
        }
    }

    String stringAt(int at) {
        int saved = pos;
        pos = at;
        String s = string();
        pos = saved;
        return s;
    }

    /** Reads a field: its number, pool key or boolean, or where it starts for strings, structs and arrays. */
    long field(ChunkMetadata.Field f) {
        return f.storage == ARRAY ? skipArray(f) : value(f.element, f.type);
    }

    long value(int storage, ChunkMetadata.Type type) {
        switch (storage) {
            case BYTE:
                return b[pos++];
            case VARINT, POOLED:
                return varlong();
            case FLOAT:
                pos += 4;
                return 0;
            case DOUBLE:
                pos += 8;
                return 0;
            case STRING: {
                int at = pos;
                skipString();
                return at;
            }
            default: {
                int at = pos;
                for (ChunkMetadata.Field f : type.fields) {
                    field(f);
                }
                return at;
            }
        }
    }

    long skipArray(ChunkMetadata.Field f) {
        int at = pos;
        for (int n = varint(); n > 0; n--) {
            value(f.element, f.type);
        }
        return at;
    }

    /** Reads the fields of a struct at a position into slots, as {@link #field} reads them. */
    long[] struct(ChunkMetadata.Type type, int at) {
        int saved = pos;
        pos = at;
        long[] slots = new long[type.fields.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = field(type.fields.get(i));
        }
        pos = saved;
        return slots;
    }
}

package dev.vidprocme.api;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A deterministic pseudo-random byte stream of a given length, produced on the fly, so tests can
 * send large bodies without holding them and recompute their hash afterwards.
 */
final class GeneratedStream extends InputStream {
    private final long size;
    private long position;
    private long state;

    GeneratedStream(long size, long seed) {
        this.size = size;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /** Bytes handed out so far. */
    long position() {
        return position;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            // xorshift64: fast, and different enough from run to run of zeros to catch misplaced
            // bytes.
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            b[off + i] = (byte) state;
        }
        position += n;
        return n;
    }

    /** SHA-256 of the whole stream, as lower-case hex. */
    static String sha256(long size, long seed) throws Exception {
        return sha256(new GeneratedStream(size, seed));
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

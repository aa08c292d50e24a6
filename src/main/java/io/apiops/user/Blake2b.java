package io.apiops.user;

import java.util.Arrays;

/**
 * BLAKE2b (RFC 7693), unkeyed, any digest length from 1 to 64 bytes, one-shot. Argon2id builds its initial hash, its
 * first blocks and its tag from it; those are a few dozen short inputs per hash, so this is written for clarity
 * rather than speed.
 */
final class Blake2b {

    static final int MAX_DIGEST_BYTES = 64;
    private static final int BLOCK_BYTES = 128;
    private static final int ROUNDS = 12;

    /** The SHA-512 initial values. */
    private static final long[] IV = {
            0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
            0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L };

    /** Message word schedule of each round; rounds 10 and 11 repeat rows 0 and 1. */
    private static final byte[][] SIGMA = {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
            { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
            { 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
            { 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
            { 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
            { 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
            { 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
            { 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
            { 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
            { 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 } };

    private Blake2b() {
    }

    static byte[] digest(byte[] input, int digestBytes) {
        if (digestBytes < 1 || digestBytes > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException("BLAKE2b digests are 1 to 64 bytes long");
        }
        long[] state = IV.clone();
        state[0] ^= 0x01010000L ^ digestBytes;
        long[] message = new long[16];
        long[] work = new long[16];
        int offset = 0;
        // Every block but the last is compressed as it comes; the last one, possibly partial or empty, is final.
        while (input.length - offset > BLOCK_BYTES) {
            load(message, input, offset, BLOCK_BYTES);
            offset += BLOCK_BYTES;
            compress(state, message, work, offset, false);
        }
        load(message, input, offset, input.length - offset);
        compress(state, message, work, input.length, true);

        byte[] digest = new byte[digestBytes];
        for (int i = 0; i < digestBytes; i++) {
            digest[i] = (byte) (state[i >>> 3] >>> (8 * (i & 7)));
        }
        return digest;
    }

    /** Little-endian words from {@code length} bytes, zero-padded to a full block. */
    private static void load(long[] message, byte[] input, int offset, int length) {
        Arrays.fill(message, 0);
        for (int i = 0; i < length; i++) {
            message[i >>> 3] |= (input[offset + i] & 0xFFL) << (8 * (i & 7));
        }
    }

    /** {@code counter} is the number of input bytes so far; inputs here stay far below 2^64 bytes. */
    private static void compress(long[] state, long[] message, long[] v, long counter, boolean last) {
        System.arraycopy(state, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= counter;
        if (last) {
            v[14] = ~v[14];
        }
        for (int round = 0; round < ROUNDS; round++) {
            byte[] s = SIGMA[round % SIGMA.length];
            mix(v, 0, 4, 8, 12, message[s[0]], message[s[1]]);
            mix(v, 1, 5, 9, 13, message[s[2]], message[s[3]]);
            mix(v, 2, 6, 10, 14, message[s[4]], message[s[5]]);
            mix(v, 3, 7, 11, 15, message[s[6]], message[s[7]]);
            mix(v, 0, 5, 10, 15, message[s[8]], message[s[9]]);
            mix(v, 1, 6, 11, 12, message[s[10]], message[s[11]]);
            mix(v, 2, 7, 8, 13, message[s[12]], message[s[13]]);
            mix(v, 3, 4, 9, 14, message[s[14]], message[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            state[i] ^= v[i] ^ v[i + 8];
        }
    }

    private static void mix(long[] v, int a, int b, int c, int d, long x, long y) {
        v[a] += v[b] + x;
        v[d] = Long.rotateRight(v[d] ^ v[a], 32);
        v[c] += v[d];
        v[b] = Long.rotateRight(v[b] ^ v[c], 24);
        v[a] += v[b] + y;
        v[d] = Long.rotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = Long.rotateRight(v[b] ^ v[c], 63);
    }
}

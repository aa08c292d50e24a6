package io.apiops.user;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Argon2id, version 0x13, as specified by RFC 9106.
 * <p>
 * Written for this service rather than taken from a general-purpose library for two reasons. The work memory (the
 * memory cost, 19 MiB by default) is a caller's {@code long[]} that can be reused from one hash to the next, so a
 * burst of logins does not allocate tens of megabytes per login and the heap stays small. And the compression
 * function keeps its sixteen words in local variables with no calls left to inline, so HotSpot's C2 compiles it to
 * the same code every time; a design that depends on an inlining decision can land in a shape that costs twice the
 * CPU, and which shape a fresh JVM picks is chance.
 * <p>
 * An instance holds the cost parameters and is immutable; {@link #hash} may run on many threads at once, each with its
 * own memory.
 */
public final class Argon2id {

    private static final int VERSION = 0x13;
    private static final int TYPE = 2;
    private static final int SYNC_POINTS = 4;
    private static final int BLOCK_LONGS = 128;
    private static final int BLOCK_BYTES = BLOCK_LONGS * Long.BYTES;

    private final int memoryKib;
    private final int passes;
    private final int lanes;
    private final int segmentLength;
    private final int laneLength;
    private final int blockCount;

    /**
     * @param memoryKib memory cost in KiB, at least 8 per lane
     * @param passes    number of passes over the memory, at least 1
     * @param lanes     degree of parallelism (computed here on one thread), 1 to 2^24 - 1
     */
    public Argon2id(int memoryKib, int passes, int lanes) {
        if (lanes < 1 || lanes > 0xFFFFFF || passes < 1 || memoryKib < 8 * lanes
                || (long) memoryKib * BLOCK_LONGS > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("argon2id needs lanes 1 to 2^24-1, passes >= 1 and memory >= 8 KiB per "
                    + "lane, with memory below 16 GiB");
        }
        this.memoryKib = memoryKib;
        this.passes = passes;
        this.lanes = lanes;
        this.segmentLength = memoryKib / (SYNC_POINTS * lanes);
        this.laneLength = segmentLength * SYNC_POINTS;
        this.blockCount = laneLength * lanes;
    }

    /** Work memory for {@link #hash}: one per concurrent hash, reusable, its contents irrelevant. */
    public long[] newMemory() {
        return new long[blockCount * BLOCK_LONGS];
    }

    /**
     * The tag of a password and salt.
     *
     * @param memory work memory of at least the size of {@link #newMemory()}; it is overwritten. Its old contents
     *               never reach the result: the first pass writes every block before anything reads it.
     */
    public byte[] hash(byte[] password, byte[] salt, int tagBytes, long[] memory) {
        return hash(password, salt, new byte[0], new byte[0], tagBytes, memory);
    }

    /** With the optional secret and associated data of RFC 9106 section 3.1, which the service does not use. */
    byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int tagBytes, long[] memory) {
        if (tagBytes < 4 || memory.length < blockCount * BLOCK_LONGS) {
            throw new IllegalArgumentException("argon2id tags are at least 4 bytes and the memory must fit the cost");
        }
        byte[] seed = initialHash(password, salt, secret, associatedData, tagBytes);
        Filling filling = new Filling(memory);
        for (int lane = 0; lane < lanes; lane++) {
            for (int column = 0; column < 2; column++) {
                // H0 || LE32(column) || LE32(lane), stretched to a block
                ByteBuffer.wrap(seed, Blake2b.MAX_DIGEST_BYTES, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(column)
                        .putInt(lane);
                load(variableHash(seed, BLOCK_BYTES), memory, (lane * laneLength + column) * BLOCK_LONGS);
            }
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                // The lanes of one slice only read other lanes' finished slices, so their order does not matter.
                for (int lane = 0; lane < lanes; lane++) {
                    filling.segment(pass, slice, lane);
                }
            }
        }
        long[] last = new long[BLOCK_LONGS];
        for (int lane = 0; lane < lanes; lane++) {
            int offset = (lane * laneLength + laneLength - 1) * BLOCK_LONGS;
            for (int i = 0; i < BLOCK_LONGS; i++) {
                last[i] ^= memory[offset + i];
            }
        }
        ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        block.asLongBuffer().put(last);
        return variableHash(block.array(), tagBytes);
    }

    /** H0 followed by eight bytes of room for the block coordinates of the first blocks. */
    private byte[] initialHash(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int tagBytes) {
        ByteBuffer input = ByteBuffer.allocate(40 + password.length + salt.length + secret.length
                + associatedData.length).order(ByteOrder.LITTLE_ENDIAN);
        input.putInt(lanes).putInt(tagBytes).putInt(memoryKib).putInt(passes).putInt(VERSION).putInt(TYPE);
        input.putInt(password.length).put(password);
        input.putInt(salt.length).put(salt);
        input.putInt(secret.length).put(secret);
        input.putInt(associatedData.length).put(associatedData);
        byte[] seed = new byte[Blake2b.MAX_DIGEST_BYTES + 8];
        System.arraycopy(Blake2b.digest(input.array(), Blake2b.MAX_DIGEST_BYTES), 0, seed, 0,
                Blake2b.MAX_DIGEST_BYTES);
        return seed;
    }

    /** H' of RFC 9106 section 3.3: BLAKE2b stretched to any length. */
    static byte[] variableHash(byte[] input, int length) {
        byte[] prefixed = ByteBuffer.allocate(4 + input.length).order(ByteOrder.LITTLE_ENDIAN).putInt(length)
                .put(input).array();
        if (length <= Blake2b.MAX_DIGEST_BYTES) {
            return Blake2b.digest(prefixed, length);
        }
        byte[] out = new byte[length];
        byte[] v = Blake2b.digest(prefixed, Blake2b.MAX_DIGEST_BYTES);
        System.arraycopy(v, 0, out, 0, 32);
        int written = 32;
        while (length - written > Blake2b.MAX_DIGEST_BYTES) {
            v = Blake2b.digest(v, Blake2b.MAX_DIGEST_BYTES);
            System.arraycopy(v, 0, out, written, 32);
            written += 32;
        }
        // the last piece is a digest of the remaining length, not a 32-byte half
        System.arraycopy(Blake2b.digest(v, length - written), 0, out, written, length - written);
        return out;
    }

    private static void load(byte[] bytes, long[] memory, int offset) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(memory, offset, BLOCK_LONGS);
    }

    /** The memory of one hash and the scratch blocks its compression needs. */
    private final class Filling {

        private final long[] memory;
        private final long[] r = new long[BLOCK_LONGS];
        private final long[] z = new long[BLOCK_LONGS];
        private final long[] zero = new long[BLOCK_LONGS];
        private final long[] addressInput = new long[BLOCK_LONGS];
        private final long[] addresses = new long[BLOCK_LONGS];

        Filling(long[] memory) {
            this.memory = memory;
        }

        void segment(int pass, int slice, int lane) {
            // Argon2id: the first half of the first pass picks reference blocks independently of the password.
            boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
            int first = pass == 0 && slice == 0 ? 2 : 0;
            if (independent) {
                Arrays.fill(addressInput, 0);
                addressInput[0] = pass;
                addressInput[1] = lane;
                addressInput[2] = slice;
                addressInput[3] = blockCount;
                addressInput[4] = passes;
                addressInput[5] = TYPE;
                if (first != 0) {
                    nextAddresses();
                }
            }
            int current = lane * laneLength + slice * segmentLength + first;
            // only the first block of a lane wraps around to the lane's last block; every later one follows its own
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            for (int index = first; index < segmentLength; index++, previous = current, current++) {
                long pseudoRandom;
                if (independent) {
                    if (index % BLOCK_LONGS == 0) {
                        nextAddresses();
                    }
                    pseudoRandom = addresses[index % BLOCK_LONGS];
                } else {
                    pseudoRandom = memory[previous * BLOCK_LONGS];
                }
                int referenceLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % lanes);
                int reference = referenceLane * laneLength
                        + referenceIndex(pass, slice, index, pseudoRandom & 0xFFFFFFFFL, referenceLane == lane);
                compress(memory, previous * BLOCK_LONGS, memory, reference * BLOCK_LONGS, memory,
                        current * BLOCK_LONGS, pass > 0);
            }
        }

        private void nextAddresses() {
            addressInput[6]++;
            compress(zero, 0, addressInput, 0, addresses, 0, false);
            compress(zero, 0, addresses, 0, addresses, 0, false);
        }

        /** The position in the reference lane, RFC 9106 section 3.4.1.2. */
        private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
            long areaSize;
            if (pass == 0) {
                int finished = slice * segmentLength;
                areaSize = sameLane ? finished + index - 1 : finished - (index == 0 ? 1 : 0);
            } else {
                int others = laneLength - segmentLength;
                areaSize = sameLane ? others + index - 1 : others - (index == 0 ? 1 : 0);
            }
            // unsigned 64-bit arithmetic: j1 < 2^32, so j1 * j1 wraps exactly as an unsigned product would
            long x = (j1 * j1) >>> 32;
            long relative = areaSize - 1 - ((areaSize * x) >>> 32);
            int start = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (slice + 1) * segmentLength;
            return (int) ((start + relative) % laneLength);
        }

        /**
         * {@code out = P(a ^ b) ^ (a ^ b)}, further XORed with the old {@code out} when {@code xor}, where P permutes
         * the eight rows of the block and then its eight columns. Inputs are read in full before {@code out} is
         * written, so {@code out} may be {@code b}.
         */
        private void compress(long[] a, int aOffset, long[] b, int bOffset, long[] out, int outOffset, boolean xor) {
            for (int i = 0; i < BLOCK_LONGS; i++) {
                long value = a[aOffset + i] ^ b[bOffset + i];
                r[i] = value;
                z[i] = xor ? value ^ out[outOffset + i] : value;
            }
            for (int row = 0; row < 8; row++) {
                permute(r, 16 * row, 2);
            }
            for (int column = 0; column < 8; column++) {
                permute(r, 2 * column, 16);
            }
            for (int i = 0; i < BLOCK_LONGS; i++) {
                out[outOffset + i] = z[i] ^ r[i];
            }
        }
    }

    /**
     * The BLAKE2b round of Argon2 on sixteen words: pairs of adjacent words, {@code stride} apart (2 for a row of the
     * block, 16 for a column). Everything stays in local variables, and the eight mixing steps are written out rather
     * than called, so that no inlining decision stands between C2 and the fast code.
     */
    private static void permute(long[] v, int base, int stride) {
        int p1 = base + stride;
        int p2 = p1 + stride;
        int p3 = p2 + stride;
        int p4 = p3 + stride;
        int p5 = p4 + stride;
        int p6 = p5 + stride;
        int p7 = p6 + stride;
        long v0 = v[base];
        long v1 = v[base + 1];
        long v2 = v[p1];
        long v3 = v[p1 + 1];
        long v4 = v[p2];
        long v5 = v[p2 + 1];
        long v6 = v[p3];
        long v7 = v[p3 + 1];
        long v8 = v[p4];
        long v9 = v[p4 + 1];
        long v10 = v[p5];
        long v11 = v[p5 + 1];
        long v12 = v[p6];
        long v13 = v[p6 + 1];
        long v14 = v[p7];
        long v15 = v[p7 + 1];

        // the columns of the 4x4 matrix of words
        v0 = blaMka(v0, v4);
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 = blaMka(v8, v12);
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 = blaMka(v0, v4);
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 = blaMka(v8, v12);
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 = blaMka(v1, v5);
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 = blaMka(v9, v13);
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 = blaMka(v1, v5);
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 = blaMka(v9, v13);
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 = blaMka(v2, v6);
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 = blaMka(v10, v14);
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 = blaMka(v2, v6);
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 = blaMka(v10, v14);
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 = blaMka(v3, v7);
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 = blaMka(v11, v15);
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 = blaMka(v3, v7);
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 = blaMka(v11, v15);
        v7 = Long.rotateRight(v7 ^ v11, 63);
        // its diagonals
        v0 = blaMka(v0, v5);
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 = blaMka(v10, v15);
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 = blaMka(v0, v5);
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 = blaMka(v10, v15);
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 = blaMka(v1, v6);
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 = blaMka(v11, v12);
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 = blaMka(v1, v6);
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 = blaMka(v11, v12);
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 = blaMka(v2, v7);
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 = blaMka(v8, v13);
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 = blaMka(v2, v7);
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 = blaMka(v8, v13);
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 = blaMka(v3, v4);
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 = blaMka(v9, v14);
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 = blaMka(v3, v4);
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 = blaMka(v9, v14);
        v4 = Long.rotateRight(v4 ^ v9, 63);

        v[base] = v0;
        v[base + 1] = v1;
        v[p1] = v2;
        v[p1 + 1] = v3;
        v[p2] = v4;
        v[p2 + 1] = v5;
        v[p3] = v6;
        v[p3 + 1] = v7;
        v[p4] = v8;
        v[p4 + 1] = v9;
        v[p5] = v10;
        v[p5 + 1] = v11;
        v[p6] = v12;
        v[p6 + 1] = v13;
        v[p7] = v14;
        v[p7 + 1] = v15;
    }

    /** Argon2's addition with a multiplication of the low halves, which makes the round harder to shortcut. */
    private static long blaMka(long x, long y) {
        return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
    }
}

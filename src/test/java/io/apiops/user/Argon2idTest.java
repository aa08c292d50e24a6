package io.apiops.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class Argon2idTest {

    /** RFC 9106, section 5.3: 32 KiB, 3 passes, 4 lanes, with a secret and associated data. */
    @Test
    void shouldMatchTheRfcTestVector() {
        Argon2id argon2 = new Argon2id(32, 3, 4);
        byte[] tag = argon2.hash(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04), 32,
                argon2.newMemory());
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    /**
     * Random costs, lane counts, input and tag lengths (including tags longer than one BLAKE2b digest), against an
     * independent implementation.
     */
    @Test
    void shouldAgreeWithBouncyCastle() {
        Random random = new Random(9106);
        int[] tagLengths = { 4, 16, 32, 64, 65, 100, 128 };
        for (int run = 0; run < 60; run++) {
            int lanes = 1 + random.nextInt(4);
            int memory = 8 * lanes + random.nextInt(300);
            int passes = 1 + random.nextInt(3);
            byte[] password = bytes(random, random.nextInt(40));
            byte[] salt = bytes(random, 8 + random.nextInt(24));
            byte[] secret = bytes(random, run % 3 == 0 ? random.nextInt(16) : 0);
            byte[] associated = bytes(random, run % 4 == 0 ? random.nextInt(16) : 0);
            int tagBytes = tagLengths[run % tagLengths.length];

            Argon2id argon2 = new Argon2id(memory, passes, lanes);
            byte[] ours = argon2.hash(password, salt, secret, associated, tagBytes, argon2.newMemory());
            assertThat(ours).as("m=%d t=%d p=%d tag=%d", memory, passes, lanes, tagBytes)
                    .isEqualTo(reference(password, salt, secret, associated, memory, passes, lanes, tagBytes));
        }
    }

    @Test
    void shouldGiveTheSameTagInReusedMemory() {
        Argon2id argon2 = new Argon2id(1024, 2, 1);
        byte[] password = "correct horse".getBytes();
        byte[] salt = "sixteen byte salt".getBytes();
        byte[] fresh = argon2.hash(password, salt, 32, argon2.newMemory());

        long[] used = argon2.newMemory();
        argon2.hash("something else".getBytes(), salt, 32, used);
        assertThat(argon2.hash(password, salt, 32, used)).isEqualTo(fresh);

        long[] garbage = new long[argon2.newMemory().length + 1000];
        Arrays.fill(garbage, 0xDEADBEEFCAFEL);
        assertThat(argon2.hash(password, salt, 32, garbage)).as("a larger, dirty array").isEqualTo(fresh);
    }

    @Test
    void shouldRefuseImpossibleParameters() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2id(15, 1, 2));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2id(1024, 0, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2id(1024, 1, 0));
        Argon2id argon2 = new Argon2id(64, 1, 1);
        assertThatIllegalArgumentException().isThrownBy(() -> argon2.hash(new byte[1], new byte[8], 32, new long[8]));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> argon2.hash(new byte[1], new byte[8], 3, argon2.newMemory()));
    }

    private static byte[] reference(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memory,
            int passes, int lanes, int tagBytes) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memory).withIterations(passes)
                .withParallelism(lanes).withSalt(salt).withSecret(secret).withAdditional(associated).build());
        byte[] out = new byte[tagBytes];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}

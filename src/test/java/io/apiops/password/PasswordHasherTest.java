package io.apiops.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

/** Runs at small argon2id parameters where the cost does not matter: the rules do not depend on it. */
class PasswordHasherTest {

    private static final String SALT = "c29tZXNhbHRzb21lc2FsdA";
    private static final String HASH = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

    @Test
    void shouldWriteAStandardPhcString() {
        String hash = hasher.hash("correct horse");
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void shouldVerifyTheRightPasswordOnly() {
        String hash = hasher.hash("correct horse");
        assertThat(hasher.verify("correct horse", hash)).isTrue();
        assertThat(hasher.verify("correct horsE", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void shouldSaltEveryHash() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void shouldVerifyNonAsciiPasswordsByTheirUtf8Bytes() {
        String hash = hasher.hash("pässwörd-密码");
        assertThat(hasher.verify("pässwörd-密码", hash)).isTrue();
        assertThat(hasher.verify("passwords-密码", hash)).isFalse();
    }

    /** Hashes made by the reference implementation's CLI, {@code echo -n PW | argon2 SALT -id -m M -t T -p P -e}. */
    @Test
    void shouldVerifyHashesOfTheReferenceImplementation() {
        String simple = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$7FfsnA6vUe7qLpL/3Kqc3uR48ZJyFbUVt7jWZlf0Htk";
        String twoLanes = "$argon2id$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$l8NupmJlXNdhQ09mNaTEzoMaRCiKcS7tQtygtyL/v3g";
        assertThat(hasher.verify("password", simple)).isTrue();
        assertThat(hasher.verify("Password", simple)).isFalse();
        assertThat(hasher.verify("pässwörd", twoLanes)).isTrue();
        assertThat(hasher.needsRehash(twoLanes)).isTrue();
    }

    /**
     * Every form the service has ever written or accepted (lanes 1 to 8, salts of 8 to 64 bytes, hashes of 16 to 64
     * bytes, any memory and passes within the bounds), made by an independent implementation, verifies, and only with
     * its password.
     */
    @Test
    void shouldVerifyEveryStoredFormMadeByAnotherImplementation() {
        Random random = new Random(20261201);
        for (int i = 0; i < 40; i++) {
            int lanes = 1 + random.nextInt(8);
            int memory = 8 * lanes + random.nextInt(600);
            int passes = 1 + random.nextInt(3);
            byte[] salt = new byte[8 + random.nextInt(57)];
            random.nextBytes(salt);
            int hashLength = 16 + random.nextInt(49);
            String password = "pw-" + random.nextInt() + "-ü";
            String stored = bouncyCastle(password, memory, passes, lanes, salt, hashLength);

            assertThat(hasher.verify(password, stored)).as(stored).isTrue();
            assertThat(hasher.verify(password + "x", stored)).as(stored).isFalse();
            assertThat(hasher.needsRehash(stored)).as(stored).isTrue();
        }
    }

    @Test
    void shouldAskForARehashWhenTheParametersChange() {
        String hash = hasher.hash("pw");
        assertThat(hasher.needsRehash(hash)).isFalse();
        PasswordHasher stronger = new PasswordHasher(2048, 2, 1);
        assertThat(stronger.needsRehash(hash)).isTrue();
        assertThat(stronger.verify("pw", hash)).as("old hashes keep verifying").isTrue();
    }

    /** libsodium allocates the work memory outside the heap: a 19 MiB hash allocates next to nothing on it. */
    @Test
    void shouldNotAllocateTheWorkMemoryOnTheHeap() {
        PasswordHasher owasp = new PasswordHasher(19456, 2, 1);
        String hash = owasp.hash("pw");
        owasp.verify("pw", hash);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
            assertThat(owasp.verify("pw", hash)).isTrue();
        }
        long perVerification = (threads.getCurrentThreadAllocatedBytes() - before) / 10;
        assertThat(perVerification).as("heap bytes per verification").isLessThan(64 * 1024);
    }

    @Test
    void shouldRefuseMalformedHashes() {
        String good = "$argon2id$v=19$m=1024,t=1,p=1$" + SALT + "$" + HASH;
        assertThat(good).as("the control is well-formed").satisfies(h -> assertThat(hasher.needsRehash(h)).isFalse());
        for (String malformed : new String[] { null, "", "plaintext", good.replace("argon2id", "argon2i"),
                good.replace("v=19", "v=16"), good.replace("m=1024", "m=01024"), good.replace("m=1024", "m=+1024"),
                good.replace("m=1024", "m=-1024"), good.replace("t=1,p=1", "p=1,t=1"), good.replace(",p=1", ""),
                good.replace("p=1", "p=1,k=1"), good + "=", good + "\n", good + "$", " " + good, good.replace(SALT, ""),
                good.replace(SALT, "***"), good.replace(SALT, SALT + "=="), good.replace(SALT, "c29tZXNhbHQ"
                        .substring(0, 9)), good.replace(HASH, HASH.substring(0, 20)), good.replace(HASH, HASH + "A"),
                good.replace(SALT, SALT.repeat(4)), good.replace(HASH, HASH.repeat(3)), good.replace(SALT, SALT + "\0"),
                good.replace("m=1024", "m=99999999999"), good.replace("m=1024", "m=2147483648") }) {
            assertThat(hasher.verify("pw", malformed)).as(String.valueOf(malformed)).isFalse();
            assertThat(hasher.needsRehash(malformed)).as(String.valueOf(malformed)).isTrue();
        }
    }

    /**
     * A stored hash asking for more than the bounds (say a row changed to cost a minute or 4 GiB per login) does not
     * match even with the right password, and costs no more than a verification at the dummy hash's parameters.
     */
    @Test
    void shouldRefuseStoredParametersBeyondTheBounds() {
        byte[] salt = "somesaltsomesalt".getBytes(StandardCharsets.US_ASCII);
        String tooManyPasses = bouncyCastle("pw", 8, PasswordHasher.MAX_ITERATIONS + 1, 1, salt, 32);
        String tooManyLanes = bouncyCastle("pw", 72, 1, PasswordHasher.MAX_PARALLELISM + 1, salt, 32);
        String atTheBounds = bouncyCastle("pw", 64, PasswordHasher.MAX_ITERATIONS, PasswordHasher.MAX_PARALLELISM, salt,
                32);
        assertThat(hasher.verify("pw", atTheBounds)).as("the control at the bounds").isTrue();
        assertThat(hasher.verify("pw", tooManyPasses)).isFalse();
        assertThat(hasher.verify("pw", tooManyLanes)).isFalse();

        String gigabytes = "$argon2id$v=19$m=4194304,t=1,p=1$" + SALT + "$" + HASH;
        String justOver = "$argon2id$v=19$m=" + (PasswordHasher.MAX_MEMORY_KIB + 1) + ",t=1,p=1$" + SALT + "$" + HASH;
        String aThousandPasses = "$argon2id$v=19$m=1024,t=1000,p=1$" + SALT + "$" + HASH;
        String tooLittleMemoryForTheLanes = "$argon2id$v=19$m=15,t=1,p=2$" + SALT + "$" + HASH;
        for (String costly : new String[] { gigabytes, justOver, aThousandPasses, tooLittleMemoryForTheLanes }) {
            long start = System.nanoTime();
            assertThat(hasher.verify("pw", costly)).as(costly).isFalse();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms for " + costly).isLessThan(1000);
        }
    }

    @Test
    void shouldRefuseToHashWithParametersBeyondTheBounds() {
        assertThatThrownBy(() -> new PasswordHasher(PasswordHasher.MAX_MEMORY_KIB + 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(1024, PasswordHasher.MAX_ITERATIONS + 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(1024, 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String bouncyCastle(String password, int memory, int passes, int lanes, byte[] salt, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build());
        byte[] hash = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memory + ",t=" + passes + ",p=" + lanes + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(hash);
    }
}

package io.apiops.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Runs at small argon2id parameters: the rules do not depend on the cost. */
class PasswordHasherTest {

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

    @Test
    void shouldAskForARehashWhenTheParametersChange() {
        String hash = hasher.hash("pw");
        assertThat(hasher.needsRehash(hash)).isFalse();
        PasswordHasher stronger = new PasswordHasher(2048, 2, 1);
        assertThat(stronger.needsRehash(hash)).isTrue();
        assertThat(stronger.verify("pw", hash)).as("old hashes keep verifying").isTrue();
    }

    @Test
    void shouldKeepItsWorkMemoryWhileBusyAndDropItWhenIdle() {
        hasher.hash("one");
        hasher.verify("one", hasher.hash("two"));
        assertThat(hasher.releaseMemoryIdleFor(Duration.ofHours(1))).as("kept: a hash just ran").isZero();
        int released = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> hasher.releaseMemoryIdleFor(Duration.ofMillis(10)), count -> count != 0);
        assertThat(released).as("hashes one after another share one array").isEqualTo(1);
        assertThat(hasher.verify("one", hasher.hash("one"))).as("and hashing goes on after a release").isTrue();
    }

    @Test
    void shouldRefuseMalformedHashes() {
        assertThat(hasher.verify("pw", null)).isFalse();
        assertThat(hasher.verify("pw", "")).isFalse();
        assertThat(hasher.verify("pw", "plaintext")).isFalse();
        assertThat(hasher.verify("pw", "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
        assertThat(hasher.verify("pw", "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
                .isFalse();
        assertThat(hasher.verify("pw", "$argon2id$v=19$m=1024,t=1,p=1$***$***")).isFalse();
        assertThat(hasher.needsRehash("plaintext")).isTrue();
    }
}

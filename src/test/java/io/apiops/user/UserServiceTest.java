package io.apiops.user;

import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.password.PasswordHasher;

/**
 * Login accounting against the real database, through the token endpoint. The test profile locks after 3 failures
 * for 2 seconds.
 */
@QuarkusTest
class UserServiceTest {

    @Inject
    TestUsers users;

    @Inject
    UserRepository repository;

    private User stored(TestUser user) {
        return QuarkusTransaction.requiringNew().call(() -> repository.findByUsername(user.username()).orElseThrow());
    }

    @Test
    void shouldLockAfterMaxFailuresAndRefuseEvenTheRightPassword() {
        TestUser user = users.create();
        for (int i = 0; i < 3; i++) {
            requestToken(user.username(), "wrong").then().statusCode(401);
        }
        requestToken(user.username(), user.password()).then().statusCode(401);
        // The right password on a locked account is a failed attempt too: the count cannot tell it was right.
        assertThat(stored(user).failedAttempts()).isEqualTo(4);
        assertThat(stored(user).isLocked(java.time.Instant.now())).isTrue();
    }

    @Test
    void shouldLetTheUserInAgainOnceTheLockoutEnds() {
        TestUser user = users.create();
        for (int i = 0; i < 3; i++) {
            requestToken(user.username(), "wrong").then().statusCode(401);
        }
        requestToken(user.username(), user.password()).then().statusCode(401);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> requestToken(user.username(), user.password()).statusCode() == 200);
        assertThat(stored(user).failedAttempts()).isZero();
    }

    @Test
    void shouldResetTheCountAfterAGoodLogin() {
        TestUser user = users.create();
        requestToken(user.username(), "wrong").then().statusCode(401);
        requestToken(user.username(), "wrong").then().statusCode(401);
        requestToken(user.username(), user.password()).then().statusCode(200);
        requestToken(user.username(), "wrong").then().statusCode(401);
        requestToken(user.username(), user.password()).then().statusCode(200);
        assertThat(stored(user).failedAttempts()).isZero();
    }

    @Test
    void shouldLetConcurrentHonestLoginsAllSucceed() throws Exception {
        TestUser user = users.create();
        List<Integer> statuses = inParallel(12, () -> requestToken(user.username(), user.password()).statusCode());
        assertThat(statuses).containsOnly(200);
        assertThat(stored(user).failedAttempts()).isZero();
    }

    @Test
    void shouldRehashAnOutdatedHashOnAGoodLogin() {
        TestUser user = users.create();
        String weak = new PasswordHasher(1024, 1, 1).hash(user.password());
        QuarkusTransaction.requiringNew().run(() -> repository.findByUsername(user.username()).orElseThrow().rehash(weak));

        requestToken(user.username(), user.password()).then().statusCode(200);

        String upgraded = stored(user).passwordHash();
        assertThat(upgraded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        requestToken(user.username(), user.password()).then().statusCode(200);
    }

    @Test
    void shouldLetConcurrentGoodLoginsInWhileAnOutdatedHashIsUpgraded() throws Exception {
        // The upgrade changes the stored hash but not the password: a login that verified the old hash while another
        // login upgraded it is still a good login, not a wrong password that counts towards a lockout.
        for (int round = 0; round < 5; round++) {
            TestUser user = users.create();
            // Outdated (one pass) but as slow to verify as the upgrade is to compute, so the logins overlap it.
            String outdated = new PasswordHasher(19456, 1, 1).hash(user.password());
            QuarkusTransaction.requiringNew()
                    .run(() -> repository.findByUsername(user.username()).orElseThrow().rehash(outdated));

            List<Integer> statuses = inParallel(16, () -> requestToken(user.username(), user.password()).statusCode());

            assertThat(statuses).containsOnly(200);
            assertThat(stored(user).failedAttempts()).isZero();
            assertThat(stored(user).passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        }
    }

    @Test
    void shouldNotRehashOnAWrongPassword() {
        TestUser user = users.create();
        String weak = new PasswordHasher(1024, 1, 1).hash(user.password());
        QuarkusTransaction.requiringNew().run(() -> repository.findByUsername(user.username()).orElseThrow().rehash(weak));

        requestToken(user.username(), "wrong").then().statusCode(401);

        assertThat(stored(user).passwordHash()).isEqualTo(weak);
    }

    static <T> List<T> inParallel(int count, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

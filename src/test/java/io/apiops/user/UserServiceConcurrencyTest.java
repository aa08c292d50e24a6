package io.apiops.user;

import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * Concurrent failed logins are counted exactly. The lockout lasts ten minutes here, not the test profile's two
 * seconds, so that a slow machine spreading the attempts over more than two seconds does not see the lock run out
 * half-way (which rightly starts the count again).
 */
@QuarkusTest
@TestProfile(UserServiceConcurrencyTest.LongLockout.class)
class UserServiceConcurrencyTest {

    public static class LongLockout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apiops.lockout.duration", "PT10M");
        }
    }

    @Inject
    TestUsers users;

    @Inject
    UserRepository repository;

    @Test
    void shouldCountEveryConcurrentFailureExactly() throws Exception {
        TestUser user = users.create();
        int attempts = 20;
        List<Integer> statuses = UserServiceTest.inParallel(attempts,
                () -> requestToken(user.username(), "wrong").statusCode());
        assertThat(statuses).containsOnly(401);
        User after = QuarkusTransaction.requiringNew()
                .call(() -> repository.findByUsername(user.username()).orElseThrow());
        assertThat(after.failedAttempts()).isEqualTo(attempts);
        assertThat(after.isLocked(Instant.now())).isTrue();
    }
}

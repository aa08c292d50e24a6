package io.apiops.login;

import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * A flood of logins against a connection pool far smaller than the queue of logins: every login's reads and writes
 * wait in a login turn rather than at the pool, so none of them runs into the pool's acquisition timeout (a 500)
 * however many are queued. Each answer is a token or the contract's 503.
 */
@QuarkusTest
@TestProfile(LoginFloodTest.SmallPool.class)
class LoginFloodTest {

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One hashing turn, so two login turns; the pool also holds the revocation listener's connection.
            return Map.of("quarkus.datasource.jdbc.max-size", "4",
                    "quarkus.datasource.jdbc.acquisition-timeout", "PT0.2S",
                    "apiops.password.max-concurrent", "1",
                    "apiops.rate-limit.enabled", "false");
        }
    }

    @Inject
    TestUsers users;

    @Test
    void shouldAnswerAFloodOfLoginsWithTokensAnd503sButNever500() throws Exception {
        TestUser user = users.create();
        TestUser other = users.create();
        // right and wrong passwords and unknown users: every outcome's database work (the wrong passwords go to
        // another account, which they lock)
        List<Response> answers = TestUsers.atOnce(160, i -> i % 2 == 0
                ? requestToken(user.username(), user.password())
                : requestToken(i % 3 == 0 ? "nobody-" + i : other.username(), "not-" + other.password()));

        assertThat(answers).extracting(Response::statusCode).containsOnly(200, 401, 503).contains(200, 401);
        // The pool is not left exhausted either: the next login is served.
        requestToken(user.username(), user.password()).then().statusCode(200);
    }
}

package io.apiops.login;

import static io.apiops.TestUsers.requestToken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/** Password spraying: one address failing on many accounts is stopped, whichever accounts it tries. */
@QuarkusTest
@TestProfile(LoginRateLimitTest.FivePerMinute.class)
class LoginRateLimitTest {

    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apiops.rate-limit.failures-per-minute", "5");
        }
    }

    @Inject
    TestUsers users;

    @Test
    void shouldRefuseAnAddressThatSpraysOnePasswordAcrossAccounts() {
        TestUser honest = users.create();
        requestToken(honest.username(), honest.password()).then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            TestUser victim = users.create();
            requestToken(victim.username(), "Spring2026!").then().statusCode(401);
        }

        requestToken(users.create().username(), "Spring2026!")
                .then()
                .statusCode(429)
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("Retry-After", matchesPattern("\\d+"))
                .body("error", equalTo("rate_limit_exceeded"))
                .body("error_description", matchesPattern(".+"))
                .body("retry_after", greaterThan(0))
                .body("retry_after", lessThanOrEqualTo(60));
        // Right passwords from that address wait too: the address, not the account, is limited.
        requestToken(honest.username(), honest.password()).then().statusCode(429);
        // Everything but the token endpoint still answers.
        io.restassured.RestAssured.given().get("/apiops/test/healthcheck").then().statusCode(200);
    }
}

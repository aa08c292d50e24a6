package io.apiops.login;

import static io.apiops.TestUsers.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import io.apiops.MinuteWindows;
import io.apiops.RawHttp;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * Password spraying: one address failing on many accounts is stopped, whichever accounts it tries, however it spells
 * the path, and however many of its attempts are in flight at once. Each test is a client of its own, named by the
 * trusted proxy in front of the service (here the test itself, on the loopback address).
 */
@QuarkusTest
@TestProfile(LoginRateLimitTest.FivePerMinuteBehindAProxy.class)
class LoginRateLimitTest {

    static final int LIMIT = 5;

    public static class FivePerMinuteBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apiops.rate-limit.failures-per-minute", Integer.toString(LIMIT),
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1,::1");
        }
    }

    @Inject
    TestUsers users;

    @TestHTTPResource
    URL base;

    @BeforeEach
    void awayFromTheTurnOfAMinute() {
        MinuteWindows.awayFromTheTurnOfAMinute();
    }

    /** A client address no other test uses. */
    private static String newClient() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.18." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private static Response login(String client, String username, String password) {
        return form().header("X-Forwarded-For", client)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", username)
                .formParam("client_secret", password)
                .post("/apiops/auth/token");
    }

    @Test
    void shouldRefuseAnAddressThatSpraysOnePasswordAcrossAccounts() {
        String client = newClient();
        TestUser honest = users.create();
        login(client, honest.username(), honest.password()).then().statusCode(200);
        for (int i = 0; i < LIMIT; i++) {
            login(client, users.create().username(), "Spring2026!").then().statusCode(401);
        }

        login(client, users.create().username(), "Spring2026!")
                .then()
                .statusCode(429)
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("Retry-After", matchesPattern("\\d+"))
                .body("error", equalTo("rate_limit_exceeded"))
                .body("error_description", matchesPattern(".+"))
                .body("retry_after", greaterThan(0))
                .body("retry_after", lessThanOrEqualTo(60));
        // Right passwords from that address wait too: the address, not the account, is limited.
        login(client, honest.username(), honest.password()).then().statusCode(429);
        // Another address is not affected, and neither is the rest of the API.
        login(newClient(), honest.username(), honest.password()).then().statusCode(200);
        io.restassured.RestAssured.given().get("/apiops/test/healthcheck").then().statusCode(200);
    }

    @Test
    void shouldNotCountGoodLoginsAgainstTheAddress() {
        String client = newClient();
        TestUser honest = users.create();
        for (int i = 0; i < LIMIT * 3; i++) {
            login(client, honest.username(), honest.password()).then().statusCode(200);
        }
        for (int i = 0; i < LIMIT - 1; i++) {
            // Other accounts, so that no account lockout gets in the way.
            login(client, users.create().username(), "wrong").then().statusCode(401);
        }
        login(client, honest.username(), honest.password()).then().statusCode(200);
    }

    @Test
    void shouldApplyTheLimitToEverySpellingOfThePath() throws Exception {
        String client = newClient();
        String username = users.create().username();
        String body = "grant_type=client_credentials&client_id=" + username + "&client_secret=wrong";
        List<String> spellings = List.of("/apiops/auth/token;x", "/apiops/auth/token;", "/apiops;x/auth/token",
                "//apiops/auth/token", "/apiops//auth/token", "/apiops/./auth/token", "/apiops/x/../auth/token",
                "/apiops/auth/%74oken", "/apiops/auth/token/", "/apiops/auth;a=b/token;c=d");
        RawHttp http = new RawHttp(base);
        List<Integer> statuses = new ArrayList<>();
        for (String path : spellings) {
            statuses.add(http.send(RawHttp.form(path, body, "X-Forwarded-For: " + client)).status());
        }
        // Whatever each spelling reached, no failed login got past the limit.
        long failures = statuses.stream().filter(status -> status == 401).count();
        assertThat(failures).as("statuses %s", statuses).isLessThanOrEqualTo(LIMIT);
        assertThat(statuses).as("every spelling is the endpoint, a 404 or the limit").allMatch(
                status -> status == 401 || status == 404 || status == 429);
        assertThat(http.send(RawHttp.form("/apiops/auth/token", body, "X-Forwarded-For: " + client)).status())
                .isEqualTo(failures == LIMIT ? 429 : 401);
        for (String path : spellings) {
            int status = http.send(RawHttp.form(path, body, "X-Forwarded-For: " + client)).status();
            assertThat(status).as(path).isIn(404, 429);
        }
    }

    @Test
    void shouldCountAttemptsInFlightSoTheLimitIsExact() throws Exception {
        String client = newClient();
        String username = users.create().username();
        int attempts = LIMIT * 4;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return login(client, username, "wrong").statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).filteredOn(status -> status == 401).hasSize(LIMIT);
            assertThat(statuses).filteredOn(status -> status == 429 || status == 503).hasSize(attempts - LIMIT);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldTakeTheClientFromTheRightPastTrustedProxies() {
        String client = newClient();
        String username = users.create().username();
        for (int i = 0; i < LIMIT; i++) {
            // The leftmost entry is the client's own claim and changes every time; the proxy appended the real one.
            form().header("X-Forwarded-For", "203.0.113." + i + ", " + client)
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", username)
                    .formParam("client_secret", "wrong")
                    .post("/apiops/auth/token").then().statusCode(401);
        }
        login(client, username, "wrong").then().statusCode(429);
        // A trusted hop on the right is skipped; the hop before it is the client.
        login(client + ", 127.0.0.1", username, "wrong").then().statusCode(429);
        // Two header lines are one list, in order.
        form().header("X-Forwarded-For", "203.0.113.9").header("X-Forwarded-For", client)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", username)
                .formParam("client_secret", "wrong")
                .post("/apiops/auth/token").then().statusCode(429);
    }

    @Test
    void shouldLimitIpv6ClientsPerSlash64() {
        int block = ThreadLocalRandom.current().nextInt(0x1000, 0xffff);
        String username = users.create().username();
        for (int i = 0; i < LIMIT; i++) {
            login("2001:db8:" + Integer.toHexString(block) + ":1::" + Integer.toHexString(i + 1), username, "wrong")
                    .then().statusCode(401);
        }
        login("2001:db8:" + Integer.toHexString(block) + ":1:ffff:ffff:ffff:ffff", username, "wrong")
                .then().statusCode(429);
        login("[2001:db8:" + Integer.toHexString(block) + ":2::1]:4711", username, "wrong").then().statusCode(401);
    }
}

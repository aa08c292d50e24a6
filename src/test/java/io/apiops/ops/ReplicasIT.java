package io.apiops.ops;

import static io.apiops.ops.PackagedService.HTTP;
import static io.apiops.ops.PackagedService.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.apiops.MinuteWindows;

/**
 * Two instances of the packaged service on one database, as two replicas run in production. Lockout counts, revocation
 * and disabling must hold across both.
 */
class ReplicasIT {

    private static final int ADDRESS_LIMIT = 30;

    private static String database;
    private static PackagedService first;
    private static PackagedService second;
    private static String adminToken;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        database = PackagedService.createDatabase("apiops_replicas_it");
        PackagedService.Keys keys = PackagedService.Keys.generate();
        String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
        // The failed-login limit counts per client; the test names its clients as a trusted proxy would.
        var lockout = settings("APIOPS_LOCKOUT_MAX_FAILURES", "5", "APIOPS_LOCKOUT_DURATION", "PT10M",
                "APIOPS_RATE_LIMIT_FAILURES_PER_MINUTE", Integer.toString(ADDRESS_LIMIT),
                "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true", "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true",
                "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
        // One after the other, so that the second finds the schema migrated and the administrator created.
        first = PackagedService.start("replica", url, keys, lockout);
        second = PackagedService.start("replica", url, keys, lockout);
        adminToken = first.token(PackagedService.ADMIN, PackagedService.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        try {
            // Both drain at once rather than one shutdown delay after the other.
            for (PackagedService replica : new PackagedService[] { first, second }) {
                if (replica != null) {
                    replica.terminate();
                }
            }
            for (PackagedService replica : new PackagedService[] { first, second }) {
                if (replica != null) {
                    replica.close();
                }
            }
        } finally {
            PackagedService.dropDatabase(database);
        }
    }

    @Test
    void shouldApplyOneFailedLoginLimitAcrossReplicas() throws Exception {
        MinuteWindows.awayFromTheTurnOfAMinute();
        String client = "198.51.100." + (1 + new java.util.Random().nextInt(250));
        List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
        for (int i = 0; i < ADDRESS_LIMIT * 2; i++) {
            PackagedService target = i % 2 == 0 ? first : second;
            HttpRequest plain = target.tokenRequest("sprayed-" + i, "Spring2026!");
            attempts.add(HTTP.sendAsync(HttpRequest.newBuilder(plain, (name, value) -> true)
                    .header("X-Forwarded-For", client).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> attempt : attempts) {
            statuses.add(attempt.get().statusCode());
        }
        // However the attempts were spread and interleaved, the address got exactly its limit of failures.
        assertThat(statuses).filteredOn(status -> status == 401).hasSize(ADDRESS_LIMIT);
        assertThat(statuses).filteredOn(status -> status == 429 || status == 503).hasSize(ADDRESS_LIMIT);
    }

    @Test
    void shouldCountFailuresExactlyAcrossReplicas() throws Exception {
        first.createUser(adminToken, "split-brain", "Right-Password-Split-Brain");
        List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PackagedService target = i % 2 == 0 ? first : second;
            attempts.add(HTTP.sendAsync(target.tokenRequest("split-brain", "wrong-" + i),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> attempt : attempts) {
            assertThat(attempt.get().statusCode()).isEqualTo(401);
        }
        String user = second.get("/apiops/users/split-brain", adminToken).body();
        assertThat(user).contains("\"failedAttempts\":20").contains("\"locked\":true");
        assertThat(HTTP.send(first.tokenRequest("split-brain", "Right-Password-Split-Brain"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseOnOneReplicaATokenRevokedThroughTheOther() throws Exception {
        first.createUser(adminToken, "revoked-elsewhere", "Revoked-Elsewhere-Password");
        String token = second.token("revoked-elsewhere", "Revoked-Elsewhere-Password");
        assertThat(first.hello(token)).isEqualTo(200);
        assertThat(second.hello(token)).isEqualTo(200);

        assertThat(first.revoke(adminToken, token).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> second.hello(token) == 401);
        assertThat(first.hello(token)).isEqualTo(401);
    }

    @Test
    void shouldRefuseOnBothReplicasAUserDisabledThroughOne() throws Exception {
        first.createUser(adminToken, "disabled-on-one", "Disabled-On-One-Password");
        String onFirst = first.token("disabled-on-one", "Disabled-On-One-Password");
        String onSecond = second.token("disabled-on-one", "Disabled-On-One-Password");

        assertThat(second.put("/apiops/users/disabled-on-one/", adminToken, "{\"enabled\":false}").statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> first.hello(onFirst) == 401 && first.hello(onSecond) == 401);
        assertThat(second.hello(onFirst)).isEqualTo(401);
        assertThat(second.hello(onSecond)).isEqualTo(401);
        assertThat(HTTP.send(first.tokenRequest("disabled-on-one", "Disabled-On-One-Password"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldEndARotationChainOnEveryReplicaWhenAnOldTokenIsReusedOnEither() throws Exception {
        first.createUser(adminToken, "rotating-bot", "Rotating-Bot-Password");
        String login = first.token("rotating-bot", "Rotating-Bot-Password");
        HttpResponse<String> made = first.post("/apiops/auth/tokens/", login, "{\"name\":\"bot\",\"expireDate\":\""
                + java.time.Instant.now().plusSeconds(1800) + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String old = PackagedService.accessToken(made.body());
        // The bot rotates itself through the second replica.
        HttpResponse<String> rotated = second.post("/apiops/auth/tokens/" + PackagedService.jti(old) + "/rotate",
                old, "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String next = PackagedService.accessToken(rotated.body());
        assertThat(first.hello(next)).isEqualTo(200);
        assertThat(second.hello(next)).isEqualTo(200);

        // Someone replays the old one on the first replica: refused as soon as the rotation has reached it, and then
        // the new one stops on both.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> first.hello(old) == 401);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> second.hello(next) == 401 && first.hello(next) == 401);
        assertThat(first.get("/apiops/auth/tokens/", login).body()).contains("\"revokedReason\":\"reuse_detected\"");
    }

    @Test
    void shouldTakeALostRoleFromTokensOnEveryReplica() throws Exception {
        first.createUser(adminToken, "demoted-admin", "Demoted-Admin-Password");
        assertThat(first.put("/apiops/users/demoted-admin/", adminToken, "{\"roleNameList\":[\"ROLE_ADMIN\"]}")
                .statusCode()).isEqualTo(200);
        String token = second.token("demoted-admin", "Demoted-Admin-Password");
        assertThat(second.get("/apiops/users/", token).statusCode()).isEqualTo(200);
        assertThat(first.get("/apiops/users/", token).statusCode()).isEqualTo(200);

        assertThat(first.put("/apiops/users/demoted-admin/", adminToken, "{\"roleNameList\":[]}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> second.get("/apiops/users/", token).statusCode() == 403);
        assertThat(first.get("/apiops/users/", token).statusCode()).isEqualTo(403);
        assertThat(second.hello(token)).isEqualTo(200);
    }
}

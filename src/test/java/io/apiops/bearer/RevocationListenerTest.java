package io.apiops.bearer;

import static io.apiops.TestUsers.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.apiops.TestUsers;

/**
 * What another replica does: it writes a revocation through its own database connection. This replica must refuse
 * the token within one second, or at the next reload if the notification never came.
 */
@QuarkusTest
class RevocationListenerTest {

    @Inject
    TestUsers users;

    @Inject
    RevocationListener listener;

    @Inject
    RevokedTokens revoked;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    private static String jti(String token) {
        return TestUsers.claim(token, "jti");
    }

    private void revokeElsewhere(String jti, boolean notify) throws Exception {
        try (Connection other = DriverManager.getConnection(url, username, "")) {
            other.setAutoCommit(false);
            Instant expires = Instant.now().plusSeconds(3600);
            try (PreparedStatement insert = other.prepareStatement(
                    "insert into revoked_token (jti, expires_at, revoked_at) values (?::uuid, ?, now())")) {
                insert.setString(1, jti);
                insert.setTimestamp(2, Timestamp.from(expires));
                insert.executeUpdate();
            }
            if (notify) {
                try (PreparedStatement notification = other.prepareStatement("select pg_notify(?, ?)")) {
                    notification.setString(1, RevocationRepository.CHANNEL);
                    notification.setString(2, jti + " " + expires.getEpochSecond());
                    notification.execute();
                }
            }
            other.commit();
        }
    }

    private static int status(String token) {
        return bearer(token).get("/apiops/test/hello/x").statusCode();
    }

    @Test
    void shouldRefuseATokenRevokedByAnotherReplicaWithinOneSecond() throws Exception {
        String token = users.create().token();
        await().until(() -> status(token) == 200);

        revokeElsewhere(jti(token), true);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).until(() -> status(token) == 401);
    }

    @Test
    void shouldCatchUpOnAMissedNotificationAtTheNextReload() throws Exception {
        String token = users.create().token();
        revokeElsewhere(jti(token), false);
        // No notification: the token stays valid here until the safety net reloads the list.
        listener.resync();
        await().atMost(Duration.ofSeconds(1)).until(() -> status(token) == 401);
    }

    @Test
    void shouldIgnoreRevocationsOfTokensThatExpiredAlready() throws Exception {
        String jti = UUID.randomUUID().toString();
        try (Connection other = DriverManager.getConnection(url, username, "")) {
            try (PreparedStatement insert = other.prepareStatement(
                    "insert into revoked_token (jti, expires_at, revoked_at) values (?::uuid, now() - interval '1 minute', now())")) {
                insert.setString(1, jti);
                insert.executeUpdate();
            }
        }
        listener.resync();
        assertThat(revoked.isRevoked(jti)).as("an expired entry takes no memory").isFalse();
    }

    @Test
    void shouldKeepARevocationThroughTheClockSkewAfterExp() throws Exception {
        String jti = UUID.randomUUID().toString();
        try (Connection other = DriverManager.getConnection(url, username, "")) {
            try (PreparedStatement insert = other.prepareStatement(
                    "insert into revoked_token (jti, expires_at, revoked_at) values (?::uuid, now() - interval '1 second', now())")) {
                insert.setString(1, jti);
                insert.executeUpdate();
            }
        }
        listener.resync();
        assertThat(revoked.isRevoked(jti)).as("a token one second past exp still verifies within the skew").isTrue();
    }
}

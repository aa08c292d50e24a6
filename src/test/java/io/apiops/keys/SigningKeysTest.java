package io.apiops.keys;

import static io.apiops.TestUsers.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import io.apiops.TestUsers;

/**
 * The middle step of a key rotation: key-b signs, and the verification set holds the previous key-a as well, so
 * tokens signed before the switch keep working. Test keys live in {@code src/test/resources/rotation}.
 */
@QuarkusTest
@TestProfile(SigningKeysTest.DuringRotation.class)
class SigningKeysTest {

    public static class DuringRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("smallrye.jwt.sign.key.location", "rotation/key-b.pem",
                    "mp.jwt.verify.publickey.location", "rotation/during-rotation.jwks.json");
        }
    }

    @Inject
    TestUsers users;

    static String signWith(String keyFile, String kid, String username) throws Exception {
        PrivateKey key = KeyUtils.decodePrivateKey(KeyUtils.readKeyContent("rotation/" + keyFile));
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer("apiops").audience("apiops")
                .subject(username).upn(username).groups(Set.of()).issuedAt(now)
                .expiresAt(now + 300).jws().keyId(kid).sign(key);
    }

    static String kid(String token) {
        return TestUsers.header(token, "kid");
    }

    @Test
    void shouldSignWithTheNewKeyAndPublishBoth() {
        assertThat(kid(users.create().token())).isEqualTo("key-b");
        given().get("/apiops/auth/jwks").then().statusCode(200).body("keys.kid", containsInAnyOrder("key-a", "key-b"));
    }

    @Test
    void shouldAcceptTokensOfThePreviousKeyWhileItIsInTheSet() throws Exception {
        String username = users.create().username();
        bearer(signWith("key-a.pem", "key-a", username)).get("/apiops/test/hello/x").then().statusCode(200);
    }

    @Test
    void shouldRefuseAForeignKeyEvenUnderAKnownKid() throws Exception {
        String username = users.create().username();
        bearer(signWith("key-c.pem", "key-a", username)).get("/apiops/test/hello/x").then().statusCode(401);
        bearer(signWith("key-c.pem", "key-c", username)).get("/apiops/test/hello/x").then().statusCode(401);
    }
}

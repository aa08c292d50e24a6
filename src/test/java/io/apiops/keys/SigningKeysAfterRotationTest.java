package io.apiops.keys;

import static io.apiops.TestUsers.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.apiops.TestUsers;

/** The last step of a key rotation: key-a has left the verification set, and its tokens stop working. */
@QuarkusTest
@TestProfile(SigningKeysAfterRotationTest.AfterRotation.class)
class SigningKeysAfterRotationTest {

    public static class AfterRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("smallrye.jwt.sign.key.location", "rotation/key-b.pem",
                    "mp.jwt.verify.publickey.location", "rotation/after-rotation.jwks.json");
        }
    }

    @Inject
    TestUsers users;

    @Test
    void shouldRefuseTokensOfARemovedKey() throws Exception {
        String username = users.create().username();
        bearer(SigningKeysTest.signWith("key-a.pem", "key-a", username)).get("/apiops/test/hello/x")
                .then().statusCode(401);
        bearer(SigningKeysTest.signWith("key-b.pem", "key-b", username)).get("/apiops/test/hello/x")
                .then().statusCode(200);
        given().get("/apiops/auth/jwks").then().body("keys.kid", contains("key-b"));
    }
}

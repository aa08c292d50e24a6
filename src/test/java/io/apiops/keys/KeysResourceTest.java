package io.apiops.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.apiops.TestUsers;

/** The published keys verify the tokens, as a gateway would check them offline. */
@QuarkusTest
class KeysResourceTest {

    @Inject
    TestUsers users;

    @Test
    void shouldPublishTheKeyThatVerifiesIssuedTokens() throws Exception {
        String token = users.create().token();
        String jwks = given().get("/apiops/auth/jwks")
                .then()
                .statusCode(200)
                .header("Content-Type", "application/json;charset=UTF-8")
                .extract().asString();

        List<JsonWebKey> keys = new JsonWebKeySet(jwks).getJsonWebKeys();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        JsonWebKey key = keys.stream().filter(k -> k.getKeyId().equals(jws.getKeyIdHeaderValue())).findFirst()
                .orElseThrow(() -> new AssertionError("no published key has the token's kid"));
        jws.setKey(key.getKey());

        assertThat(jws.verifySignature()).isTrue();
        assertThat(key.getUse()).isEqualTo("sig");
        assertThat(key.getAlgorithm()).isEqualTo("RS256");
        assertThat(key.getKeyId()).isEqualTo(((PublicJsonWebKey) key).calculateBase64urlEncodedThumbprint("SHA-256"));
        assertThat(jwks).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
    }
}

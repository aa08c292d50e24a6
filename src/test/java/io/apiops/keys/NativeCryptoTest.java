package io.apiops.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.apiops.TestUsers;

/**
 * Tokens are signed through AWS-LC where it loads, as on every machine the service is built and tested on, and what it
 * signs is plain RS256: the JDK's own implementation, which shares no code with it, accepts every signature against
 * the published key, as a gateway with any JOSE library would.
 */
@QuarkusTest
class NativeCryptoTest {

    @Inject
    SigningKeys keys;

    @Inject
    TestUsers users;

    @Test
    void shouldSignThroughTheNativeProvider() throws Exception {
        assertThat(keys.signingKey().getClass().getName()).startsWith("com.amazon.corretto.crypto.provider.");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.signingKey());
        assertThat(signature.getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void shouldIssueTokensThatTheJdksOwnRsaAcceptsAndRefusesWhenTampered() throws Exception {
        String jwks = given().get("/apiops/auth/jwks").then().statusCode(200).extract().asString();
        PublicKey published = ((PublicJsonWebKey) new JsonWebKeySet(jwks).findJsonWebKey(keys.keyId(), null, null,
                null)).getPublicKey();
        for (int i = 0; i < 5; i++) {
            String[] parts = users.create().token().split("\\.");
            byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            byte[] value = Base64.getUrlDecoder().decode(parts[2]);
            assertThat(jdkVerifies(published, signed, value)).isTrue();
            value[value.length / 2] ^= 1;
            assertThat(jdkVerifies(published, signed, value)).isFalse();
        }
    }

    private static boolean jdkVerifies(PublicKey key, byte[] signed, byte[] value) throws Exception {
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jdk.initVerify(key);
        jdk.update(signed);
        return jdk.verify(value);
    }
}

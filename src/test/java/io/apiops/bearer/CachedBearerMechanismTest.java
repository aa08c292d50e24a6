package io.apiops.bearer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.restassured.http.Headers;
import io.smallrye.jwt.build.Jwt;

import io.apiops.TestUsers;
import io.apiops.keys.SigningKeys;

/**
 * The bearer header as an attacker writes it: a real, valid token made longer, padded, spaced or doubled in ways a
 * lenient decoder or parser would forgive. Each is the section 3 401; the token itself, sent plainly, is 200.
 */
@QuarkusTest
class CachedBearerMechanismTest {

    private static final String INVALID_TOKEN = "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid token\"}";
    private static final String HELLO = "/apiops/test/hello/x";

    @Inject
    TestUsers users;

    @Inject
    SigningKeys keys;

    private String token;

    @BeforeEach
    void token() {
        token = users.create().token();
        given().header("Authorization", "Bearer " + token).get(HELLO).then().statusCode(200);
    }

    private static void refused(String authorization) {
        given().header("Authorization", authorization).get(HELLO).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body(equalTo(INVALID_TOKEN));
    }

    @Test
    void shouldRefuseTheTokenWithPaddingOrJunkAppended() {
        for (String suffix : new String[] { "!!!!", "====AAAA", "=", "==", "%3D%3D", "*".repeat(15_000) }) {
            refused("Bearer " + token + suffix);
        }
    }

    @Test
    void shouldRefusePaddingInsideASegment() {
        String[] parts = token.split("\\.");
        refused("Bearer " + parts[0] + "==." + parts[1] + "." + parts[2]);
        refused("Bearer " + parts[0] + "." + parts[1] + "=." + parts[2]);
    }

    @Test
    void shouldRefuseANonCanonicalLastCharacter() {
        // RS256 signatures are 256 bytes: 342 characters whose last one carries four unused bits.
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) | 1);
        refused("Bearer " + parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1) + sibling);
    }

    @Test
    void shouldRefuseWhiteSpaceTricksAndOtherSchemeSpellings() {
        refused("Bearer  " + token);
        refused("Bearer\t" + token);
        refused("Bearer \t" + token);
        refused("bearer " + token);
        refused("BEARER " + token);
        refused("Bearer " + token.replace(".", " ."));
        refused("Bearer " + token.replace(".", ".\t"));
        refused("Bearer");
        refused("");
    }

    @Test
    void shouldRefuseTwoAuthorizationHeadersEvenIfBothAreGood() {
        given().headers(new Headers(new Header("Authorization", "Bearer " + token),
                new Header("Authorization", "Bearer " + token)))
                .get(HELLO).then().statusCode(401).body(equalTo(INVALID_TOKEN));
    }

    @Test
    void shouldAcceptASignedTokenOfEightKibibytesAndRefuseOneCharacterMore() {
        String username = users.create().username();
        given().header("Authorization", "Bearer " + ofLength(username, 8192)).get(HELLO).then().statusCode(200);
        refused("Bearer " + ofLength(username, 8193));
    }

    /** A validly signed token of exactly {@code length} characters, found by sizing a filler claim. */
    private String ofLength(String username, int length) {
        for (int extra = 0; extra < 4; extra++) {
            int low = 0;
            int high = length;
            while (low <= high) {
                int filler = (low + high) >>> 1;
                String candidate = sign(username, filler, extra);
                if (candidate.length() == length) {
                    return candidate;
                }
                if (candidate.length() < length) {
                    low = filler + 1;
                } else {
                    high = filler - 1;
                }
            }
        }
        throw new IllegalStateException("no token of length " + length);
    }

    private String sign(String username, int filler, int headerExtra) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer("apiops").audience("apiops").subject(username).upn(username).groups(Set.of())
                .issuedAt(now).expiresAt(now + 300).claim("filler", "a".repeat(filler))
                .jws().keyId(keys.keyId()).header("x", "b".repeat(headerExtra)).sign(keys.signingKey());
    }
}

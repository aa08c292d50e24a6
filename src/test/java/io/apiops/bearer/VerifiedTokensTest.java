package io.apiops.bearer;

import static io.apiops.TestUsers.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.util.KeyUtils;

import io.apiops.TestUsers;
import io.apiops.keys.SigningKeys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Forged tokens, built byte by byte as an attacker would: every one is refused with the section 3 body. A control
 * token made the same way with the real key passes, so the refusals are about the forgery and nothing else.
 */
@QuarkusTest
class VerifiedTokensTest {

    private static final String INVALID_TOKEN = "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid token\"}";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    TestUsers users;

    @Inject
    SigningKeys keys;

    @ConfigProperty(name = "mp.jwt.verify.publickey")
    String publicKeyText;

    private String username;

    @BeforeEach
    void user() {
        username = users.create().username();
    }

    private String header(String alg, String kid) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
    }

    private String claims(long notBefore, long expires, String issuer) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + issuer + "\",\"aud\":\"apiops\",\"sub\":\"" + username + "\",\"upn\":\"" + username
                + "\",\"groups\":[\"ROLE_ADMIN\"],\"iat\":" + now + ",\"nbf\":" + notBefore + ",\"exp\":" + expires
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    private String validClaims() {
        long now = Instant.now().getEpochSecond();
        return claims(now - 5, now + 300, "apiops");
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String rs256(String header, String claims, PrivateKey key) throws Exception {
        String input = encode(header) + "." + encode(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(signature.sign());
    }

    private static String hs256(String header, String claims, byte[] secret) throws Exception {
        String input = encode(header) + "." + encode(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void refused(String token) {
        bearer(token).get("/apiops/test/hello/x").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body(equalTo(INVALID_TOKEN));
    }

    @Test
    void shouldAcceptTheControlTokenMadeTheSameWay() throws Exception {
        bearer(rs256(header("RS256", keys.keyId()), validClaims(), keys.signingKey())).get("/apiops/test/hello/x")
                .then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "none", "None", "NONE", "nOnE" })
    void shouldRefuseUnsignedTokens(String alg) {
        refused(encode(header(alg, keys.keyId())) + "." + encode(validClaims()) + ".");
    }

    @Test
    void shouldRefuseHs256KeyedWithThePublicKey() throws Exception {
        RSAPublicKey publicKey = (RSAPublicKey) KeyUtils.decodePublicKey(publicKeyText);
        refused(hs256(header("HS256", keys.keyId()), validClaims(), publicKey.getEncoded()));
        refused(hs256(header("HS256", keys.keyId()), validClaims(), publicKeyText.getBytes(StandardCharsets.UTF_8)));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        refused(hs256(header("HS256", keys.keyId()), validClaims(), pem.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldRefuseAForeignKeyUnderOurKidAndAnEmbeddedJwk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair attacker = generator.generateKeyPair();
        RSAPublicKey attackerPublic = (RSAPublicKey) attacker.getPublic();
        refused(rs256(header("RS256", keys.keyId()), validClaims(), attacker.getPrivate()));
        String jwk = "{\"kty\":\"RSA\",\"n\":\"" + B64.encodeToString(unsigned(attackerPublic.getModulus().toByteArray()))
                + "\",\"e\":\"AQAB\"}";
        String embedded = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\",\"jwk\":" + jwk + "}";
        refused(rs256(embedded, validClaims(), attacker.getPrivate()));
        String jku = "{\"alg\":\"RS256\",\"kid\":\"" + keys.keyId() + "\",\"jku\":\"http://127.0.0.1:1/jwks\"}";
        refused(rs256(jku, validClaims(), attacker.getPrivate()));
    }

    @Test
    void shouldRefuseAnUnknownOrMissingKid() throws Exception {
        refused(rs256(header("RS256", "someone-elses-key"), validClaims(), keys.signingKey()));
        refused(rs256(header("RS256", null), validClaims(), keys.signingKey()));
    }

    @Test
    void shouldRefuseATokenThatIsNotYetValid() throws Exception {
        long now = Instant.now().getEpochSecond();
        refused(rs256(header("RS256", keys.keyId()), claims(now + 600, now + 900, "apiops"), keys.signingKey()));
    }

    @Test
    void shouldRefuseExpiredAndForeignIssuerTokens() throws Exception {
        long now = Instant.now().getEpochSecond();
        refused(rs256(header("RS256", keys.keyId()), claims(now - 600, now - 10, "apiops"), keys.signingKey()));
        refused(rs256(header("RS256", keys.keyId()), claims(now - 5, now + 300, "https://evil.example"),
                keys.signingKey()));
    }

    @Test
    void shouldRefuseATokenForAnotherAudienceOrNone() throws Exception {
        refused(rs256(header("RS256", keys.keyId()), validClaims().replace("\"aud\":\"apiops\"", "\"aud\":\"other\""),
                keys.signingKey()));
        refused(rs256(header("RS256", keys.keyId()), validClaims().replace("\"aud\":\"apiops\",", ""),
                keys.signingKey()));
    }

    @Test
    void shouldIssueTokensForTheConfiguredAudience() {
        assertThat(TestUsers.claim(users.create().token(), "aud")).isEqualTo("apiops");
    }

    @Test
    void shouldRefuseAChangedPayloadAndAStrippedSignature() throws Exception {
        String token = rs256(header("RS256", keys.keyId()), validClaims(), keys.signingKey());
        String[] parts = token.split("\\.");
        String otherClaims = encode(validClaims().replace(username, username + "x"));
        refused(parts[0] + "." + otherClaims + "." + parts[2]);
        refused(parts[0] + "." + parts[1] + ".");
        refused(parts[0] + "." + parts[1]);
        refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA");
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}

package io.apiops.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.apiops.error.ApiException;

class ClientCredentialsTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static ClientCredentials parse(String contentType, String body, String... authorization) {
        return ClientCredentials.parse(contentType, List.of(authorization), body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ApiException failure(String contentType, String body, String... authorization) {
        return catchThrowableOfType(ApiException.class, () -> parse(contentType, body, authorization));
    }

    private static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadTheFormFields() {
        ClientCredentials credentials = parse(FORM, "grant_type=client_credentials&client_id=alice&client_secret=s3cret");
        assertThat(credentials.clientId()).isEqualTo("alice");
        assertThat(credentials.clientSecret()).isEqualTo("s3cret");
    }

    @Test
    void shouldDecodePercentEncodingAndPlusAsUtf8() {
        ClientCredentials credentials = parse(FORM + "; charset=UTF-8",
                "grant_type=client_credentials&client_id=j%C3%BCrgen&client_secret=a+b%26c%3D%25");
        assertThat(credentials.clientId()).isEqualTo("jürgen");
        assertThat(credentials.clientSecret()).isEqualTo("a b&c=%");
    }

    @Test
    void shouldHonourAnIso88591Charset() {
        ClientCredentials credentials = parse(FORM + "; charset=ISO-8859-1",
                "grant_type=client_credentials&client_id=j%FCrgen&client_secret=x");
        assertThat(credentials.clientId()).isEqualTo("jürgen");
    }

    @Test
    void shouldReadHttpBasicCredentialsFormUrlDecoded() {
        ClientCredentials credentials = parse(FORM, "grant_type=client_credentials",
                basic("j%C3%BCrgen:p%3Ass+word"));
        assertThat(credentials.clientId()).isEqualTo("jürgen");
        assertThat(credentials.clientSecret()).isEqualTo("p:ss word");
    }

    @Test
    void shouldIgnoreOtherAuthorizationSchemes() {
        ClientCredentials credentials = parse(FORM, "grant_type=client_credentials&client_id=a&client_secret=b",
                "Bearer abc");
        assertThat(credentials.clientId()).isEqualTo("a");
    }

    @Test
    void shouldRejectAnUnknownGrantTypeBeforeLookingAtCredentials() {
        ApiException e = failure(FORM, "grant_type=password&username=a&password=b");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("unsupported_grant_type");
        assertThat(e.description()).isEqualTo("GrantType value must be client_credentials!");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "grant_type=", "client_id=a&client_secret=b", "grant_type&client_id=a" })
    void shouldRequireTheGrantType(String body) {
        ApiException e = failure(FORM, body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("invalid_request");
        assertThat(e.description()).isEqualTo("Missing parameter: grant_type");
    }

    @ParameterizedTest
    @ValueSource(strings = { "grant_type=client_credentials&client_secret=b",
            "grant_type=client_credentials&client_id=&client_secret=b" })
    void shouldRequireTheClientId(String body) {
        assertThat(failure(FORM, body).description()).isEqualTo("Missing parameter: client_id");
    }

    @Test
    void shouldRequireTheClientSecret() {
        assertThat(failure(FORM, "grant_type=client_credentials&client_id=a").description())
                .isEqualTo("Missing parameter: client_secret");
    }

    @ParameterizedTest
    @ValueSource(strings = { "grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b",
            "grant_type=client_credentials&client_id=a&client_id=a&client_secret=b",
            "grant_type=client_credentials&client_id=a&client_secret=b&client_secret=c" })
    void shouldRejectRepeatedParameters(String body) {
        ApiException e = failure(FORM, body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.description()).endsWith("must not be repeated");
    }

    @Test
    void shouldRejectBasicAndFormCredentialsTogether() {
        ApiException e = failure(FORM, "grant_type=client_credentials&client_id=a", basic("a:b"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic", "Basic !!!", "Basic YWxpY2U=", "Basic //79" })
    void shouldRejectMalformedBasicCredentials(String header) {
        ApiException e = failure(FORM, "grant_type=client_credentials", header);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = { "%", "%4", "%zz", "%C3%28", "%00", "%FF%FE" })
    void shouldRejectBrokenEncodings(String secret) {
        ApiException e = failure(FORM, "grant_type=client_credentials&client_id=a&client_secret=" + secret);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "multipart/form-data; boundary=x", "text/plain", " ",
            "application/x-www-form-urlencodedx" })
    void shouldRejectOtherMediaTypes(String contentType) {
        assertThat(failure(contentType, "grant_type=client_credentials").status()).isEqualTo(415);
    }

    @Test
    void shouldRejectAMissingContentType() {
        assertThat(failure(null, "grant_type=client_credentials").status()).isEqualTo(415);
    }

    @Test
    void shouldRejectAnUnknownCharset() {
        assertThat(failure(FORM + "; charset=klingon", "grant_type=client_credentials").status()).isEqualTo(415);
    }

    @Test
    void shouldRejectBodiesOver64KiB() {
        String body = "grant_type=client_credentials&client_id=a&client_secret=" + "x".repeat(64 * 1024);
        assertThat(failure(FORM, body).status()).isEqualTo(413);
    }

    @Test
    void shouldNeverShowTheSecretInToString() {
        assertThat(new ClientCredentials("alice", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldRejectTwoAuthorizationHeaders() {
        assertThatThrownBy(() -> parse(FORM, "grant_type=client_credentials", basic("a:b"), basic("c:d")))
                .isInstanceOf(ApiException.class);
    }
}

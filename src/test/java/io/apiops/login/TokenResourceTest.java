package io.apiops.login;

import static io.apiops.TestUsers.FORM;
import static io.apiops.TestUsers.form;
import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Headers;
import io.restassured.response.Response;

import io.apiops.DefaultRoles;
import io.apiops.RawHttp;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/** Sections 1 and 2 of the contract: {@code POST /apiops/auth/token}. */
@QuarkusTest
class TokenResourceTest {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    private static final String BAD_CREDENTIALS = "{\"error\":\"unauthorized_client\",\"error_description\":\"Bad credentials\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestUsers users;

    @TestHTTPResource
    URL base;

    /**
     * A body sent in chunks, of any size, up to the limit, is the same form as one with a Content-Length: the
     * credentials in it are read byte for byte, whether the chunks split a parameter, a percent-escape or nothing.
     * The endpoint runs on the event loop, and a body larger than the framework's input buffer once reached it as a
     * run of NUL bytes (a chunked body, which the router reads ahead of the endpoint to enforce the limit).
     */
    @ParameterizedTest
    @ValueSource(ints = { 1, 3, 16, 4096 })
    void shouldReadAChunkedBodyLikeAnAnnouncedOne(int chunkSize) throws Exception {
        TestUser user = users.create();
        RawHttp http = new RawHttp(base);
        String form = "grant_type=client_credentials&client_id=" + user.username() + "&client_secret="
                + URLEncoder.encode(user.password(), StandardCharsets.UTF_8);

        RawHttp.Answer good = http.send(RawHttp.chunked(TokenResource.PATH, FORM, form, chunkSize));
        RawHttp.Answer wrong = http.send(RawHttp.chunked(TokenResource.PATH, FORM, form + "%21", chunkSize));
        String padded = form + "&pad=" + "p".repeat(65_536 - form.length() - 5);
        RawHttp.Answer full = http.send(RawHttp.chunked(TokenResource.PATH, FORM, padded, Math.max(chunkSize, 512)));
        RawHttp.Answer announced = http.send(RawHttp.request("POST", TokenResource.PATH,
                List.of("Content-Type: " + FORM), padded.getBytes(StandardCharsets.US_ASCII)));

        assertThat(good.status()).as(good.body()).isEqualTo(200);
        assertThat(JSON.readTree(good.body()).path("token_type").asText()).isEqualTo("Bearer");
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(BAD_CREDENTIALS);
        assertThat(padded).hasSize(65_536);
        assertThat(full.status()).as("exactly 64 KiB in chunks: " + full.body()).isEqualTo(200);
        assertThat(announced.status()).as("exactly 64 KiB announced: " + announced.body()).isEqualTo(200);
    }

    @Test
    void shouldIssueABearerTokenForValidCredentials() throws Exception {
        TestUser user = users.create(DefaultRoles.MANAGE_PROXIES, DefaultRoles.API_SECURITY);

        Response response = requestToken(user.username(), user.password());

        response.then()
                .statusCode(200)
                .header("Content-Type", JSON_UTF8)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
        assertThat(response.asString()).matches(
                "\\{\"access_token\":\"[\\w-]+\\.[\\w-]+\\.[\\w-]+\",\"token_type\":\"Bearer\",\"expires_in\":3600}");

        String[] jwt = response.<String> path("access_token").split("\\.");
        JsonNode header = decode(jwt[0]);
        JsonNode claims = decode(jwt[1]);
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("kid").asText()).isNotBlank();
        assertThat(claims.get("iss").asText()).isEqualTo("apiops");
        assertThat(claims.get("sub").asText()).isEqualTo(user.username());
        assertThat(claims.get("upn").asText()).isEqualTo(user.username());
        assertThat(claims.get("groups")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(DefaultRoles.MANAGE_PROXIES, DefaultRoles.API_SECURITY);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
        assertThat(claims.get("iat").asLong()).isBetween(System.currentTimeMillis() / 1000 - 30, System.currentTimeMillis() / 1000 + 30);
        assertThat(claims.get("jti").asText()).isNotBlank();
        assertThat(claims.has("password")).isFalse();
    }

    @Test
    void shouldGiveEveryTokenItsOwnId() throws Exception {
        TestUser user = users.create();
        String first = decode(user.token().split("\\.")[1]).get("jti").asText();
        String second = decode(user.token().split("\\.")[1]).get("jti").asText();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void shouldAcceptHttpBasicClientAuthentication() {
        TestUser user = users.create();
        form().auth().preemptive().basic(user.username(), user.password())
                .formParam("grant_type", "client_credentials")
                .post("/apiops/auth/token")
                .then()
                .statusCode(200)
                .body("token_type", equalTo("Bearer"));
    }

    @Test
    void shouldDecodeFormUrlEncodedBasicCredentials() {
        TestUser user = users.create();
        String encoded = Base64.getEncoder().encodeToString(
                (user.username() + ":" + user.password().replace("-", "%2D")).getBytes(StandardCharsets.UTF_8));
        form().header("Authorization", "Basic " + encoded)
                .body("grant_type=client_credentials")
                .post("/apiops/auth/token")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldAnswerJsonWhateverTheAcceptHeader() {
        TestUser user = users.create();
        form().accept("text/html")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", user.username())
                .formParam("client_secret", user.password())
                .post("/apiops/auth/token")
                .then()
                .statusCode(200)
                .header("Content-Type", JSON_UTF8);
    }

    @Test
    void shouldAcceptAnIso88591EncodedForm() {
        TestUser user = users.create();
        given().contentType(FORM + "; charset=ISO-8859-1")
                .body("grant_type=client_credentials&client_id=" + user.username() + "&client_secret="
                        + user.password())
                .post("/apiops/auth/token")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldRejectAnotherGrantTypeWithThePublishedBody() {
        form().body("grant_type=password&client_id=a&client_secret=b")
                .post("/apiops/auth/token")
                .then()
                .statusCode(400)
                .header("Content-Type", JSON_UTF8)
                .body(equalTo("{\"error\":\"unsupported_grant_type\","
                        + "\"error_description\":\"GrantType value must be client_credentials!\"}"));
    }

    @Test
    void shouldAnswerTheFourCredentialFailuresIdentically() {
        TestUser wrongPassword = users.create();
        TestUser disabled = users.create(false);
        TestUser locked = users.create();
        for (int i = 0; i < 3; i++) {
            requestToken(locked.username(), "wrong").then().statusCode(401);
        }

        List<Response> answers = List.of(
                requestToken("nobody-" + wrongPassword.username(), "whatever"),
                requestToken(wrongPassword.username(), wrongPassword.password() + "x"),
                requestToken(disabled.username(), disabled.password()),
                requestToken(locked.username(), locked.password()));

        for (Response answer : answers) {
            answer.then().statusCode(401).header("Content-Type", JSON_UTF8).body(equalTo(BAD_CREDENTIALS));
        }
        assertThat(answers).extracting(response -> headerNames(response.headers())).containsOnly(
                headerNames(answers.get(0).headers()));
        assertThat(answers).extracting(response -> response.header("WWW-Authenticate")).containsOnlyNulls();
    }

    @Test
    void shouldCompareUsernamesExactly() {
        TestUser user = users.create();
        String upper = user.username().toUpperCase();
        String lookAlike = user.username().replace('e', '\u0435');
        requestToken(upper, user.password()).then().statusCode(401).body(equalTo(BAD_CREDENTIALS));
        requestToken(lookAlike, user.password()).then().statusCode(401).body(equalTo(BAD_CREDENTIALS));
        requestToken(" " + user.username(), user.password()).then().statusCode(401);
    }

    @Test
    void shouldRejectBasicAndFormCredentialsTogether() {
        TestUser user = users.create();
        form().auth().preemptive().basic(user.username(), user.password())
                .body("grant_type=client_credentials&client_id=" + user.username())
                .post("/apiops/auth/token")
                .then()
                .statusCode(400)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("invalid_request"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "client_id=a&client_secret=b", "grant_type=&client_id=a&client_secret=b",
            "grant_type=client_credentials&client_secret=b", "grant_type=client_credentials&client_id=a",
            "grant_type=client_credentials&client_id=&client_secret=b",
            "grant_type=client_credentials&client_id=a&client_secret=",
            "grant_type=client_credentials&client_id=a&client_id=a&client_secret=b",
            "grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b",
            "grant_type=client_credentials&client_id=a&client_secret=%zz", "" })
    void shouldAnswerInvalidRequestForMissingEmptyRepeatedOrMalformedParameters(String body) {
        form().body(body)
                .post("/apiops/auth/token")
                .then()
                .statusCode(400)
                .header("Content-Type", JSON_UTF8)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request"))
                .body("error_description", matchesPattern(".+"));
    }

    @Test
    void shouldNeverReadCredentialsFromTheQueryString() {
        TestUser user = users.create();
        form().queryParam("client_id", user.username())
                .queryParam("client_secret", user.password())
                .body("grant_type=client_credentials")
                .post("/apiops/auth/token")
                .then()
                .statusCode(400)
                .body("error_description", equalTo("Missing parameter: client_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "text/plain", "application/octet-stream", "application/xml" })
    void shouldAnswer415ForOtherBodies(String contentType) {
        given().contentType(contentType)
                .body("grant_type=client_credentials&client_id=a&client_secret=b".getBytes(StandardCharsets.UTF_8))
                .post("/apiops/auth/token")
                .then()
                .statusCode(415)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("invalid_request"))
                .body("error_description", matchesPattern(".+"));
    }

    @Test
    void shouldAnswer415ForAMultipartForm() {
        TestUser user = users.create();
        given().multiPart("grant_type", "client_credentials")
                .multiPart("client_id", user.username())
                .multiPart("client_secret", user.password())
                .post("/apiops/auth/token")
                .then()
                .statusCode(415)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void shouldAnswer415WithoutAContentType() {
        given().body("grant_type=client_credentials".getBytes(StandardCharsets.UTF_8))
                .post("/apiops/auth/token")
                .then()
                .statusCode(415)
                .body("error", equalTo("invalid_request"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "PUT", "DELETE", "PATCH", "OPTIONS" })
    void shouldAnswer405ForOtherMethods(String method) {
        given().request(method, "/apiops/auth/token")
                .then()
                .statusCode(405)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("method_not_allowed"))
                .body("error_description", matchesPattern(".+"));
    }

    @Test
    void shouldAnswer413ForBodiesOver64KiB() {
        form().body("grant_type=client_credentials&client_id=a&client_secret=" + "x".repeat(64 * 1024))
                .post("/apiops/auth/token")
                .then()
                .statusCode(413)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("invalid_request"))
                .body("validation_errors", nullValue());
    }

    private static JsonNode decode(String part) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(part));
    }

    private static List<String> headerNames(Headers headers) {
        return headers.asList().stream()
                .map(header -> header.getName().toLowerCase())
                .filter(name -> !Map.of("date", 0, "content-length", 0).containsKey(name))
                .sorted()
                .toList();
    }
}

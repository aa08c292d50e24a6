package io.apiops.ops;

import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import io.apiops.ManagementInterface;
import io.apiops.TestUsers;

/** What operators and gateways use: discovery metadata, the OpenAPI document, probes and metrics. */
@QuarkusTest
class OperationsTest {

    @Inject
    TestUsers users;

    @Test
    void shouldPublishConsistentAuthorizationServerMetadata() {
        String token = users.create().token();
        JsonPath metadata = given().get("/.well-known/oauth-authorization-server")
                .then()
                .statusCode(200)
                .header("Content-Type", "application/json;charset=UTF-8")
                .extract().jsonPath();
        String iss = TestUsers.claim(token, "iss");
        assertThat(metadata.getString("issuer")).isEqualTo(iss);
        // No public URL configured: relative, never built from the request's Host.
        assertThat(metadata.getString("token_endpoint")).isEqualTo("/apiops/auth/token");
        assertThat(metadata.getString("jwks_uri")).endsWith("/apiops/auth/jwks");
        assertThat(metadata.getString("revocation_endpoint")).endsWith("/apiops/auth/revoke");
        assertThat(metadata.getList("grant_types_supported")).containsExactly("client_credentials");
        assertThat(metadata.getList("token_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");
        given().get(metadata.getString("jwks_uri")).then().statusCode(200);
    }

    @Test
    void shouldDescribeEveryEndpointInOpenApi() {
        JsonPath document = given().get("/apiops/openapi.json")
                .then()
                .statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("components.schemas.ApiError.properties.keySet()", hasItem("error_description"))
                .extract().jsonPath();
        Map<String, Object> paths = document.getMap("paths");
        assertThat(paths.keySet()).contains("/apiops/auth/token", "/apiops/auth/revoke", "/apiops/auth/jwks",
                "/apiops/auth/tokens", "/apiops/auth/tokens/{id}", "/apiops/auth/me", "/apiops/auth/me/password",
                "/apiops/users", "/apiops/users/{username}", "/apiops/users/{username}/password",
                "/apiops/users/{username}/unlock", "/apiops/users/{username}/lock",
                "/apiops/users/{username}/tokens", "/apiops/audit", "/apiops/test/healthcheck",
                "/apiops/test/hello/{name}", "/.well-known/oauth-authorization-server");
        assertThat(document.getMap("paths.'/apiops/users'.get.responses")).containsKey("default");
        given().get("/apiops/openapi.yaml").then().statusCode(200).body(org.hamcrest.Matchers.startsWith("---"));
    }

    @Test
    void shouldSendBrowsersToTheInteractivePage() {
        given().redirects().follow(false).accept("text/html").get("/apiops/openapi")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/apiops/openapi/ui/"));
        given().accept("text/html").get("/apiops/openapi/ui/").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/html"));
    }

    @Test
    void shouldReportReadinessWithTheDatabaseAndTheSigningKey() {
        given().get(ManagementInterface.url("/health/ready"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("signing key", "Database connections health check",
                        "Graceful Shutdown"));
        given().get(ManagementInterface.url("/health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldCountFailedLoginsByCauseWithoutUsernames() {
        double before = failures("wrong_password");
        double unknownBefore = failures("unknown_user");
        TestUsers.TestUser user = users.create();
        requestToken(user.username(), "wrong").then().statusCode(401);
        requestToken("no-such-" + user.username(), "wrong").then().statusCode(401);

        assertThat(failures("wrong_password")).isEqualTo(before + 1);
        assertThat(failures("unknown_user")).isEqualTo(unknownBefore + 1);
        String metrics = given().get(ManagementInterface.url("/metrics")).then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain(user.username())
                .contains("apiops_tokens_issued_total", "apiops_lockouts_total", "apiops_token_revocations_total",
                        "apiops_password_verification_seconds_bucket", "apiops_token_requests_seconds_bucket");
    }

    private static double failures(String cause) {
        String metrics = given().get(ManagementInterface.url("/metrics")).then().extract().asString();
        Matcher matcher = Pattern.compile("apiops_login_failures_total\\{cause=\"" + cause + "\"} ([0-9.E]+)")
                .matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}

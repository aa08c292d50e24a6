package io.apiops.error;

import static io.apiops.TestUsers.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

import io.apiops.TestUsers;

/** Every error anywhere, the framework's own included, has the API's JSON shape. */
@QuarkusTest
class ErrorMappersTest {

    /** A resource that exists only in tests, to see what an unexpected failure looks like from outside. */
    @Path("/apiops/test-only/failure")
    public static class FailingResource {

        @GET
        @PermitAll
        public String fail() {
            throw new IllegalStateException("select password_hash from app_user -- at io.apiops.Secret");
        }
    }

    @Inject
    TestUsers users;

    @Test
    void shouldHideUnexpectedFailuresBehindTheServerErrorBody() {
        given().get("/apiops/test-only/failure")
                .then()
                .statusCode(500)
                .header("Content-Type", "application/json;charset=UTF-8")
                .body(equalTo("{\"error\":\"server_error\",\"error_description\":\"An unexpected error occurred\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/apiops/nothing", "/apiops/auth/nothing/", "/nothing", "/apiops/users/x/y/z" })
    void shouldAnswerUnknownPathsWithTheJsonShape(String path) {
        String token = users.create().token();
        bearer(token).get(path)
                .then()
                .statusCode(404)
                .header("Content-Type", "application/json;charset=UTF-8")
                .body("error", equalTo("not_found"))
                .body(not(containsString("Exception")));
    }

    @Test
    void shouldAnswerAnOversizedJsonBodyWith413() {
        String token = users.create(io.apiops.user.Roles.ADMIN).token();
        bearer(token).contentType("application/json")
                .body("{\"username\":\"" + "x".repeat(70_000) + "\"}")
                .post("/apiops/users/")
                .then()
                .statusCode(413)
                .header("Content-Type", "application/json;charset=UTF-8")
                .body("error", equalTo("invalid_request"));
    }
}

package io.apiops;

import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.apiops.RawHttp.Answer;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/**
 * A generated corpus of malformed requests, sent as raw bytes over a socket so that nothing cleans them up on the
 * way: every answer is a 4xx with the JSON error shape, none is a 5xx, and the service works normally afterwards.
 */
@QuarkusTest
class HostileInputTest {

    private static final String[] INJECTIONS = { "' OR '1'='1", "admin'--", "\"; DROP TABLE app_user; --",
            "${jndi:ldap://127.0.0.1:1/a}", "<script>alert(1)</script>", "../../../../etc/passwd", "%00", "\u0000",
            "{{7*7}}", "#{7*7}", "\r\nSet-Cookie: x=y", "$argon2id$v=19$m=1,t=1,p=1$AA$AA", "null", "[]", "{}",
            "\uD83D\uDE00", "\u202Eadmin", "ａｄｍｉｎ", "admin\u200B", "%", "%%", "%ZZ", "%C3%28", "%ED%A0%80",
            "%F8%88%80%80%80", "%FF%FE", "+++", "&&&", "===", "a=b=c" };

    @TestHTTPResource
    URL base;

    @Inject
    TestUsers users;

    @Test
    void shouldAnswerEveryMalformedRequestWithAJson4xx() throws Exception {
        TestUser admin = users.create(Roles.ADMIN);
        String adminToken = admin.token();
        List<byte[]> corpus = new ArrayList<>();
        Random random = new Random(20261128L);

        // Token endpoint: form bodies with broken encodings, injections, repeats, huge values and random bytes.
        for (String injection : INJECTIONS) {
            corpus.add(tokenRequest("application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_id=" + injection + "&client_secret=" + injection));
            corpus.add(tokenRequest("application/x-www-form-urlencoded", "grant_type=" + injection));
            corpus.add(tokenRequest("application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_id=a&client_secret=b&" + injection));
        }
        for (int i = 0; i < 60; i++) {
            byte[] noise = new byte[random.nextInt(2000) + 1];
            random.nextBytes(noise);
            corpus.add(request("POST", "/apiops/auth/token",
                    List.of("Content-Type: application/x-www-form-urlencoded"), noise));
        }
        for (int i = 0; i < 20; i++) {
            String name = List.of("grant_type", "client_id", "client_secret").get(i % 3);
            corpus.add(tokenRequest("application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_id=a&client_secret=b&" + name + "=" + "x".repeat(i)));
        }
        corpus.add(tokenRequest("application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + "a".repeat(60_000) + "&client_secret=b"));
        corpus.add(tokenRequest("application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=a&client_secret=" + "b".repeat(66_000)));
        for (String type : new String[] { "", "application/json", "text/plain", "multipart/form-data",
                "application/x-www-form-urlencoded; charset=klingon", "application/x-www-form-urlencoded; charset=",
                "application/x-www-form-urlencoded;;;", "*/*", "application/x-www-form-urlencoded, text/html",
                "APPLICATION/X-WWW-FORM-URLENCODED; charset=\"utf-8\"; x=y" }) {
            corpus.add(tokenRequest(type, "grant_type=client_credentials&client_id=nobody&client_secret=x"));
        }
        // Chunked bodies, well-formed and not.
        for (int i = 0; i < 10; i++) {
            corpus.add(chunked("grant_type=client_credentials&client_id=nobody" + i + "&client_secret=x", 7 + i));
        }
        corpus.add(chunked("x".repeat(70_000), 4096));
        // Header oddities.
        for (String authorization : new String[] { "Basic", "Basic ", "Basic !!!!", "Basic " + "A".repeat(6000),
                "Basic Og==", "Basic YTo=", "Basic OmI=", "Basic JXp6OmI=", "Bearer x", "Digest x",
                "basic YTpi", "Basic YTpi, Basic YTpi" }) {
            corpus.add(request("POST", "/apiops/auth/token", List.of("Content-Type: application/x-www-form-urlencoded",
                    "Authorization: " + authorization), "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8)));
        }
        corpus.add(request("POST", "/apiops/auth/token", List.of("Content-Type: application/x-www-form-urlencoded",
                "Authorization: Basic YTpi", "Authorization: Basic YzpE"),
                "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8)));
        corpus.add(request("POST", "/apiops/auth/token", List.of("Content-Type: application/x-www-form-urlencoded",
                "Content-Length: 99999999"), new byte[0]));
        corpus.add(request("POST", "/apiops/auth/token?client_id=a&client_secret=b", List.of(
                "Content-Type: application/x-www-form-urlencoded"), "grant_type=client_credentials".getBytes()));
        for (String method : new String[] { "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO" }) {
            corpus.add(request(method, "/apiops/auth/token", List.of(), new byte[0]));
        }

        // Bearer headers that are not tokens.
        String[] bearers = { "", " ", "a", "a.b", "a.b.c", "..", "...", "x".repeat(7000), "\u00e9\u00e9",
                "eyJhbGciOiJub25lIn0..", "eyJ.eyJ.eyJ", "null", "undefined", "Bearer x", "%00" };
        for (String bearer : bearers) {
            corpus.add(request("GET", "/apiops/test/hello/x", List.of("Authorization: Bearer " + bearer), new byte[0]));
            corpus.add(request("GET", "/apiops/users/", List.of("Authorization: Bearer " + bearer), new byte[0]));
        }
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[random.nextInt(300) + 1];
            random.nextBytes(junk);
            String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
            corpus.add(request("GET", "/apiops/test/hello/x",
                    List.of("Authorization: Bearer " + encoded + "." + encoded + "." + encoded), new byte[0]));
        }

        // Administration: malformed, oversized and hostile JSON.
        String[] bodies = { "", "{", "}", "[", "nul", "{\"username\":}", "{\"username\":\"a\",}", "{'username':'a'}",
                "{\"username\":\"\\uZZZZ\"}", "{\"username\":1e999999}", "{\"enabled\":\"yes\",\"username\":\"a\"}",
                "{\"roleNameList\":\"ROLE_ADMIN\",\"username\":\"a\",\"password\":\"b\"}",
                "{\"roleNameList\":[{}],\"username\":\"a\",\"password\":\"b\"}",
                "{\"username\":\"a\",\"password\":\"b\",\"id\":1}", "[".repeat(5000) + "]".repeat(5000),
                "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "\u0000", "{\"username\":\"a\u0000b\",\"password\":\"x\"}",
                "{\"username\":\"" + "u".repeat(500) + "\",\"password\":\"x\"}",
                "{\"username\":\"a\",\"password\":\"" + "p".repeat(2000) + "\"}" };
        for (String body : bodies) {
            corpus.add(request("POST", "/apiops/users/", List.of("Content-Type: application/json",
                    "Authorization: Bearer " + adminToken), body.getBytes(StandardCharsets.UTF_8)));
            corpus.add(request("PUT", "/apiops/users/" + admin.username() + "/", List.of(
                    "Content-Type: application/json", "Authorization: Bearer " + adminToken),
                    body.getBytes(StandardCharsets.UTF_8)));
        }
        corpus.add(request("POST", "/apiops/users/", List.of("Content-Type: application/json",
                "Authorization: Bearer " + adminToken), ("{\"username\":\"" + "x".repeat(70_000) + "\"}").getBytes()));
        for (String path : new String[] { "/apiops/users/%00/", "/apiops/users/%2e%2e%2f/",
                "/apiops/audit?limit=-5", "/apiops/audit?from=%00", "/apiops/users/" + "a".repeat(2000) + "/",
                "/apiops/auth/tokens/%27%20OR%201=1", "/apiops/../../etc/passwd" }) {
            corpus.add(request("GET", path, List.of("Authorization: Bearer " + adminToken), new byte[0]));
            corpus.add(request("DELETE", path, List.of("Authorization: Bearer " + adminToken), new byte[0]));
        }

        assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
        List<String> failures = new ArrayList<>();
        for (byte[] raw : corpus) {
            Answer answer = send(raw);
            if (!answer.isJsonError()) {
                failures.add(answer.status() + " " + answer.body() + " <- "
                        + new String(raw, 0, Math.min(raw.length, 160), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(failures).as("requests not answered with a JSON 4xx").isEmpty();

        io.restassured.RestAssured.given().get("/apiops/test/healthcheck").then().statusCode(200);
        requestToken(admin.username(), admin.password()).then().statusCode(200);
    }

    /**
     * A request target that is not a valid URI (a broken percent-escape in the path, a matrix parameter or the query)
     * is refused before any route reads it: a JSON 400 with {@code invalid_request}, whatever the method, the
     * credentials or the body, and never a token.
     */
    @Test
    void shouldAnswerABrokenPercentEscapeWithAJson400() throws Exception {
        TestUser admin = users.create(Roles.ADMIN);
        String token = admin.token();
        String[] targets = { "/apiops/users/x%ZZ/", "/apiops/auth/tok%en", "/%", "/a%ZZ", "/%zz%",
                "/apiops/auth/token%", "/apiops/auth/token%G0", "/apiops/users/%", "/apiops/users/%0",
                "/apiops/users/%00%ZZ/", "/apiops/users/%C0%AF%G/", "/apiops/users/%C0%", "/apiops/test/hello/a%ZZ",
                "/apiops/console/%ZZ", "/q/health%ZZ", "/apiops/%2e%2e%ZZ/users/", "/apiops/auth/token?a=%ZZ",
                "/apiops/auth/token?grant_type=client_credentials&a=%", "/apiops/audit?from=%ZZ",
                "/apiops/auth/token;a=%ZZ", "/apiops/users;x=%ZZ/", "/apiops/auth/token;a=%" };
        for (String target : targets) {
            for (String method : new String[] { "GET", "POST", "DELETE" }) {
                assertInvalidTarget(method + " " + target, send(request(method, target, List.of(), new byte[0])));
                assertInvalidTarget(method + " " + target + " (with a token)", send(request(method, target,
                        List.of("Authorization: Bearer " + token), new byte[0])));
            }
        }
        // A valid login on a broken target gets no token.
        for (String target : new String[] { "/apiops/auth/token%ZZ", "/apiops/auth/token?a=%ZZ",
                "/apiops/auth/token;a=%ZZ", "/apiops/auth/token%" }) {
            Answer answer = send(RawHttp.form(target, "grant_type=client_credentials&client_id=" + admin.username()
                    + "&client_secret=" + admin.password()));
            assertInvalidTarget("login at " + target, answer);
            assertThat(answer.body()).as(target).doesNotContain("access_token");
        }

        // The management interface answers the same.
        URL management = new URL(ManagementInterface.url("/"));
        for (String target : new String[] { "/q/health%ZZ", "/q/health/ready?x=%", "/q/metrics;a=%G0" }) {
            assertInvalidTarget("management " + target,
                    new RawHttp(management).send(request("GET", target, List.of(), new byte[0])));
        }

        requestToken(admin.username(), admin.password()).then().statusCode(200);
    }

    /**
     * Escapes that are well-formed but hostile (a NUL, overlong UTF-8 for {@code /}, encoded dot segments) are no
     * failure of the request line: they reach the routes, which answer them with a JSON 4xx, and never let them past a
     * protected endpoint without a token. Valid escapes keep working.
     */
    @Test
    void shouldKeepHostileButValidEscapesFromProtectedEndpoints() throws Exception {
        String token = users.create(Roles.ADMIN).token();
        for (String target : new String[] { "/apiops/users/%00/", "/apiops/users/%C0%AF/", "/apiops/users/%C0%AF",
                "/apiops/users%C0%AF", "/apiops/test/hello/%00", "/apiops/test/hello/%C0%AF",
                "/apiops/test/hello/..%2F..%2Fusers%2F", "/apiops/test/%2e%2e/users/", "/apiops/auth/%2e%2e/users/",
                "/apiops/auth/..;/users/", "/apiops/test/healthcheck/%2e%2e/%2e%2e/users/", "/apiops/users/%2e%2e%2f",
                "/apiops/%2575sers/", "/apiops/users/?x=%00" }) {
            Answer answer = send(request("GET", target, List.of(), new byte[0]));
            assertThat(answer.isJsonError()).as(target + ": " + answer.status() + " " + answer.body()).isTrue();
            assertThat(answer.status()).as(target).isIn(400, 401, 404);
            assertNoStackTrace(target, answer);
        }
        Answer hello = send(request("GET", "/apiops/test/hello/a%20b", List.of("Authorization: Bearer " + token),
                new byte[0]));
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello a b");
    }

    private static void assertInvalidTarget(String what, Answer answer) {
        assertThat(answer.status()).as(what).isEqualTo(400);
        assertThat(answer.isJsonError()).as(what + ": " + answer.body()).isTrue();
        assertThat(answer.body()).as(what).contains("\"error\":\"invalid_request\"");
        assertThat(answer.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertNoStackTrace(what, answer);
    }

    private static void assertNoStackTrace(String what, Answer answer) {
        assertThat(answer.body()).as(what).doesNotContain("Exception", "\tat ", "java.", "io.vertx", "io.quarkus");
    }

    private byte[] tokenRequest(String contentType, String body) {
        List<String> headers = contentType.isEmpty() ? List.of() : List.of("Content-Type: " + contentType);
        return request("POST", "/apiops/auth/token", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] request(String method, String path, List<String> headers, byte[] body) {
        return RawHttp.request(method, path, headers, body);
    }

    private static byte[] chunked(String body, int chunkSize) {
        return RawHttp.chunked("/apiops/auth/token", "application/x-www-form-urlencoded", body, chunkSize);
    }

    private Answer send(byte[] raw) throws IOException {
        return new RawHttp(base).send(raw);
    }
}

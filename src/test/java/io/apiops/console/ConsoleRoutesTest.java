package io.apiops.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.apiops.DefaultRoles;
import io.apiops.user.Roles;

@QuarkusTest
class ConsoleRoutesTest {

    private static final Path FILES = Path.of("src/main/resources/META-INF/resources/apiops/console");

    @ParameterizedTest
    @ValueSource(strings = { "/apiops/console/", "/apiops/console/index.html", "/apiops/console/console.css",
            "/apiops/console/js/main.js", "/apiops/console/icon.svg", "/apiops//console/", "/apiops/./console/",
            "/apiops/x/../console/", "/apiops/%63onsole/", "/apiops/console/%69ndex.html", "//apiops/console/",
            "/apiops/console/js/../index.html", "/apiops/console", "/apiops//console", "/apiops/console;a=b/",
            "/apiops;a=b/console/", "/apiops/CONSOLE/", "/apiops/console/nothing-here", "/apiops/console/roles.json", "/apiops/Console/js/main.js",
            "/apiops;/console/", "/apiops/console/;x/index.html", "/apiops/console/?x=1", "/apiops/console/?a=;//" })
    void shouldSendTheSecurityHeadersOnEverySpellingOfTheConsolePath(String path) {
        Response response = given().urlEncodingEnabled(false).redirects().follow(false).get(path);
        assertThat(response.statusCode()).as(path).isIn(200, 302, 404);
        assertThat(response.header("Content-Security-Policy")).as(path).isEqualTo(ConsoleRoutes.CONTENT_SECURITY_POLICY);
        assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("DENY");
        assertThat(response.header("Cache-Control")).as(path).isEqualTo("no-store");
        assertThat(response.headers().getValues("Set-Cookie")).as(path).isEmpty();
    }

    @Test
    void shouldServeThePageAtEverySpellingThatReachesIt() {
        for (String path : List.of("/apiops/console/", "/apiops//console/", "/apiops/%63onsole/",
                "/apiops/x/../console/", "/apiops/console/index.html")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(200)
                    .contentType(startsWith("text/html"))
                    .header("Content-Security-Policy", equalTo(ConsoleRoutes.CONTENT_SECURITY_POLICY));
        }
    }

    @Test
    void shouldHaveAPolicyWithoutLoopholes() {
        String policy = ConsoleRoutes.CONTENT_SECURITY_POLICY;
        assertThat(policy).startsWith("default-src 'self';").contains("frame-ancestors 'none'")
                .contains("script-src 'self'").contains("style-src 'self'").contains("object-src 'none'")
                .contains("form-action 'none'").contains("base-uri 'none'")
                .doesNotContain("unsafe").doesNotContain("*").doesNotContain("data:").doesNotContain("http");
    }

    @Test
    void shouldRedirectTheBarePathToTheConsole() {
        given().redirects().follow(false).get("/apiops/console").then().statusCode(302)
                .header("Location", "console/");
        given().redirects().follow(false).get("/apiops/console?x=1").then().statusCode(302);
    }

    @Test
    void shouldLeaveOtherPathsAlone() {
        given().get("/apiops/test/healthcheck").then().statusCode(200)
                .header("Content-Security-Policy", (String) null);
        given().get("/apiops/consoles/").then().statusCode(404)
                .header("Content-Security-Policy", (String) null);
    }

    @Test
    void shouldTellTheConsoleTheRoleCatalogue() {
        given().get("/apiops/console/roles.json").then().statusCode(200)
                .contentType("application/json;charset=UTF-8")
                .body("roles", equalTo(DefaultRoles.ALL))
                .body("roles", hasItem(Roles.ADMIN));
    }

    @Test
    void shouldRecogniseTheConsoleInAnySpelling() {
        assertThat(ConsoleRoutes.isConsole("/apiops/console")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops/console/js/main.js")).isTrue();
        assertThat(ConsoleRoutes.isConsole("//apiops///console/")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops;v=1/console;x/")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/APIOPS/Console/")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops//console")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops/console;jsessionid=1")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops;/console")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops/;x/console/")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/ApiOps/CONSOLE")).isTrue();
        assertThat(ConsoleRoutes.isConsole("/apiops/consoles")).isFalse();
        assertThat(ConsoleRoutes.isConsole("/apiops/consoles;x")).isFalse();
        assertThat(ConsoleRoutes.isConsole("/apiops/con;x/sole")).isFalse();
        assertThat(ConsoleRoutes.isConsole("/apiops/console-x")).isFalse();
        assertThat(ConsoleRoutes.isConsole("/x/apiops/console")).isFalse();
        assertThat(ConsoleRoutes.isConsole("/apiops/users/")).isFalse();
        assertThat(ConsoleRoutes.isConsole("/")).isFalse();
    }

    /** The policy forbids inline script and style; the files must not need them, nor anything from elsewhere. */
    @Test
    void shouldShipFilesThatNeedNothingInlineAndNothingFromElsewhere() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(FILES)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(path -> path.getFileName().toString())
                .contains("index.html", "console.css", "main.js");
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String name = file.toString();
            assertThat(text).as(name).doesNotContainPattern("(?i)https?://(?!www\\.w3\\.org/2000/svg)")
                    .doesNotContain("//cdn").doesNotContain("@import");
            if (name.endsWith(".html") || name.endsWith(".svg")) {
                assertThat(inlineScript.matcher(text).find()).as(name + ": inline script").isFalse();
                assertThat(handler.matcher(text).find()).as(name + ": inline event handler").isFalse();
                assertThat(text).as(name).doesNotContainPattern("(?i)<style|\\sstyle=");
            }
            if (name.endsWith(".js")) {
                // markup from strings and style attributes would need 'unsafe-inline'; web storage is not used
                assertThat(text).as(name).doesNotContain("innerHTML").doesNotContain("outerHTML")
                        .doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
                        .doesNotContain("eval(").doesNotContain("new Function")
                        .doesNotContain("setAttribute('style'").doesNotContain("localStorage")
                        .doesNotContain("sessionStorage").doesNotContain("indexedDB").doesNotContain("document.cookie");
            }
        }
    }
}

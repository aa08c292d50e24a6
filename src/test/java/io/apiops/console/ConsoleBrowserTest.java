package io.apiops.console;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.apiops.DefaultRoles;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;
import io.apiops.user.UserService;
import io.apiops.user.UserViews.CreateUser;

/** The console in a real headless Chromium, against the running service and its database. */
@QuarkusTest
class ConsoleBrowserTest {

    @TestHTTPResource("/apiops/console/")
    URI console;

    @Inject
    TestUsers users;

    @Inject
    UserService accounts;

    private Browser browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void shouldCreateCopyUseAndRevokeATokenWithNothingStoredInTheBrowser() {
        TestUser user = person("ada", "Ada Lovelace", DefaultRoles.MANAGE_PROXIES, DefaultRoles.DEPLOY_UNDEPLOY_PROXIES);
        browser = Browser.open(1280, 900);
        browser.get(console);
        assertAccessible("the sign-in page");
        browser.screenshot("sign-in");
        signIn(user);

        assertThat(browser.storedState()).as("cookies, web storage, IndexedDB and caches after sign-in")
                .containsEntry("cookie", "")
                .containsEntry("cookies", 0)
                .containsEntry("localStorage", 0L)
                .containsEntry("sessionStorage", 0L)
                .containsEntry("indexedDB", 0L)
                .containsEntry("caches", 0L);
        assertThat(browser.byName("section", "Personal API Access Tokens").isDisplayed()).isTrue();
        browser.waitForText("this sign-in");
        assertAccessible("My Profile");

        browser.type("Token Name", "CI deploy job");
        browser.choose("Expiration", "Never Expires");
        browser.button("Create API Token").click();
        // A token that outlives this sign-in needs the password again; the console asks for it in place.
        browser.waitForText("This token would outlive your sign-in");
        browser.type("Current password", user.password());
        browser.button("Create API Token").click();
        WebElement value = browser.field("New token value");
        browser.waitUntil("the new token is shown", () -> !value.getDomProperty("value").isEmpty());
        String token = value.getDomProperty("value");
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(token);

        browser.allowClipboard(console);
        browser.button("Copy").click();
        browser.waitForText("Copied to the clipboard.");
        String copied = browser.clipboard();
        assertThat(copied).isEqualTo(token);
        bearer(copied).get("/apiops/test/hello/console").then().statusCode(200).body(equalTo("Hello console"));

        WebElement row = browser.row("CI deploy job");
        assertThat(row.getText()).contains("Never").contains("Active");
        browser.waitUntil("the new token is in the list", () -> browser.row("CI deploy job").isDisplayed());
        assertAccessible("My Profile with a new token");
        browser.fullScreenshot("personal-tokens");

        assertThat(browser.storedState()).containsEntry("localStorage", 0L).containsEntry("sessionStorage", 0L)
                .containsEntry("cookies", 0);

        browser.clickInRow("CI deploy job", "Revoke");
        browser.waitForText("Token “CI deploy job” revoked.");
        bearer(copied).get("/apiops/test/hello/console").then().statusCode(401);
        assertThat(browser.driver.findElements(By.xpath("//tbody//th[starts-with(normalize-space(),'CI deploy job')]")))
                .as("a revoked token leaves the default list").isEmpty();
    }

    @Test
    void shouldSignOutByRevokingTheConsolesToken() {
        TestUser user = users.create();
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(user);
        String admin = users.create(Roles.ADMIN).token();
        assertThat(activeSignIns(admin, user)).isEqualTo(1);

        browser.button("Sign out").click();
        browser.waitForText("You have signed out.");
        assertThat(browser.field("Username").isDisplayed()).isTrue();
        assertThat(activeSignIns(admin, user)).as("the console's token is revoked at sign-out").isZero();
        assertThat(browser.has("button", "Sign out")).isFalse();
    }

    @Test
    void shouldBringBackTheSignInWhenTheTokenStopsWorking() {
        TestUser user = users.create();
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(user);
        String admin = users.create(Roles.ADMIN).token();
        // locking the account revokes every token of the user, the console's included
        bearer(admin).post("/apiops/users/" + user.username() + "/lock/").then().statusCode(200);

        browser.link("Change password").click();
        browser.link("My Profile").click();
        browser.waitForText("Your sign-in is no longer valid (it expired or was revoked). Sign in again to go on.");
        assertThat(browser.field("Username").isDisplayed()).isTrue();
        assertThat(browser.field("Password").isDisplayed()).isTrue();
    }

    @Test
    void shouldRefuseABadSignInInWords() {
        TestUser user = users.create();
        browser = Browser.open(1280, 900);
        browser.get(console);
        browser.type("Username", user.username());
        browser.type("Password", "not-the-password");
        browser.button("Sign in").click();
        browser.waitForText("The username or password is not correct, or the account is disabled or locked.");
        assertThat(browser.field("Password").getDomProperty("value")).as("a refused password is cleared").isEmpty();
        assertAccessible("the sign-in page with an error");

        // the checker does find what it looks for: a control without a name
        browser.script("document.querySelector('form').append(document.createElement('input'))");
        assertThat(browser.accessibilityViolations()).contains("\"id\":\"label\"");
    }

    @Test
    void shouldShowEachErrorNextToTheControlThatCausedIt() {
        TestUser user = users.create();
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(user);

        browser.button("Create API Token").click();
        WebElement name = browser.field("Token Name");
        assertThat(name.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(description(name)).contains("Token Name is required.");

        // a name the API refuses (over 100 characters, typed past the field's own limit by script)
        browser.script("arguments[0].removeAttribute('maxlength')", name);
        name.sendKeys("x".repeat(101));
        browser.button("Create API Token").click();
        browser.waitUntil("the API's refusal is shown under the name",
                () -> description(browser.field("Token Name")).contains("Token Name size must be between"));
        assertAccessible("the token form with errors");
    }

    @Test
    void shouldLetAnAdministratorCreateAndDisableAUserAndFindItInTheAudit() {
        TestUser admin = person("grace", "Grace Hopper", Roles.ADMIN);
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(admin);

        browser.link("Users").click();
        browser.waitForText("Create a user");
        String username = "linus-" + UUID.randomUUID().toString().substring(0, 6);
        String password = "pw-" + UUID.randomUUID();
        browser.type("Username", username);
        browser.type("Password", password);
        browser.type("Full name", "Linus Deployer");
        browser.type("Email", username + "@example.com");
        browser.byName("input[type=checkbox]", DefaultRoles.DEPLOY_UNDEPLOY_PROXIES).click();
        browser.button("Create user").click();
        browser.waitForText("User “" + username + "” created.");
        WebElement row = browser.row(username);
        assertThat(row.getText()).contains("Linus Deployer").contains(DefaultRoles.DEPLOY_UNDEPLOY_PROXIES).contains("Active");
        requestToken(username, password).then().statusCode(200);

        browser.clickInRow(username, "Disable");
        browser.waitForText("User “" + username + "” disabled.");
        assertThat(browser.row(username).getText()).contains("Disabled");
        bearer(admin.token()).get("/apiops/users/" + username + "/").then().statusCode(200)
                .body("enabled", equalTo(false));
        requestToken(username, password).then().statusCode(401);

        // the same name again is refused next to the username
        browser.type("Username", username);
        browser.type("Password", password);
        browser.button("Create user").click();
        browser.waitUntil("the duplicate is explained under the username",
                () -> description(browser.field("Username")).contains("This username is taken."));
        assertAccessible("Users");
        browser.fullScreenshot("users");

        browser.clickInRow(username, "Manage");
        browser.waitForText("Manage " + username);
        assertAccessible("the user panel");

        browser.link("Audit").click();
        browser.type("User", username);
        browser.button("Show events").click();
        browser.waitForText("User disabled");
        String audit = browser.driver.findElement(By.cssSelector("table tbody")).getText();
        assertThat(audit).contains("User created").contains("User disabled").contains(admin.username());
        assertAccessible("Audit");
        browser.fullScreenshot("audit");
    }

    @Test
    void shouldLetAnAdministratorSeeAndRevokeAnotherUsersTokens() {
        TestUser admin = users.create(Roles.ADMIN);
        TestUser owner = users.create();
        String token = owner.token();
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(admin);

        browser.link("Tokens").click();
        browser.type("Owner", owner.username());
        browser.field("Owner").sendKeys(Keys.ENTER);
        assertThat(browser.rowShowing("token endpoint", owner.username(), "Active")).contains(owner.username())
                .contains("Active");
        assertAccessible("Tokens");
        browser.clickInRow("token endpoint", "Revoke");
        browser.waitForText("Token “token endpoint” revoked.");
        bearer(token).get("/apiops/test/hello/x").then().statusCode(401);
    }

    @Test
    void shouldChangeTheOwnPasswordWithThePolicysMessagesAndStaySignedIn() {
        TestUser user = users.create();
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(user);
        browser.link("Change password").click();

        String next = "pw-" + UUID.randomUUID();
        browser.type("Current password", "wrong-" + user.password());
        browser.type("New password", next);
        browser.type("Repeat the new password", next + "x");
        browser.button("Change password").click();
        browser.waitUntil("a mismatch is shown under the repetition",
                () -> description(browser.field("Repeat the new password")).contains("are not the same"));

        browser.type("Repeat the new password", next);
        browser.button("Change password").click();
        browser.waitUntil("a wrong current password is shown under it",
                () -> description(browser.field("Current password")).contains("The current password is not correct."));
        assertAccessible("Change password with errors");

        browser.type("Current password", user.password());
        browser.type("New password", next);
        browser.type("Repeat the new password", next);
        browser.button("Change password").click();
        browser.waitForText("Your password has been changed");
        requestToken(user.username(), user.password()).then().statusCode(401);
        requestToken(user.username(), next).then().statusCode(200);

        // still signed in, with a token from the new password
        browser.link("My Profile").click();
        browser.waitForText("this sign-in");
    }

    @Test
    void shouldBeReadableOnAPhone() {
        TestUser user = person("joan", "Joan Clarke", DefaultRoles.API_SECURITY);
        bearer(user.token()).contentType("application/json")
                .body(Map.of("name", "nightly backup", "expireDate", "2099-01-01T00:00:00Z", "currentPassword",
                        user.password()))
                .post("/apiops/auth/tokens/").then().statusCode(201);
        browser = Browser.open(390, 844);
        browser.get(console);
        signIn(user);
        browser.row("nightly backup");
        long overflow = (Long) browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
        assertAccessible("My Profile on a phone");
        browser.fullScreenshot("phone");
    }

    @Test
    void shouldWorkFromTheKeyboardAlone() {
        TestUser user = users.create();
        browser = Browser.open(1280, 900);
        browser.get(console);
        WebElement username = browser.field("Username");
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(username);
        username.sendKeys(user.username(), Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys(user.password(), Keys.ENTER);
        browser.byName("section", "Personal API Access Tokens");
        browser.field("Token Name").sendKeys("typed", Keys.ENTER);
        // The default expiry outlives the sign-in: the password field that appears takes the focus.
        browser.waitForText("This token would outlive your sign-in");
        browser.driver.switchTo().activeElement().sendKeys(user.password(), Keys.ENTER);
        browser.waitUntil("Enter in the form creates the token",
                () -> !browser.field("New token value").getDomProperty("value").isEmpty());
        WebElement focused = browser.driver.switchTo().activeElement();
        String outline = (String) browser.script("return getComputedStyle(arguments[0]).outlineStyle", focused);
        assertThat(outline).as("the focused element shows where the focus is").isNotEqualTo("none");
    }

    /**
     * Rotation (section 10) is offered where the service documents it; until then the console shows no Rotate
     * control. Either way this test checks what the console does.
     */
    @Test
    void shouldRotateATokenWhereTheServiceOffersRotation() {
        boolean offered = given().get("/apiops/openapi.json").then().statusCode(200).extract()
                .jsonPath().getMap("paths").keySet().stream()
                .anyMatch(path -> String.valueOf(path).matches("/apiops/auth/tokens/\\{[^}]+}/rotate/?"));
        TestUser user = users.create();
        String old = createToken(user, "rotating");
        browser = Browser.open(1280, 900);
        browser.get(console);
        signIn(user);
        WebElement row = browser.row("rotating");
        if (!offered) {
            assertThat(row.findElements(By.xpath(".//button[normalize-space()='Rotate']")))
                    .as("no Rotate control where the service cannot rotate").isEmpty();
            Assumptions.abort("the service does not offer rotation yet");
        }
        row.findElement(By.xpath(".//button[normalize-space()='Rotate']")).click();
        // The rotated token keeps an expiry beyond this sign-in: the password is asked for next to the control.
        browser.waitForText("Confirm your password to go on.");
        browser.driver.switchTo().activeElement().sendKeys(user.password(), Keys.ENTER);
        browser.waitForText("Token “rotating” rotated");
        String rotated = browser.field("New token value").getDomProperty("value");
        assertThat(rotated).isNotEqualTo(old);
        bearer(rotated).get("/apiops/test/hello/x").then().statusCode(200);
        bearer(old).get("/apiops/test/hello/x").then().statusCode(401);
    }

    private void signIn(TestUser user) {
        browser.type("Username", user.username());
        browser.type("Password", user.password());
        browser.button("Sign in").click();
        browser.button("Sign out");
    }

    private String description(WebElement control) {
        return (String) browser.script("return (arguments[0].getAttribute('aria-describedby') || '').split(' ')"
                + ".map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' ')",
                control);
    }

    private void assertAccessible(String page) {
        assertThat(browser.accessibilityViolations()).as("axe-core violations on " + page).isEqualTo("[]");
    }

    /** A user with a readable name, for the screenshots. */
    private TestUser person(String name, String fullName, String... roles) {
        String username = name + "-" + UUID.randomUUID().toString().substring(0, 4);
        String password = "pw-" + UUID.randomUUID();
        accounts.create(new CreateUser(username, password, fullName, name + "@example.com", List.of(roles), true));
        return new TestUser(username, password);
    }

    private static String createToken(TestUser user, String name) {
        return bearer(user.token()).contentType("application/json")
                .body(Map.of("name", name, "expireDate", "2099-01-01T00:00:00Z", "currentPassword", user.password()))
                .post("/apiops/auth/tokens/").then().statusCode(201).extract().path("access_token");
    }

    private static long activeSignIns(String admin, TestUser user) {
        List<Map<String, Object>> tokens = bearer(admin).get("/apiops/users/" + user.username() + "/tokens/")
                .then().statusCode(200).extract().jsonPath().getList("resultList");
        return tokens.stream().filter(t -> "token endpoint".equals(t.get("name")) && !(Boolean) t.get("revoked"))
                .count();
    }
}

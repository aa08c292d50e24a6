package io.apiops;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.apiops.user.UserService;
import io.apiops.user.UserViews.CreateUser;

/** Creates uniquely named users for a test, and talks to the token endpoint as a client would. */
@ApplicationScoped
public class TestUsers {

    public static final String FORM = "application/x-www-form-urlencoded";

    static {
        // Send exactly the Content-Type a test names; REST Assured would otherwise append a charset.
        RestAssured.config = RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));
    }

    private final UserService users;
    private final EntityManager entityManager;

    public TestUsers(UserService users, EntityManager entityManager) {
        this.users = users;
        this.entityManager = entityManager;
    }

    public record TestUser(String username, String password) {

        public String token() {
            return tokenFor(username, password);
        }
    }

    public TestUser create(String... roles) {
        return create(true, roles);
    }

    public TestUser create(boolean enabled, String... roles) {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 13);
        String password = strongPassword();
        users.create(new CreateUser(username, password, "Test User", username + "@example.com", List.of(roles),
                enabled));
        return new TestUser(username, password);
    }

    /**
     * Locks the account as failed logins would (its tokens keep working), for an hour, so that a test does not race
     * the lockout's end.
     */
    public void lockOut(TestUser user) {
        int locked = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "update app_user set locked_at = now(), locked_until = now() + interval '1 hour' where username = ?1")
                .setParameter(1, user.username()).executeUpdate());
        if (locked != 1) {
            throw new IllegalStateException("No such user to lock out: " + user.username());
        }
    }

    /** A password that meets the password policy: random, long, and like no username. */
    public static String strongPassword() {
        return "Pw-" + UUID.randomUUID();
    }

    /** A token request with the credentials as form fields. */
    public static Response requestToken(String clientId, String clientSecret) {
        return form().formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId)
                .formParam("client_secret", clientSecret)
                .post("/apiops/auth/token");
    }

    /** Sends {@code clients} requests at once, each from its own thread, and answers their responses in order. */
    public static List<Response> atOnce(int clients, IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                futures.add(pool.submit(() -> request.apply(client)));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    public static RequestSpecification form() {
        return given().contentType(FORM + "; charset=UTF-8");
    }

    public static String tokenFor(String username, String password) {
        return requestToken(username, password).then().statusCode(200).extract().path("access_token");
    }

    public static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A string claim of a JWT, read without verifying it. */
    public static String claim(String token, String name) {
        return field(token.split("\\.")[1], name);
    }

    /** A string field of a JWT's header, read without verifying it. */
    public static String header(String token, String name) {
        return field(token.split("\\.")[0], name);
    }

    private static String field(String part, String name) {
        String json = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }
}

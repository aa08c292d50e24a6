package io.apiops.login;

import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.apiops.ManagementInterface;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * Far more logins at once than the service admits (hashing turns plus the queue, 130 here): the extra ones are told
 * to retry at once, the admitted ones succeed.
 */
@QuarkusTest
class OverloadTest {

    @Inject
    TestUsers users;

    @TestHTTPResource
    URL base;

    @Test
    void shouldAnswerWhatItCannotHashWith503AndServeTheRest() throws Exception {
        TestUser user = users.create();
        List<Response> answers = TestUsers.atOnce(250, client -> requestToken(user.username(), user.password()));

        assertThat(answers).extracting(Response::statusCode).containsOnly(200, 503).contains(200, 503);
        for (Response answer : answers) {
            if (answer.statusCode() == 503) {
                assertThat(answer.header("Retry-After")).isEqualTo("1");
                assertThat(answer.header("Content-Type")).isEqualTo("application/json;charset=UTF-8");
                assertThat(answer.asString()).isEqualTo(
                        "{\"error\":\"temporarily_unavailable\",\"error_description\":\"The service is busy; retry shortly\"}");
            } else {
                assertThat(answer.<String> path("token_type")).isEqualTo("Bearer");
            }
        }
    }

    /**
     * A queued login is an entry in the login turns' queue, not a request thread waiting for a turn: while far more
     * logins are in progress than can run, no more threads wait in the service's own code than there are login turns
     * (which wait for a hashing turn or a connection). Before, every queued login parked a worker thread, over a
     * hundred of them, each with its stack.
     */
    @Test
    void shouldHoldNoThreadForAQueuedLogin() throws Exception {
        TestUser user = users.create();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger mostWaiting = new AtomicInteger();
        AtomicInteger mostInService = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                mostWaiting.accumulateAndGet(threadsInTheService(true), Math::max);
                mostInService.accumulateAndGet(threadsInTheService(false), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        List<Response> answers;
        try {
            answers = TestUsers.atOnce(200, client -> requestToken(user.username(), user.password()));
        } finally {
            flooding.set(false);
            sampler.join();
        }

        assertThat(answers).extracting(Response::statusCode).containsOnly(200, 503).contains(200);
        // The sampler sees the service's threads at all: logins were hashing while it looked.
        assertThat(mostInService.get()).as("threads in the service's code at once").isPositive();
        // With one login turn per hashing turn the turns seldom wait at all; none of the queued logins has a thread.
        assertThat(mostWaiting.get()).as("threads waiting in the service's code at once")
                .isLessThanOrEqualTo(2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * Threads in the service's own code (its main classes, not this test's), or with {@code parked} only those parked
     * there (waiting, with or without a timeout).
     */
    private static int threadsInTheService(boolean parked) {
        int found = 0;
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            Thread.State state = thread.getKey().getState();
            boolean waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
            if ((waiting || !parked) && Arrays.stream(thread.getValue()).anyMatch(OverloadTest::isServiceCode)) {
                found++;
            }
        }
        return found;
    }

    private static boolean isServiceCode(StackTraceElement frame) {
        String type = frame.getClassName();
        return (type.startsWith("io.apiops.password.") || type.startsWith("io.apiops.user.")
                || type.startsWith("io.apiops.token.")) && !type.contains("Test");
    }

    /**
     * Clients that send a login and hang up at once, as a client whose timeout ran out does: whoever is still queued
     * when the client has gone gets no hash, so a backlog of abandoned requests does not hold up the next logins.
     */
    @Test
    void shouldNotHashForClientsThatHungUp() throws Exception {
        int clients = 40;
        double abandonedBefore = metric("apiops_password_abandoned_total");
        double hashedBefore = metric("apiops_password_verification_seconds_count");
        byte[] body = "grant_type=client_credentials&client_id=gone-before-its-turn&client_secret=whatever"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = ("POST /apiops/auth/token HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < clients; i++) {
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            }
        }

        // Some are dropped before their body is read; the rest are abandoned, or hashed if they got a turn before the
        // hang-up was seen. Wait until that settles: some handled, and no change over a second.
        double[] handled = { -1 };
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            double now = metric("apiops_password_abandoned_total")
                    + metric("apiops_password_verification_seconds_count");
            boolean settled = now == handled[0] && now > abandonedBefore + hashedBefore;
            handled[0] = now;
            return settled;
        });
        double abandoned = metric("apiops_password_abandoned_total") - abandonedBefore;
        double hashed = metric("apiops_password_verification_seconds_count") - hashedBefore;
        assertThat(abandoned).as("requests whose client had gone when their turn came").isPositive();
        assertThat(hashed).as("hashes spent on clients that had hung up (%s abandoned)", abandoned)
                .isLessThanOrEqualTo(clients / 4.0);
        requestToken("gone-before-its-turn", "whatever").then().statusCode(401);
    }

    private static double metric(String name) {
        String metrics = given().get(ManagementInterface.url("/metrics")).then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E]+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}

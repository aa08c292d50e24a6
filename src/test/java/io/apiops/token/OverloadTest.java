package io.apiops.token;

import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

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

    @Test
    void shouldAnswerWhatItCannotHashWith503AndServeTheRest() throws Exception {
        TestUser user = users.create();
        int clients = 250;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Response> answers = new ArrayList<>();
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> requestToken(user.username(), user.password())));
            }
            for (Future<Response> future : futures) {
                answers.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

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
}

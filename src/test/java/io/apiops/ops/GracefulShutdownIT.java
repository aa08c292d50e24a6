package io.apiops.ops;

import static io.apiops.ops.PackagedService.HTTP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A rolling update as one pod lives it: load on a packaged instance, SIGTERM, and a balancer that stops sending once
 * it has seen the instance not ready. No request may fail or be cut off, readiness must go DOWN at once while the API
 * keeps answering for the shutdown delay, and the process must be gone within 15 s.
 */
class GracefulShutdownIT {

    /** {@code quarkus.shutdown.delay} as application.properties sets it. */
    private static final Duration DELAY = Duration.ofSeconds(5);
    /** When the balancer of this test stops sending: a readiness probe every 2 s, failing twice. */
    private static final Duration BALANCER_STOPS = DELAY.minusSeconds(1);
    private static final String PASSWORD = "Draining-Password-4-Basalt";
    private static final int CLIENTS = 6;
    private static final int LAST_LOGINS = 10;

    @Test
    void shouldGoNotReadyKeepServingFinishEveryAcceptedRequestAndExitWithin15Seconds() throws Exception {
        String database = PackagedService.createDatabase("apiops_shutdown_it");
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean sending = new AtomicBoolean(true);
        PackagedService service = null;
        try {
            service = PackagedService.start("shutdown", "jdbc:postgresql://127.0.0.1:5432/" + database,
                    PackagedService.Keys.generate(), PackagedService.settings("APIOPS_RATE_LIMIT_ENABLED", "false"));
            PackagedService instance = service;
            String admin = instance.token(PackagedService.ADMIN, PackagedService.ADMIN_PASSWORD);
            instance.createUser(admin, "draining", PASSWORD);
            String bearer = instance.token("draining", PASSWORD);

            Outcomes outcomes = new Outcomes();
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    for (int n = 0; sending.get(); n++) {
                        // one login in four, the rest bearer calls
                        outcomes.record(n % 4 == 0 ? instance.tokenRequest("draining", PASSWORD)
                                : instance.helloRequest(bearer));
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.answered.get() >= 100);

            long signalled = System.nanoTime();
            instance.terminate();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> instance.readiness() == 503);
            Duration notReady = since(signalled);
            long answeredWhenNotReady = outcomes.answered.get();

            // The balancer still sends until it has seen two failed probes; readiness stays DOWN all along.
            while (since(signalled).compareTo(BALANCER_STOPS) < 0) {
                assertThat(instance.readiness()).isEqualTo(503);
                Thread.sleep(100);
            }
            sending.set(false);
            long servedWhileNotReady = outcomes.answered.get() - answeredWhenNotReady;

            // A login whose body is still arriving when the delay ends: accepted, and in flight when the drain starts
            // however fast the machine; then a few ordinary ones, which queue for the hashing turns.
            Thread.sleep(Math.max(0, DELAY.minus(since(signalled)).minusMillis(500).toMillis()));
            CompletableFuture<String> slowLogin = CompletableFuture.supplyAsync(
                    () -> slowLogin(instance, Duration.ofMillis(1500)));
            Thread.sleep(300);
            List<CompletableFuture<HttpResponse<String>>> lastLogins = new ArrayList<>();
            for (int i = 0; i < LAST_LOGINS; i++) {
                lastLogins.add(HTTP.sendAsync(instance.tokenRequest("draining", PASSWORD),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> login : lastLogins) {
                outcomes.record(login, 200);
            }
            assertThat(slowLogin.get(15, TimeUnit.SECONDS)).as("the login still arriving at the drain")
                    .startsWith("HTTP/1.1 200");
            clients.shutdown();
            assertThat(clients.awaitTermination(15, TimeUnit.SECONDS)).isTrue();

            assertThat(instance.awaitExit(Duration.ofSeconds(15).minus(since(signalled))))
                    .as("exited within 15 s of SIGTERM").isTrue();
            Duration exited = since(signalled);
            System.out.printf("graceful shutdown: not ready after %d ms; %d answers while not ready; %d requests in "
                    + "all, %d failed; exited %d ms after SIGTERM%n", notReady.toMillis(), servedWhileNotReady,
                    outcomes.answered.get(), outcomes.failures.size(), exited.toMillis());

            assertThat(outcomes.failures).as("failed or cut-off requests").isEmpty();
            assertThat(servedWhileNotReady).as("answers while not ready, during the delay").isPositive();
            assertThat(exited).isGreaterThanOrEqualTo(DELAY);
            assertThat(instance.logText()).as("a request was still running when the drain began")
                    .contains("Waiting for HTTP requests to complete");
        } finally {
            sending.set(false);
            clients.shutdownNow();
            if (service != null) {
                service.close();
            }
            PackagedService.dropDatabase(database);
        }
    }

    /** A login sent in two halves, {@code pause} apart; returns the status line of its answer. */
    private static String slowLogin(PackagedService instance, Duration pause) {
        URI api = URI.create(instance.api);
        byte[] body = ("grant_type=client_credentials&client_id=draining&client_secret=" + PASSWORD)
                .getBytes(StandardCharsets.US_ASCII);
        String head = "POST /apiops/auth/token HTTP/1.1\r\nHost: " + api.getHost() + "\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            Thread.sleep(pause.toMillis());
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        } catch (IOException e) {
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    /** Every answer a client got, and every request that did not get the answer it should have. */
    private static final class Outcomes {

        final AtomicLong answered = new AtomicLong();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        void record(HttpRequest request) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                check(request.uri().getPath(), response, 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failures.add(request.uri().getPath() + ": " + e);
            }
        }

        void record(CompletableFuture<HttpResponse<String>> pending, int expected) {
            try {
                check("last login", pending.get(15, TimeUnit.SECONDS), expected);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failures.add("last login: " + e);
            }
        }

        private void check(String what, HttpResponse<String> response, int expected) {
            answered.incrementAndGet();
            if (response.statusCode() != expected) {
                failures.add(what + ": " + response.statusCode() + " " + response.body());
            }
        }
    }
}

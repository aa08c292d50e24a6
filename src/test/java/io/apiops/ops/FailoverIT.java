package io.apiops.ops;

import static io.apiops.ops.PackagedService.HTTP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * A database failover under two packaged instances: their JDBC URL names a primary and a standby of our own
 * ({@link PostgresPair}); the primary dies, the standby is promoted, and token and bearer traffic runs throughout.
 */
class FailoverIT {

    private static final String DATABASE = "apiops";
    private static final String PASSWORD = "Failover-Password-9-Granite";
    private static final Duration RESYNC = Duration.ofSeconds(2);

    @Test
    void shouldServeThroughAFailoverAndKeepEveryRevocation() throws Exception {
        ExecutorService load = Executors.newFixedThreadPool(4);
        AtomicBoolean sending = new AtomicBoolean(true);
        List<PackagedService> instances = new ArrayList<>();
        PostgresPair postgres = PostgresPair.start(DATABASE);
        try {
            PackagedService.Keys keys = PackagedService.Keys.generate();
            var settings = PackagedService.settings("APIOPS_RATE_LIMIT_ENABLED", "false",
                    "APIOPS_REVOCATION_RESYNC_INTERVAL", "PT" + RESYNC.toSeconds() + "S");
            PackagedService first = PackagedService.start("failover", postgres.jdbcUrl(DATABASE), keys, settings);
            instances.add(first);
            PackagedService second = PackagedService.start("failover", postgres.jdbcUrl(DATABASE), keys, settings);
            instances.add(second);
            String admin = first.token(PackagedService.ADMIN, PackagedService.ADMIN_PASSWORD);
            first.createUser(admin, "through-failover", PASSWORD);
            String kept = first.token("through-failover", PASSWORD);
            String revokedBefore = second.token("through-failover", PASSWORD);
            String revokedAfterOnFirst = first.token("through-failover", PASSWORD);
            String revokedAfterOnSecond = second.token("through-failover", PASSWORD);

            assertThat(first.revoke(admin, revokedBefore).statusCode()).isEqualTo(200);
            awaitRefused(second, revokedBefore);

            Calls calls = new Calls();
            for (PackagedService instance : instances) {
                load.submit(() -> {
                    while (sending.get()) {
                        calls.time("token", instance.tokenRequest("through-failover", PASSWORD));
                    }
                });
                load.submit(() -> {
                    while (sending.get()) {
                        calls.time("bearer", instance.helloRequest(kept));
                        pause(20);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.succeeded("token") >= 10);

            long killed = System.nanoTime();
            calls.windowStart = killed;
            postgres.killPrimary();
            // what a failover manager does once it has seen the primary gone
            pause(1000);
            postgres.promoteStandby();
            assertThat(postgres.standbyIsPrimary()).isTrue();
            long promoted = System.nanoTime();
            for (PackagedService instance : instances) {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> HTTP.send(instance.tokenRequest("through-failover", PASSWORD),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            }
            calls.windowEnd = System.nanoTime();
            Duration recovered = Duration.ofNanos(calls.windowEnd - promoted);

            // After the failover, revocations through either instance reach the other through the new primary.
            long revoking = System.nanoTime();
            assertThat(first.revoke(admin, revokedAfterOnFirst).statusCode()).isEqualTo(200);
            awaitRefused(second, revokedAfterOnFirst);
            assertThat(second.revoke(admin, revokedAfterOnSecond).statusCode()).isEqualTo(200);
            awaitRefused(first, revokedAfterOnSecond);
            Duration propagated = Duration.ofNanos(System.nanoTime() - revoking);

            // The revocation from before stays in force, through several periodic reloads from the new primary.
            long watching = System.nanoTime();
            while (System.nanoTime() - watching < RESYNC.multipliedBy(2).plusMillis(500).toNanos()) {
                assertThat(first.hello(revokedBefore)).isEqualTo(401);
                assertThat(second.hello(revokedBefore)).isEqualTo(401);
                pause(250);
            }
            sending.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(15, TimeUnit.SECONDS)).isTrue();

            System.out.printf("failover: token requests back %d ms after the promotion (%d ms after the primary "
                    + "died); two revocations after it propagated in %d ms; %s%n", recovered.toMillis(),
                    Duration.ofNanos(promoted - killed).toMillis() + recovered.toMillis(), propagated.toMillis(),
                    calls.summary());
            assertThat(calls.problems).as("requests that hung, failed or got another answer").isEmpty();
            assertThat(calls.slowest).as("slowest answer during the failover").isLessThan(Duration.ofSeconds(2));
            assertThat(calls.succeeded("bearer")).isPositive();
            assertThat(calls.failedBearer).as("bearer calls not served").isZero();
            assertThat(calls.unavailable()).as("token requests answered 500 or 503 while no primary was up")
                    .isPositive();
        } finally {
            sending.set(false);
            load.shutdownNow();
            for (PackagedService instance : instances) {
                instance.terminate();
            }
            for (PackagedService instance : instances) {
                instance.close();
            }
            // the database last, so that no instance sees it go
            postgres.close();
        }
    }

    private static void awaitRefused(PackagedService instance, String token) {
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> instance.hello(token) == 401);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every call of the load, timed: token requests may answer 500 or 503 while no primary is up, never hang. */
    private static final class Calls {

        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        volatile Duration slowest = Duration.ZERO;
        volatile String slowestCall = "none";
        /** Calls that overlap [windowStart, windowEnd] (System.nanoTime) are timed against the 2 s bound. */
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        volatile long failedBearer;
        private final Map<String, Long> succeeded = new ConcurrentHashMap<>();
        private final Map<Integer, Long> tokenStatuses = new ConcurrentSkipListMap<>();

        void time(String kind, HttpRequest request) {
            long start = System.nanoTime();
            try {
                int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                synchronized (this) {
                    boolean inWindow = System.nanoTime() >= windowStart && start <= windowEnd;
                    if (inWindow && took.compareTo(slowest) > 0) {
                        slowest = took;
                        slowestCall = kind + " " + status;
                    }
                }
                if (status == 200) {
                    succeeded.merge(kind, 1L, Long::sum);
                } else if (kind.equals("bearer")) {
                    synchronized (this) {
                        failedBearer++;
                    }
                    problems.add("bearer call answered " + status);
                } else if (status != 500 && status != 503) {
                    problems.add("token request answered " + status);
                }
                if (kind.equals("token")) {
                    tokenStatuses.merge(status, 1L, Long::sum);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                problems.add(kind + " " + e + " after " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                        + " ms");
            }
        }

        long succeeded(String kind) {
            return succeeded.getOrDefault(kind, 0L);
        }

        long unavailable() {
            return tokenStatuses.getOrDefault(500, 0L) + tokenStatuses.getOrDefault(503, 0L);
        }

        String summary() {
            return "token answers by status " + tokenStatuses + ", bearer calls served " + succeeded("bearer")
                    + ", slowest answer during the failover " + slowest.toMillis() + " ms (" + slowestCall + ")";
        }
    }
}

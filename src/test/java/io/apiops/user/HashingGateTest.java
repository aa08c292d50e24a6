package io.apiops.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.apiops.error.ApiException;

class HashingGateTest {

    private final AtomicInteger rejections = new AtomicInteger();

    @Test
    void shouldRunUpToItsConcurrencyThenQueueThenRefuse() throws Exception {
        HashingGate gate = new HashingGate(1, 1, Duration.ofSeconds(5), rejections::incrementAndGet);
        CountDownLatch hashing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> gate.run(() -> {
            hashing.countDown();
            await(release);
            return "first";
        }));
        assertThat(hashing.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> gate.run(() -> "queued"));
        Thread.sleep(200);

        ApiException refused = catchThrowableOfType(ApiException.class, () -> gate.run(() -> "third"));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("temporarily_unavailable");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(rejections).hasValue(1);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
    }

    @Test
    void shouldRefuseAWaiterOnceItsWaitRunsOut() throws Exception {
        HashingGate gate = new HashingGate(1, 10, Duration.ofMillis(200), rejections::incrementAndGet);
        CountDownLatch hashing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> gate.run(() -> {
            hashing.countDown();
            await(release);
            return null;
        }));
        assertThat(hashing.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();

        ApiException refused = catchThrowableOfType(ApiException.class, () -> gate.run(() -> "late"));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
                Duration.ofSeconds(3));
        release.countDown();
        assertThat(gate.run(() -> "again")).isEqualTo("again");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.apiops.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.apiops.error.ApiException;

class HashingGateTest {

    private static final BooleanSupplier WANTED = () -> false;

    private final AtomicInteger rejections = new AtomicInteger();
    private final AtomicInteger abandonments = new AtomicInteger();

    @Test
    void shouldRunUpToItsConcurrencyThenQueueThenRefuse() throws Exception {
        HashingGate gate = gate(1, Duration.ofSeconds(5));
        Occupant first = occupy(gate);
        CompletableFuture<String> queued = waitingFor(() -> gate.run(() -> "queued", WANTED));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> gate.run(() -> "third", WANTED));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("temporarily_unavailable");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(rejections).hasValue(1);
        first.release().countDown();
        assertThat(first.result().get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
    }

    @Test
    void shouldRefuseAWaiterOnceItsWaitRunsOut() throws Exception {
        HashingGate gate = gate(10, Duration.ofMillis(200));
        Occupant first = occupy(gate);
        long start = System.nanoTime();

        ApiException refused = catchThrowableOfType(ApiException.class, () -> gate.run(() -> "late", WANTED));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
                Duration.ofSeconds(3));
        first.release().countDown();
        assertThat(gate.run(() -> "again", WANTED)).isEqualTo("again");
    }

    @Test
    void shouldNotHashForACallerWhoLeftWhileWaiting() throws Exception {
        HashingGate gate = gate(10, Duration.ofSeconds(5));
        Occupant first = occupy(gate);
        AtomicBoolean gone = new AtomicBoolean();
        AtomicBoolean hashed = new AtomicBoolean();
        CompletableFuture<String> leaving = waitingFor(() -> gate.run(() -> {
            hashed.set(true);
            return "leaving";
        }, gone::get));
        gone.set(true);
        first.release().countDown();

        assertThat(first.result().get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(catchThrowableOfType(Exception.class, () -> leaving.get(5, TimeUnit.SECONDS)))
                .hasCauseInstanceOf(ApiException.class);
        assertThat(hashed).as("no hash for nobody").isFalse();
        assertThat(abandonments).hasValue(1);
        assertThat(rejections).hasValue(0);
        assertThat(gate.run(() -> "next", WANTED)).as("the turn was given back").isEqualTo("next");
    }

    /** A gate with one hashing turn. */
    private HashingGate gate(int queue, Duration maxWait) {
        return new HashingGate(1, queue, maxWait, rejections::incrementAndGet, abandonments::incrementAndGet);
    }

    /** A hash that holds the gate's only turn until released. */
    private record Occupant(CompletableFuture<String> result, CountDownLatch release) {
    }

    private static Occupant occupy(HashingGate gate) throws InterruptedException {
        CountDownLatch hashing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> gate.run(() -> {
            hashing.countDown();
            await(release);
            return "first";
        }, WANTED));
        assertThat(hashing.await(5, TimeUnit.SECONDS)).isTrue();
        return new Occupant(result, release);
    }

    /** Calls the gate on a thread of its own and returns once that thread waits for a turn. */
    private static CompletableFuture<String> waitingFor(Supplier<String> call) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        caller.start();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                .until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        return result;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

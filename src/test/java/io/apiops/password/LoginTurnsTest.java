package io.apiops.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.apiops.error.ApiException;

class LoginTurnsTest {

    private static final BooleanSupplier WANTED = () -> false;

    private final AtomicInteger rejections = new AtomicInteger();
    private final AtomicInteger abandonments = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private LoginTurns turns;

    @AfterEach
    void close() {
        release.countDown();
        if (turns != null) {
            turns.close();
        }
    }

    @Test
    void shouldRunUpToItsTurnsThenQueueThenRefuseAtOnce() throws Exception {
        turns = turns(2, 1, Duration.ofSeconds(5));
        CountDownLatch running = new CountDownLatch(2);
        CompletableFuture<String> first = turns.submit(() -> hold(running, "first"), WANTED);
        CompletableFuture<String> second = turns.submit(() -> hold(running, "second"), WANTED);
        assertThat(running.await(5, TimeUnit.SECONDS)).as("both turns taken").isTrue();

        long start = System.nanoTime();
        CompletableFuture<String> queued = turns.submit(() -> "queued", WANTED);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> turns.submit(() -> "fourth", WANTED));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("neither caller waited for a turn")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(queued).isNotDone();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("temporarily_unavailable");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(rejections).hasValue(1);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
    }

    @Test
    void shouldRefuseAWaiterOnceItsWaitRunsOutAndNeverRunIt() throws Exception {
        CompletableFuture<String> first = occupyTheOnlyTurn(Duration.ofMillis(200));
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();

        CompletableFuture<String> late = turns.submit(marking(ran, "late"), WANTED);

        assertThat(cause(late)).isInstanceOfSatisfying(ApiException.class,
                refused -> assertThat(refused.status()).isEqualTo(503));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered when the wait ran out, turn or not")
                .isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
        assertThat(first).as("the turn is still taken").isNotDone();
        assertThat(rejections).hasValue(1);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(turns.submit(() -> "again", WANTED).get(5, TimeUnit.SECONDS)).isEqualTo("again");
        assertThat(ran).as("a login whose caller had its 503 does not run later").isFalse();
    }

    @Test
    void shouldNotRunALoginWhoseClientLeftWhileWaiting() throws Exception {
        CompletableFuture<String> first = occupyTheOnlyTurn(Duration.ofSeconds(5));
        AtomicBoolean gone = new AtomicBoolean();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<String> leaving = turns.submit(marking(ran, "leaving"), gone::get);
        gone.set(true);
        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(cause(leaving)).isInstanceOf(ApiException.class);
        assertThat(ran).as("no login for nobody").isFalse();
        assertThat(abandonments).hasValue(1);
        assertThat(rejections).hasValue(0);
        assertThat(turns.submit(() -> "next", WANTED).get(5, TimeUnit.SECONDS)).as("the turn was given back")
                .isEqualTo("next");
    }

    @Test
    void shouldHandTheLoginsOwnErrorToTheCallerAndGoOn() throws Exception {
        turns = turns(1, 10, Duration.ofSeconds(5));
        ApiException wrongPassword = ApiException.badCredentials();

        CompletableFuture<String> failed = turns.submit(() -> {
            throw wrongPassword;
        }, WANTED);

        assertThat(cause(failed)).isSameAs(wrongPassword);
        assertThat(turns.submit(() -> "next", WANTED).get(5, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(rejections).hasValue(0);
    }

    @Test
    void shouldRunLoginsOnItsOwnThreadsAtMostItsTurnsAtOnce() throws Exception {
        turns = turns(3, 100, Duration.ofSeconds(5));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CompletableFuture<?>[] logins = new CompletableFuture<?>[60];
        for (int i = 0; i < logins.length; i++) {
            logins[i] = turns.submit(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                return Thread.currentThread().getName();
            }, WANTED);
        }
        CompletableFuture.allOf(logins).get(10, TimeUnit.SECONDS);

        assertThat(most.get()).isBetween(1, 3);
        for (CompletableFuture<?> login : logins) {
            assertThat((String) login.get()).matches("apiops-login-[123]");
        }
    }

    private LoginTurns turns(int count, int queue, Duration maxWait) {
        return new LoginTurns(count, queue, maxWait, rejections::incrementAndGet, abandonments::incrementAndGet);
    }

    /** Turns with a single turn, taken by a login that holds it until the test releases it. */
    private CompletableFuture<String> occupyTheOnlyTurn(Duration maxWait) throws InterruptedException {
        turns = turns(1, 10, maxWait);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> first = turns.submit(() -> hold(running, "first"), WANTED);
        assertThat(running.await(5, TimeUnit.SECONDS)).as("the turn taken").isTrue();
        return first;
    }

    /** A login that notes that it ran. */
    private static Supplier<String> marking(AtomicBoolean ran, String result) {
        return () -> {
            ran.set(true);
            return result;
        };
    }

    /** A login that holds its turn until the test releases it. */
    private String hold(CountDownLatch running, String result) {
        running.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    private static Throwable cause(CompletableFuture<?> future) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future completed normally");
    }
}

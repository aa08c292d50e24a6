package io.apiops;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * The failed-login limit counts in fixed minutes, so a test that counts attempts against it and straddles the turn of
 * a minute sees the count start again half-way. Such a test starts with enough of its minute left.
 */
public final class MinuteWindows {

    private MinuteWindows() {
    }

    /** Waits, if need be, until at least 15 seconds of the current minute are left. */
    public static void awayFromTheTurnOfAMinute() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 45);
    }
}

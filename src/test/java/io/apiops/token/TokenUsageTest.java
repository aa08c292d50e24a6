package io.apiops.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.apiops.bearer.UsageNotes;

/**
 * The coalescing rule of the bearer check's notes and the batches made of them: the database write they lead to is
 * covered against PostgreSQL in {@link PersonalTokenResourceTest}.
 */
class TokenUsageTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    /** Captures the batches instead of writing them, to count writes. */
    private static final class CountingUsage extends TokenUsage {
        final List<Map<UUID, Instant>> written = new ArrayList<>();

        CountingUsage(UsageNotes notes) {
            super(null, notes);
        }

        @Override
        void write(Map<UUID, Instant> batch) {
            written.add(Map.copyOf(batch));
        }
    }

    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void shouldNoteAUseAtMostOncePerInterval() {
        MovableClock clock = new MovableClock();
        UsageNotes notes = new UsageNotes(clock, Duration.ofMinutes(1));
        CountingUsage usage = new CountingUsage(notes);
        String jti = UUID.randomUUID().toString();

        for (int i = 0; i < 1000; i++) {
            notes.note(jti);
            clock.now = clock.now.plusMillis(10);
        }
        usage.flush();

        assertThat(usage.written).hasSize(1);
        assertThat(usage.written.get(0)).containsExactly(Map.entry(UUID.fromString(jti), T0));
    }

    @Test
    void shouldNoteAgainOnceTheIntervalHasPassed() {
        MovableClock clock = new MovableClock();
        UsageNotes notes = new UsageNotes(clock, Duration.ofMinutes(1));
        CountingUsage usage = new CountingUsage(notes);
        String jti = UUID.randomUUID().toString();

        notes.note(jti);
        usage.flush();
        clock.now = T0.plusSeconds(61);
        notes.note(jti);
        usage.flush();
        usage.flush();

        assertThat(usage.written).hasSize(2);
        assertThat(usage.written.get(1)).containsValue(T0.plusSeconds(61));
    }

    @Test
    void shouldBatchManyTokensIntoOneWrite() {
        UsageNotes notes = new UsageNotes(new MovableClock(), Duration.ofMinutes(1));
        CountingUsage usage = new CountingUsage(notes);
        for (int i = 0; i < 50; i++) {
            notes.note(UUID.randomUUID().toString());
        }
        notes.note("not-a-uuid");
        usage.flush();
        assertThat(usage.written).hasSize(1);
        assertThat(usage.written.get(0)).hasSize(50);
    }
}

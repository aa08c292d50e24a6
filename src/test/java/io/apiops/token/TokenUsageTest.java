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
        final List<Map<UUID, UsageNotes.Use>> written = new ArrayList<>();

        CountingUsage(UsageNotes notes) {
            super(null, notes);
        }

        @Override
        void write(Map<UUID, UsageNotes.Use> batch) {
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
            notes.note(jti, "192.0.2.7", "agent/1.0");
            clock.now = clock.now.plusMillis(10);
        }
        usage.flush();

        assertThat(usage.written).hasSize(1);
        assertThat(usage.written.get(0)).containsExactly(Map.entry(UUID.fromString(jti), new UsageNotes.Use(T0, "192.0.2.7", "agent/1.0")));
    }

    @Test
    void shouldNoteAgainOnceTheIntervalHasPassed() {
        MovableClock clock = new MovableClock();
        UsageNotes notes = new UsageNotes(clock, Duration.ofMinutes(1));
        CountingUsage usage = new CountingUsage(notes);
        String jti = UUID.randomUUID().toString();

        notes.note(jti, "192.0.2.7", "agent/1.0");
        usage.flush();
        clock.now = T0.plusSeconds(61);
        notes.note(jti, "192.0.2.7", "agent/1.0");
        usage.flush();
        usage.flush();

        assertThat(usage.written).hasSize(2);
        assertThat(usage.written.get(1).values()).extracting(UsageNotes.Use::at).containsExactly(T0.plusSeconds(61));
    }

    @Test
    void shouldBatchManyTokensIntoOneWrite() {
        UsageNotes notes = new UsageNotes(new MovableClock(), Duration.ofMinutes(1));
        CountingUsage usage = new CountingUsage(notes);
        for (int i = 0; i < 50; i++) {
            notes.note(UUID.randomUUID().toString(), "192.0.2.7", "agent/1.0");
        }
        notes.note("not-a-uuid", "192.0.2.7", "agent/1.0");
        usage.flush();
        assertThat(usage.written).hasSize(1);
        assertThat(usage.written.get(0)).hasSize(50);
    }

    @Test
    void shouldKeepOnlyPrintableUserAgentsOfBoundedLength() {
        UsageNotes notes = new UsageNotes(new MovableClock(), Duration.ofMinutes(1));
        CountingUsage usage = new CountingUsage(notes);
        String jti = UUID.randomUUID().toString();
        notes.note(jti, null, "curl/8.5\r\nX-Injected: 1\u202e\u0000" + "x".repeat(10_000));
        usage.flush();

        String agent = usage.written.get(0).get(UUID.fromString(jti)).userAgent();
        assertThat(agent).startsWith("curl/8.5X-Injected: 1x").hasSize(256).doesNotContain("\r", "\n", "\u202e");
    }
}

package io.apiops.user;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.apiops.user.AccountEvent.FailureCause;

/**
 * Counters for alerting on password spraying and brute force, fed by {@link AccountEvent}s once their transaction has
 * committed. Failures are labelled by cause, never by username, so the series stay few.
 */
@Singleton
public class LoginMetrics {

    private final Counter tokensIssued;
    private final Counter lockouts;
    private final Counter revocations;
    private final Map<FailureCause, Counter> failures = new EnumMap<>(FailureCause.class);

    public LoginMetrics(MeterRegistry registry) {
        tokensIssued = Counter.builder("apiops.tokens.issued").description("Tokens issued").register(registry);
        lockouts = Counter.builder("apiops.lockouts").description("Accounts locked by failed logins")
                .register(registry);
        revocations = Counter.builder("apiops.token.revocations").description("Tokens revoked").register(registry);
        for (FailureCause cause : FailureCause.values()) {
            failures.put(cause, Counter.builder("apiops.login.failures").description("Failed logins by cause")
                    .tag("cause", cause.label()).register(registry));
        }
    }

    void count(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccountEvent event) {
        switch (event.type()) {
            case LOGIN_SUCCEEDED, TOKEN_CREATED -> tokensIssued.increment();
            case LOGIN_FAILED -> failures.get(FailureCause.valueOf(event.detail().toUpperCase(Locale.ROOT))).increment();
            case LOCKED_OUT -> lockouts.increment();
            case TOKEN_REVOKED -> revocations.increment();
            default -> {
                // not counted
            }
        }
    }
}

package io.apiops.notice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.ext.mail.SMTPException;

import io.apiops.config.ApiopsConfig;
import io.apiops.notice.ExpiryNoticeRepository.Claim;
import io.apiops.notice.ExpiryNoticeRepository.Notice;
import io.apiops.user.AccountEvent;

/**
 * Mails the owner of a named token once when it is about to expire ({@code apiops.token.expiry-notice} before) and
 * once when it has, however many replicas run.
 * <p>
 * Each notice is claimed in the database before it is sent (see {@link ExpiryNoticeRepository#claimNext}), in a
 * transaction of its own that commits first: two replicas sweeping at once never claim the same notice, and a notice
 * once sent is never sent again. When the SMTP server refuses or cannot be reached, the claim is released and the
 * next sweep tries again. The one case left is a replica that dies between committing a claim and handing the mail
 * to the server: that notice is lost rather than sent twice (at most once, one notice per crash at most, since claims
 * are taken one at a time).
 */
@ApplicationScoped
public class ExpiryNotices {

    private final ExpiryNoticeRepository notices;
    private final Mailer mailer;
    private final Event<AccountEvent> events;
    private final Clock clock;
    private final Duration window;
    private final boolean enabled;

    public ExpiryNotices(ExpiryNoticeRepository notices, Mailer mailer, Event<AccountEvent> events, Clock clock,
            ApiopsConfig config) {
        this.notices = notices;
        this.mailer = mailer;
        this.events = events;
        this.clock = clock;
        this.window = config.token().expiryNotice();
        this.enabled = smtpConfigured(ConfigProvider.getConfig());
        if (enabled) {
            Log.infof("Expiry notices are mailed %s before a named token expires, and when it has", window);
        }
    }

    /**
     * True when the operator has named an SMTP server: {@code quarkus.mailer.host} or {@code quarkus.mailer.port} is
     * set, rather than left to the mailer's defaults. Without one, nothing is mailed and no notice is claimed, so
     * configuring SMTP later still sends the notices then due.
     */
    static boolean smtpConfigured(Config config) {
        return isSet(config, "quarkus.mailer.host") || isSet(config, "quarkus.mailer.port");
    }

    private static boolean isSet(Config config, String name) {
        ConfigValue value = config.getConfigValue(name);
        // A default lives in a default-values source, which sorts below every source an operator can write to.
        return value.getRawValue() != null && !value.getRawValue().isBlank() && value.getSourceOrdinal() > 0;
    }

    boolean enabled() {
        return enabled;
    }

    @Scheduled(identity = "expiry-notices", every = "${apiops.token.expiry-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        if (enabled) {
            sweep(clock.instant());
        }
    }

    /**
     * Sends every notice due at {@code now}, one claim at a time, and answers how many were sent. A mail the server
     * rejects for good (a 5xx reply, such as an unknown recipient) is skipped for the rest of this sweep; any other
     * failure (no connection, a timeout, a 4xx reply) ends the sweep, since the next mail would fail the same way.
     * Either way the claim is released.
     */
    int sweep(Instant now) {
        int sent = 0;
        for (Notice notice : Notice.values()) {
            Set<Long> rejected = new HashSet<>();
            while (true) {
                Optional<Claim> claimed;
                try {
                    claimed = QuarkusTransaction.requiringNew()
                            .call(() -> notices.claimNext(notice, now, now.plus(window), rejected));
                } catch (RuntimeException e) {
                    Log.warnf("Expiry notices: could not claim the next notice (%s); trying again at the next sweep",
                            e.getClass().getSimpleName());
                    return sent;
                }
                if (claimed.isEmpty()) {
                    break;
                }
                Claim claim = claimed.get();
                try {
                    mailer.send(ExpiryNoticeMail.of(notice, claim));
                } catch (RuntimeException e) {
                    release(notice, claim);
                    if (permanentlyRejected(e)) {
                        Log.warnf("Expiry notice for token %s refused by the mail server (%s); it stays due",
                                claim.jti(), e.getMessage());
                        rejected.add(claim.id());
                        continue;
                    }
                    Throwable cause = rootCause(e);
                    Log.warnf("Expiry notices: the mail server cannot be reached (%s: %s); trying again at the next "
                            + "sweep", cause.getClass().getSimpleName(), cause.getMessage());
                    return sent;
                }
                sent++;
                audit(notice, claim);
            }
        }
        return sent;
    }

    private void release(Notice notice, Claim claim) {
        try {
            QuarkusTransaction.requiringNew().run(() -> notices.release(notice, claim.id()));
        } catch (RuntimeException e) {
            Log.warnf("Expiry notice for token %s was not sent and could not be released (%s): it will not be sent",
                    claim.jti(), e.getClass().getSimpleName());
        }
    }

    private void audit(Notice notice, Claim claim) {
        String what = notice == Notice.EXPIRING ? "expiring" : "expired";
        try {
            QuarkusTransaction.requiringNew().run(() -> events.fire(new AccountEvent(
                    AccountEvent.Type.TOKEN_EXPIRY_NOTICE_SENT, claim.ownerId(), claim.username(),
                    "token " + claim.jti() + " '" + claim.name() + "' " + what + ", mailed to " + claim.email())));
        } catch (RuntimeException e) {
            Log.warnf("Expiry notice for token %s was sent but not written to the audit trail (%s)", claim.jti(),
                    e.getClass().getSimpleName());
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean permanentlyRejected(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SMTPException smtp) {
                return smtp.isPermanent();
            }
        }
        return false;
    }
}

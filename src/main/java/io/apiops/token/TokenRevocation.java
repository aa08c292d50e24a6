package io.apiops.token;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.apiops.bearer.RevokedTokens;
import io.apiops.bearer.RotationReuse;
import io.apiops.config.ApiopsConfig;
import io.apiops.user.AccountEvent;

/**
 * Ends personal tokens: marks the record revoked and denies the token to the bearer check on every replica, in the
 * caller's transaction, and forgets records long expired.
 */
@ApplicationScoped
public class TokenRevocation implements RotationReuse {

    /** The {@code revokedReason} of a token revoked by its owner or an administrator. */
    static final String REVOKED = "revoked";
    /** The {@code revokedReason} of a token replaced by rotation. */
    static final String ROTATED = "rotated";
    /** The {@code revokedReason} of the tokens of a chain ended because a rotated-away token came back. */
    static final String REUSE_DETECTED = "reuse_detected";

    private final PersonalTokenRepository tokens;
    private final RevokedTokens revoked;
    private final Event<AccountEvent> events;
    private final Clock clock;
    private final Duration retention;

    public TokenRevocation(PersonalTokenRepository tokens, RevokedTokens revoked, Event<AccountEvent> events,
            Clock clock, ApiopsConfig config) {
        this.tokens = tokens;
        this.revoked = revoked;
        this.events = events;
        this.clock = clock;
        this.retention = config.token().retention();
    }

    /**
     * Revokes a token in the caller's transaction: the record, the shared denylist and a notification to every
     * replica commit together, and this replica refuses the token as soon as they have.
     */
    void revoke(PersonalToken token, String reason, String why) {
        if (token.revoke(clock.instant(), reason)) {
            revoked.deny(token.jti(), token.tokenExpiry(), ROTATED.equals(reason) ? token.chainId() : null);
            events.fire(new AccountEvent(AccountEvent.Type.TOKEN_REVOKED, token.owner().id(),
                    token.owner().username(), "token " + token.jti() + " (" + why + ")"));
        }
    }

    /**
     * A rotated-away token was presented: whoever holds it is not, or not only, the automation that rotated it. The
     * live tokens of its chain are revoked, the newest included.
     */
    @Override
    public void revokeChain(UUID chain, String presentedJti) {
        QuarkusTransaction.requiringNew().run(() -> {
            // After any rotation of the chain in progress has committed, so that its new token is seen and ended.
            tokens.lockChain(chain);
            List<PersonalToken> live = tokens.listUnrevokedInChain(chain);
            for (PersonalToken token : live) {
                revoke(token, REUSE_DETECTED, "rotated-away token " + presentedJti + " presented again");
            }
            if (!live.isEmpty()) {
                Log.warnf("A rotated-away token was presented again; revoked %d token(s) of its chain", live.size());
            }
        });
    }

    /** When a user may no longer use the tokens issued so far, each is revoked in the same transaction. */
    void onAccountEvent(@Observes AccountEvent event) {
        if (event.type().endsTokens()) {
            for (PersonalToken token : tokens.listUnrevokedByOwner(event.userId())) {
                String reason = event.type().name().toLowerCase(Locale.ROOT);
                revoke(token, reason, reason);
            }
        }
    }

    /** Deletes the records of tokens expired longer than the retention. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        long removed = tokens.prune(clock.instant().minus(retention));
        if (removed > 0) {
            Log.infof("Pruned %d expired token records", removed);
        }
    }
}

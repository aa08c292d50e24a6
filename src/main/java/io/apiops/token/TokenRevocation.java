package io.apiops.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import io.apiops.bearer.RevokedTokens;
import io.apiops.config.ApiopsConfig;
import io.apiops.user.AccountEvent;

/**
 * Ends personal tokens: marks the record revoked and denies the token to the bearer check on every replica, in the
 * caller's transaction, and forgets records long expired.
 */
@ApplicationScoped
public class TokenRevocation {

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
    void revoke(PersonalToken token, String why) {
        if (token.revoke(clock.instant())) {
            revoked.deny(token.jti(), token.tokenExpiry());
            events.fire(new AccountEvent(AccountEvent.Type.TOKEN_REVOKED, token.owner().id(),
                    token.owner().username(), "token " + token.jti() + " (" + why + ")"));
        }
    }

    /** When a user may no longer use the tokens issued so far, each is revoked in the same transaction. */
    void onAccountEvent(@Observes AccountEvent event) {
        if (event.type().endsTokens()) {
            for (PersonalToken token : tokens.listUnrevokedByOwner(event.userId())) {
                revoke(token, event.type().name().toLowerCase(Locale.ROOT));
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

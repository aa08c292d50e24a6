package io.apiops.bearer;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import io.apiops.http.ClientAddress;

/**
 * The last steps of the bearer check, after the signature, issuer, audience and expiry, all from memory: a revoked
 * token is refused (and one revoked by rotation, presented again, ends its whole chain); an address-limited token is
 * refused from any other client address; and the identity gets the token's roles as of now, its scope intersected
 * with its owner's current roles ({@link OwnerRoles}). Revoking all tokens of a user who is disabled, deleted, locked
 * by an administrator or given a new password makes their tokens fail here too.
 */
@ApplicationScoped
public class BearerAdmission {

    /** Chains already ended by a reuse on this replica, so that further reuses cost no database work. */
    private static final int MAX_ENDED_CHAINS = 10_000;

    private final RevokedTokens revoked;
    private final OwnerRoles owners;
    private final UsageNotes usage;
    private final ClientAddress addresses;
    private final RotationReuse reuse;
    private final Set<UUID> endedChains = ConcurrentHashMap.newKeySet();
    /**
     * Where a chain is ended: threads of their own, outside the request's context, whose identity is the one being
     * decided and must not be waited for (the audit trail would).
     */
    private final ExecutorService chainEnder = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "apiops-rotation-reuse");
        thread.setDaemon(true);
        return thread;
    });

    public BearerAdmission(RevokedTokens revoked, OwnerRoles owners, UsageNotes usage, ClientAddress addresses,
            RotationReuse reuse) {
        this.revoked = revoked;
        this.owners = owners;
        this.usage = usage;
        this.addresses = addresses;
        this.reuse = reuse;
    }

    /** The identity as of now, or a failure when its token may not be used; notes the token's use. */
    Uni<SecurityIdentity> admit(SecurityIdentity identity, RoutingContext context) {
        SecurityIdentity admitted = admitted(identity, context);
        if (admitted != null) {
            return Uni.createFrom().item(admitted);
        }
        TokenFacts facts = TokenFacts.of(identity);
        RevokedTokens.Denied denied = facts == null || facts.jti() == null ? null : revoked.denied(facts.jti());
        return denied == null || denied.chain() == null ? refused() : reused(denied.chain(), facts.jti());
    }

    /**
     * The identity as of now when its token may be used, noting the use; null when it may not, without any other
     * effect, so that {@link #admit} decides what the refusal does. Touches memory only, never the database.
     */
    SecurityIdentity admitted(SecurityIdentity identity, RoutingContext context) {
        TokenFacts facts = TokenFacts.of(identity);
        if (facts == null || facts.jti() == null || revoked.denied(facts.jti()) != null) {
            return null;
        }
        // The client address is worked out only where it is needed: an address limit, or a use to note.
        boolean noting = usage.isDue(facts.jti());
        Optional<InetAddress> client = facts.limitsAddresses() || noting ? addresses.of(context.request()) : null;
        if (facts.limitsAddresses() && !facts.allows(client)) {
            return null;
        }
        if (noting) {
            usage.noteDue(facts.jti(), client.map(InetAddress::getHostAddress).orElse(null),
                    context.request().getHeader(HttpHeaders.USER_AGENT));
        }
        return current(identity, facts);
    }

    /**
     * The identity of a live token as of now, without the request: for introspection, which judges the token and
     * not the caller's address. Null when the token is revoked.
     */
    SecurityIdentity live(SecurityIdentity identity) {
        TokenFacts facts = TokenFacts.of(identity);
        if (facts == null || facts.jti() == null || revoked.isRevoked(facts.jti())) {
            return null;
        }
        return current(identity, facts);
    }

    private SecurityIdentity current(SecurityIdentity verified, TokenFacts facts) {
        long version = owners.version();
        SecurityIdentity current = facts.derivedAt(version);
        if (current == null) {
            Set<String> roles = facts.roles(owners);
            current = roles.equals(verified.getRoles()) ? verified
                    : QuarkusSecurityIdentity.builder()
                            .setPrincipal(verified.getPrincipal())
                            .addCredentials(verified.getCredentials())
                            .addAttributes(verified.getAttributes())
                            .addRoles(roles)
                            .build();
            facts.derived(current, version);
        }
        return current;
    }

    /** A rotated-away token is back: ends its chain, then refuses it like any revoked token. */
    private Uni<SecurityIdentity> reused(UUID chain, String jti) {
        if (endedChains.size() > MAX_ENDED_CHAINS) {
            endedChains.clear();
        }
        if (!endedChains.add(chain)) {
            return refused();
        }
        Context requestContext = Vertx.currentContext();
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                reuse.revokeChain(chain, jti);
            } catch (RuntimeException e) {
                endedChains.remove(chain);
                Log.warnf("Could not revoke a rotation chain after its reuse (%s); it is tried again at the next "
                        + "reuse", e.getClass().getSimpleName());
            }
        }, chainEnder);
        Uni<SecurityIdentity> refusal = Uni.createFrom().completionStage(ended)
                .onItemOrFailure().transformToUni((done, failure) -> refused());
        return requestContext == null ? refusal
                : refusal.emitOn(task -> requestContext.runOnContext(ignored -> task.run()));
    }

    private static Uni<SecurityIdentity> refused() {
        return Uni.createFrom().failure(new AuthenticationFailedException());
    }
}

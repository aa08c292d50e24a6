package io.apiops.bearer;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.logging.Log;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;

import io.apiops.user.Roles;

/**
 * RFC 7662 token introspection for gateways and other services: the same verification as the bearer check (syntax,
 * signature, issuer, audience, expiry, published key) and the same in-memory revocation list and owners' roles,
 * without a database query. Unlike the bearer check it neither notes a use nor ends a rotation chain: asking about a
 * token is not using it.
 */
@ApplicationScoped
public class TokenIntrospection {

    /** What introspection tells of a live token. */
    public record Live(String username, String scope, long expiresAt, long issuedAt, String jti, String issuer,
            Set<String> audience) {
    }

    private final IdentityProviderManager identities;
    private final VerifiedTokens verified;
    private final BearerAdmission admission;
    private final Roles roles;

    public TokenIntrospection(IdentityProviderManager identities, VerifiedTokens verified, BearerAdmission admission,
            Roles roles) {
        this.identities = identities;
        this.verified = verified;
        this.admission = admission;
        this.roles = roles;
    }

    /** The token's state when it is live; empty for anything else, whatever the reason. */
    public Optional<Live> introspect(String value) {
        String token = CompactJws.of(value);
        if (token == null) {
            return Optional.empty();
        }
        SecurityIdentity identity = verified.lookup(token);
        if (identity == null) {
            try {
                identity = identities.authenticateBlocking(
                        new TokenAuthenticationRequest(new JsonWebTokenCredential(token)));
            } catch (RuntimeException e) {
                // Whatever the verifier refused, and however: not an active token.
                Log.debugf("Introspected token refused: %s", e.getClass().getName());
                return Optional.empty();
            }
        }
        SecurityIdentity live = identity == null ? null : admission.live(identity);
        if (live == null || !(live.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        String scope = String.join(" ", roles.known(live.getRoles()));
        return Optional.of(new Live(jwt.getName(), scope, jwt.getExpirationTime(), jwt.getIssuedAtTime(),
                jwt.getTokenID(), jwt.getIssuer(), jwt.getAudience() == null ? Set.of() : jwt.getAudience()));
    }
}

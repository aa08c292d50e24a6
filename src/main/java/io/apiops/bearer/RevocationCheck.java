package io.apiops.bearer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The last step of the bearer check, after the signature, issuer and expiry: a revoked token is refused. Revoking all
 * tokens of a user who is disabled, deleted, locked by an administrator or given a new password makes their tokens
 * fail here too. Reads memory only.
 */
@ApplicationScoped
public class RevocationCheck {

    private final RevokedTokens revoked;
    private final UsageNotes usage;

    public RevocationCheck(RevokedTokens revoked, UsageNotes usage) {
        this.revoked = revoked;
        this.usage = usage;
    }

    /** The identity itself, or a failure when its token has been revoked; notes the token's use. */
    Uni<SecurityIdentity> admit(SecurityIdentity identity, RoutingContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String jti = token.getTokenID();
            if (jti == null || revoked.isRevoked(jti)) {
                return Uni.createFrom().failure(new AuthenticationFailedException());
            }
            usage.note(jti);
        }
        return Uni.createFrom().item(identity);
    }
}

package io.apiops.bearer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * The last step of the bearer check, after the signature, issuer and expiry: a revoked token is refused. Revoking all
 * tokens of a user who is disabled, deleted, locked by an administrator or given a new password makes their tokens
 * fail here too. Reads memory only.
 */
@ApplicationScoped
public class RevocationCheck implements SecurityIdentityAugmentor {

    private final RevokedTokens revoked;
    private final UsageNotes usage;

    public RevocationCheck(RevokedTokens revoked, UsageNotes usage) {
        this.revoked = revoked;
        this.usage = usage;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return admit(identity);
    }

    /** The identity itself, or a failure when its token has been revoked; notes the token's use. */
    Uni<SecurityIdentity> admit(SecurityIdentity identity) {
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

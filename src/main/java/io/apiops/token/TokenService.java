package io.apiops.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.Claims;

import io.apiops.config.ApiopsConfig;
import io.apiops.token.TokenViews.TokenResponse;
import io.apiops.user.UserService;
import io.apiops.user.UserService.AuthenticatedUser;
import io.smallrye.jwt.build.Jwt;

/** Exchanges a user's credentials for a signed access token. */
@ApplicationScoped
public class TokenService {

    private final UserService users;
    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;
    private final Duration lifespan;

    public TokenService(UserService users, SigningKeys keys, ApiopsConfig config, Clock clock) {
        this.users = users;
        this.keys = keys;
        this.clock = clock;
        this.issuer = config.token().issuer();
        this.lifespan = config.token().lifespan();
    }

    /** The client credentials grant: the client is the user, its secret the user's password. */
    public TokenResponse exchange(ClientCredentials credentials) {
        AuthenticatedUser user = users.authenticate(credentials.clientId(), credentials.clientSecret());
        return TokenResponse.bearer(sign(user, clock.instant()), lifespan.toSeconds());
    }

    private String sign(AuthenticatedUser user, Instant now) {
        return Jwt.issuer(issuer)
                .subject(user.username())
                .upn(user.username())
                .groups(user.roles())
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(lifespan).getEpochSecond())
                .claim(Claims.jti, UUID.randomUUID().toString())
                .jws()
                .algorithm(keys.algorithm())
                .keyId(keys.keyId())
                .sign(keys.signingKey());
    }
}

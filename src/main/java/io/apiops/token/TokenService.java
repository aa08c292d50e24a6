package io.apiops.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.micrometer.core.annotation.Timed;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.token.TokenIssuer.Grant;
import io.apiops.token.TokenViews.CreatePersonalToken;
import io.apiops.token.TokenViews.CreatedPersonalToken;
import io.apiops.token.TokenViews.PersonalTokenView;
import io.apiops.token.TokenViews.TokenResponse;
import io.apiops.user.AccountEvent;
import io.apiops.user.UserService;

/**
 * Issues, lists and revokes tokens. Every token, from the token endpoint or created by its owner, is a personal
 * token: recorded by its {@code jti} before it is signed, and revocable until it expires.
 */
@ApplicationScoped
public class TokenService {

    /** The name of the tokens the token endpoint issues. */
    static final String TOKEN_ENDPOINT = "token endpoint";

    private final UserService users;
    private final TokenIssuer issuer;
    private final PersonalTokenRepository tokens;
    private final TokenRevocation revocation;
    private final JWTParser parser;
    private final Event<AccountEvent> events;
    private final Duration lifespan;

    public TokenService(UserService users, TokenIssuer issuer, PersonalTokenRepository tokens, TokenRevocation revocation,
            JWTParser parser, Event<AccountEvent> events, ApiopsConfig config) {
        this.users = users;
        this.issuer = issuer;
        this.tokens = tokens;
        this.revocation = revocation;
        this.parser = parser;
        this.events = events;
        this.lifespan = config.token().lifespan();
    }

    /**
     * The client credentials grant: the client is the user, its secret the user's password. {@code abandoned} tells
     * whether the client is gone, so that a request left behind in the hashing queue costs no hash.
     */
    @Timed(value = "apiops.token.requests", description = "Time to answer a token request", histogram = true)
    public TokenResponse exchange(String clientId, String clientSecret, String clientKey, BooleanSupplier abandoned) {
        Grant grant = users.authenticate(clientId, clientSecret, clientKey, abandoned,
                user -> issuer.record(user, TOKEN_ENDPOINT, issuer.now().plus(lifespan)));
        return TokenResponse.bearer(issuer.sign(grant), lifespan.toSeconds());
    }

    /** A named token for the caller, expiring at {@code expireDate} or never. */
    @Transactional
    public CreatedPersonalToken create(String username, CreatePersonalToken request) {
        String name = request.name().strip();
        Instant expiresAt = request.expireDate() == null ? null : request.expireDate().toInstant();
        Grant grant = users.withUsableUser(username, user -> {
            Grant recorded = issuer.record(user, name, expiresAt);
            events.fire(new AccountEvent(AccountEvent.Type.TOKEN_CREATED, user.id(), user.username(),
                    "token " + recorded.jti() + " '" + name + "'"));
            return recorded;
        });
        Long expiresIn = expiresAt == null ? null : Duration.between(grant.issuedAt(), expiresAt).toSeconds();
        return new CreatedPersonalToken(grant.jti().toString(), name, issuer.sign(grant), "Bearer", expiresIn,
                TokenViews.seconds(expiresAt));
    }

    /** The tokens of one user, newest first; 404 when there is no such user. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PersonalTokenView> list(String username) {
        users.get(username);
        return tokens.listByOwnerName(username).stream().map(PersonalTokenView::from).toList();
    }

    /** Revokes one token by its id. Only its owner or an administrator may; to anyone else it does not exist. */
    @Transactional
    public void revoke(String id, JsonWebToken caller, boolean admin) {
        PersonalToken token = parseId(id).flatMap(tokens::findByJti)
                .filter(found -> admin || found.owner().username().equals(caller.getName()))
                .orElseThrow(() -> ApiException.notFound("Token not found"));
        revocation.revoke(token, "revoked by " + caller.getName());
    }

    /**
     * RFC 7009: revokes the token given by value if the caller may (its owner or an administrator). Any other token,
     * valid or not, is left alone, and the caller cannot tell the difference.
     */
    @Transactional
    public void revokeByValue(String value, JsonWebToken caller, boolean admin) {
        JsonWebToken presented;
        try {
            presented = parser.parse(value);
        } catch (ParseException e) {
            return;
        }
        if (admin || caller.getName().equals(presented.getName())) {
            parseId(presented.getTokenID()).flatMap(tokens::findByJti)
                    .ifPresent(token -> revocation.revoke(token, "revoked by " + caller.getName()));
        }
    }

    private static Optional<UUID> parseId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}

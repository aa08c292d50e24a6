package io.apiops.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.micrometer.core.annotation.Timed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

import io.apiops.bearer.TokenFacts;
import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.token.PersonalTokenRepository.Inventory;
import io.apiops.token.TokenIssuer.Grant;
import io.apiops.token.TokenViews.CreatePersonalToken;
import io.apiops.token.TokenViews.CreatedPersonalToken;
import io.apiops.token.TokenViews.PersonalTokenView;
import io.apiops.token.TokenViews.RotatePersonalToken;
import io.apiops.token.TokenViews.TokenResponse;
import io.apiops.user.AccountEvent;
import io.apiops.user.Roles;
import io.apiops.user.UserService;
import io.apiops.user.UserViews.Envelope;

/**
 * Issues, lists and revokes tokens. Every token, from the token endpoint or created by its owner, is a personal
 * token: recorded by its {@code jti} before it is signed, and revocable until it expires.
 */
@ApplicationScoped
public class TokenService {

    /** The name of the tokens the token endpoint issues: short-lived, never counted or mailed as named tokens. */
    public static final String TOKEN_ENDPOINT = "token endpoint";
    private static final String NOT_FOUND = "Token not found";

    private final UserService users;
    private final TokenIssuer issuer;
    private final PersonalTokenRepository tokens;
    private final TokenRevocation revocation;
    private final JWTParser parser;
    private final Event<AccountEvent> events;
    private final Duration lifespan;
    private final TokenPolicy policy;

    public TokenService(UserService users, TokenIssuer issuer, PersonalTokenRepository tokens, TokenRevocation revocation,
            TokenPolicy policy, JWTParser parser, Event<AccountEvent> events, ApiopsConfig config) {
        this.users = users;
        this.policy = policy;
        this.issuer = issuer;
        this.tokens = tokens;
        this.revocation = revocation;
        this.parser = parser;
        this.events = events;
        this.lifespan = config.token().lifespan();
    }

    /**
     * The client credentials grant: the client is the user, its secret the user's password. {@code abandoned} tells
     * whether the client is gone, so that a request left behind in the hashing queue costs no hash. The token is
     * signed in the login's turn, once the transaction that recorded it has committed.
     */
    @Timed(value = "apiops.token.requests", description = "Time to answer a token request", histogram = true)
    public CompletionStage<TokenResponse> exchange(String clientId, String clientSecret, String clientKey,
            BooleanSupplier abandoned) {
        return users.authenticate(clientId, clientSecret, clientKey, abandoned,
                user -> issuer.record(user, TOKEN_ENDPOINT, issuer.now().plus(lifespan)))
                .thenApply(grant -> TokenResponse.bearer(issuer.sign(grant), lifespan.toSeconds()));
    }

    /**
     * A named token for the caller, expiring at {@code expireDate} or never, scoped and address-limited as asked.
     * Judged in this order: the request's fields (400), re-authentication for a token that would outlive the caller's
     * (403), the account's lockout and the per-user limit (409), the hourly limit (429).
     */
    public CreatedPersonalToken create(SecurityIdentity caller, CreatePersonalToken request) {
        JsonWebToken bearer = (JsonWebToken) caller.getPrincipal();
        String username = bearer.getName();
        TokenFacts facts = TokenFacts.of(caller);
        String name = policy.name(request.name());
        Instant expiresAt = request.expireDate() == null ? null : request.expireDate().toInstant();
        policy.requireLifetime(expiresAt, issuer.now());
        List<String> scope = policy.scope(request.roleNameList(), users.get(username).roleNameList(), caller);
        List<String> addresses = policy.addresses(request.allowedAddresses(), facts);
        policy.requireReauthentication(bearer, expiresAt, request.currentPassword());
        Grant grant = QuarkusTransaction.requiringNew().call(() -> users.withUsableUser(username, user -> {
            policy.requireRoomFor(user);
            policy.requireCreationRoom(user);
            PersonalToken token = PersonalToken.issue(user, name, issuer.now(), expiresAt, scope, addresses);
            joinCallersChain(token, bearer);
            Grant recorded = issuer.record(user, token);
            events.fire(new AccountEvent(AccountEvent.Type.TOKEN_CREATED, user.id(), user.username(),
                    "token " + recorded.jti() + " '" + name + "'"));
            return recorded;
        }));
        return created(grant, name, expiresAt);
    }

    /**
     * A token made with a named token joins that token's rotation chain, so that a reuse which ends the chain ends
     * what was made from it too: a thief holding one token of a chain cannot mint an independent copy that outlives
     * the chain. A token made with a token from the token endpoint (a sign-in) starts a chain of its own.
     */
    private void joinCallersChain(PersonalToken token, JsonWebToken bearer) {
        Optional<PersonalToken> parent = parseId(bearer.getTokenID()).flatMap(tokens::findByJti)
                .filter(found -> !TOKEN_ENDPOINT.equals(found.name()));
        if (parent.isPresent()) {
            PersonalToken current = parent.get();
            tokens.lockChain(current.chainId());
            // As committed once the lock is held: a reuse that ended the chain meanwhile has revoked it.
            tokens.getEntityManager().refresh(current);
            if (!current.isLive(issuer.now())) {
                throw ApiException.invalidToken();
            }
            token.joinChain(current.chainId());
        }
    }

    /**
     * Replaces a live token with a new one of the same name, roles, addresses and chain, expiring when the old one
     * does unless the request names another expiry; the old one is revoked ({@code rotated}) in the same
     * transaction. Only its owner or an administrator may; to anyone else it does not exist.
     */
    public CreatedPersonalToken rotate(String id, SecurityIdentity identity, RotatePersonalToken request) {
        JsonWebToken caller = (JsonWebToken) identity.getPrincipal();
        boolean admin = identity.hasRole(Roles.ADMIN);
        RotatePersonalToken body = request == null ? RotatePersonalToken.KEEP : request;
        PersonalToken current = findVisible(id, caller, admin);
        policy.requireMayRotate(identity, current);
        Instant now = issuer.now();
        if (TOKEN_ENDPOINT.equals(current.name())) {
            throw ApiException.conflict("A token from the token endpoint is not rotated: request a new one, or "
                    + "create a named token");
        }
        if (!current.isLive(now)) {
            throw ApiException.conflict(current.revoked() ? "The token is revoked" : "The token has expired");
        }
        Instant expiresAt = body.expireDate() == null ? current.expiresAt() : body.expireDate().toInstant();
        policy.requireLifetime(expiresAt, now);
        policy.requireReauthentication(caller, expiresAt, body.currentPassword());
        String ownerName = current.owner().username();
        UUID jti = current.jti();
        UUID chain = current.chainId();
        Grant grant = QuarkusTransaction.requiringNew().call(() -> users.withUsableUser(ownerName, user -> {
            // One chain changes at a time: a rotation and a reuse that ends the chain cannot cross.
            tokens.lockChain(chain);
            PersonalToken old = tokens.findByJtiForUpdate(jti).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
            if (!old.isLive(issuer.now())) {
                throw ApiException.conflict("The token is revoked");
            }
            policy.requireCreationRoom(user);
            Grant recorded = issuer.record(user, old.successor(issuer.now(), expiresAt));
            revocation.revoke(old, TokenRevocation.ROTATED, "rotated to " + recorded.jti());
            events.fire(new AccountEvent(AccountEvent.Type.TOKEN_ROTATED, user.id(), user.username(),
                    "token " + old.jti() + " rotated to " + recorded.jti() + " by " + caller.getName()));
            return recorded;
        }));
        return created(grant, current.name(), expiresAt);
    }

    private CreatedPersonalToken created(Grant grant, String name, Instant expiresAt) {
        Long expiresIn = expiresAt == null ? null : Duration.between(grant.issuedAt(), expiresAt).toSeconds();
        return new CreatedPersonalToken(grant.jti().toString(), name, issuer.sign(grant), "Bearer", expiresIn,
                TokenViews.seconds(expiresAt));
    }

    /**
     * One page of one user's tokens matching the query's filters, newest first, with the count of all matches; 404 when
     * there is no such user.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Envelope<PersonalTokenView> list(String username, TokenListQuery query) {
        // The query is judged before the user is looked up: a malformed one is a 400 whoever it asks about.
        PersonalTokenRepository.Inventory filter = query.filter(username);
        int page = query.page();
        int size = query.size(TokenListQuery.DEFAULT_SIZE);
        users.get(username);
        return inventory(filter, page, size);
    }

    /** One page of every user's tokens matching {@code filter}, newest first, with the count of all matches. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Envelope<PersonalTokenView> inventory(Inventory filter, int page, int size) {
        Instant now = issuer.now();
        List<PersonalTokenView> items = tokens.inventoryPage(filter, now, page, size).stream()
                .map(PersonalTokenView::from).toList();
        return Envelope.page(items, tokens.inventoryCount(filter, now));
    }

    /** Revokes one token by its id. Only its owner or an administrator may; to anyone else it does not exist. */
    @Transactional
    public void revoke(String id, JsonWebToken caller, boolean admin) {
        revocation.revoke(findVisible(id, caller, admin), TokenRevocation.REVOKED, "revoked by " + caller.getName());
    }

    /** A token the caller may manage: its own, or any for an administrator; anything else is not found. */
    private PersonalToken findVisible(String id, JsonWebToken caller, boolean admin) {
        return parseId(id).flatMap(tokens::findByJti)
                .filter(found -> admin || found.owner().username().equals(caller.getName()))
                .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
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
                    .ifPresent(token -> revocation.revoke(token, TokenRevocation.REVOKED,
                            "revoked by " + caller.getName()));
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

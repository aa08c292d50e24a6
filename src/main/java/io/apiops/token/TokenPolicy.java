package io.apiops.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

import io.apiops.bearer.TokenFacts;
import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.error.RateLimitedException;
import io.apiops.http.IpRange;
import io.apiops.user.Roles;
import io.apiops.user.User;
import io.apiops.user.UserService;
import io.apiops.user.ValidUsername;

/**
 * The rules a new personal token must meet beyond its fields' syntax: the longest lifetime
 * ({@code apiops.token.max-lifetime}), a scope within the owner's roles, well-formed address limits, the current
 * password for a token that would outlive the token asking for it, the most live tokens per user
 * ({@code apiops.token.max-per-user}) and the most tokens made for one user in an hour
 * ({@code apiops.token.max-created-per-hour}).
 */
@ApplicationScoped
public class TokenPolicy {

    private static final Duration CREATION_WINDOW = Duration.ofHours(1);

    static final String ADDRESS_MESSAGE = "must be IPv4 or IPv6 addresses or CIDR ranges, such as 192.0.2.0/24";

    private final UserService users;
    private final PersonalTokenRepository tokens;
    private final Roles roles;
    private final Optional<Duration> maxLifetime;
    private final int maxPerUser;
    private final int maxCreatedPerHour;
    private final Clock clock;

    public TokenPolicy(UserService users, PersonalTokenRepository tokens, Roles roles, Clock clock,
            ApiopsConfig config) {
        this.users = users;
        this.clock = clock;
        this.tokens = tokens;
        this.roles = roles;
        this.maxLifetime = config.token().maxLifetime();
        this.maxPerUser = config.token().maxPerUser();
        this.maxCreatedPerHour = config.token().maxCreatedPerHour();
    }

    /**
     * The name asked for, stripped; it must read as what it is in a list (nothing invisible, no white space but the
     * plain space), and the token endpoint's name is its own, so that no named token can pass for one of its tokens.
     */
    String name(String requested) {
        String name = requested.strip();
        if (name.isEmpty()) {
            throw ApiException.invalidField("name", "must not be blank");
        }
        ValidUsername.Check.labelProblem(name).ifPresent(problem -> {
            throw ApiException.invalidField("name", problem);
        });
        if (name.equalsIgnoreCase(TokenService.TOKEN_ENDPOINT)) {
            throw ApiException.invalidField("name", "is reserved for the tokens of the token endpoint");
        }
        return name;
    }

    /**
     * An expiry no later than "never" (which a token's {@code exp} must stay below) and within the longest lifetime,
     * when one is set; {@code expiresAt} null means never.
     */
    void requireLifetime(Instant expiresAt, Instant now) {
        if (expiresAt != null && expiresAt.isAfter(PersonalToken.NEVER)) {
            throw ApiException.invalidField("expireDate", "must be before " + PersonalToken.NEVER
                    + ", or null for a token that never expires");
        }
        if (maxLifetime.isEmpty()) {
            return;
        }
        if (expiresAt == null) {
            throw ApiException.invalidField("expireDate", "must be set: tokens may live at most " + maxLifetime.get());
        }
        if (expiresAt.isAfter(now.plus(maxLifetime.get()))) {
            throw ApiException.invalidField("expireDate", "must be at most " + maxLifetime.get() + " from now");
        }
    }

    /**
     * The scope of a new token, in the catalogue's order; null for none. Every role asked for must be one the owner
     * holds and the calling token carries now; with none asked for, a token made by a scoped token has that token's
     * scope. A token never hands on more than it has.
     */
    List<String> scope(List<String> requested, List<String> ownerRoles, SecurityIdentity caller) {
        TokenFacts facts = TokenFacts.of(caller);
        if (requested == null) {
            return facts == null || facts.scope() == null ? null : roles.known(facts.scope());
        }
        if (!ownerRoles.containsAll(requested) || !caller.getRoles().containsAll(requested)) {
            throw ApiException.invalidField("roleNameList", "must be roles you hold and this token carries");
        }
        return roles.known(Set.copyOf(requested));
    }

    /**
     * A token limited by scope or address may rotate itself (how automation renews itself) but no other token, which
     * could reach further than it does.
     */
    void requireMayRotate(SecurityIdentity caller, PersonalToken target) {
        TokenFacts facts = TokenFacts.of(caller);
        boolean limited = facts != null && (facts.scope() != null || facts.allowedAddresses() != null);
        if (limited && !target.jti().toString().equals(facts.jti())) {
            throw ApiException.forbidden();
        }
    }

    /**
     * The address limits of a new token, as written, each once; null for none. Each must parse strictly and lie within
     * the calling token's own limits; with none asked for, a token made by an address-limited token has its limits.
     */
    List<String> addresses(List<String> requested, TokenFacts caller) {
        if (requested == null) {
            return caller == null ? null : caller.allowedAddresses();
        }
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : requested) {
            String text = entry.strip();
            IpRange range = IpRange.parse(text)
                    .orElseThrow(() -> ApiException.invalidField("allowedAddresses", ADDRESS_MESSAGE));
            if (caller != null && !caller.covers(range)) {
                throw ApiException.invalidField("allowedAddresses", "must lie within this token's own allowed "
                        + "addresses");
            }
            entries.add(text);
        }
        return new ArrayList<>(entries);
    }

    /**
     * A token that would outlive the bearer token asking for it needs the caller's current password, so that a
     * stolen short-lived token cannot mint a lasting one. A wrong password counts as a failed login.
     *
     * @param expiresAt the new token's expiry, null for never
     */
    void requireReauthentication(JsonWebToken caller, Instant expiresAt, String currentPassword) {
        Instant newExpiry = expiresAt == null ? PersonalToken.NEVER : expiresAt;
        if (newExpiry.getEpochSecond() <= caller.getExpirationTime()) {
            return;
        }
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw ApiException.reauthenticationRequired(
                    "A token that outlives the one making it needs your current password (currentPassword)");
        }
        if (!users.reauthenticate(caller.getName(), currentPassword)) {
            throw ApiException.reauthenticationRequired(UserService.CURRENT_PASSWORD_REFUSED);
        }
    }

    /**
     * Room for one more named token made for {@code owner} in the last hour, created or rotated, revoked ones included:
     * a revoked token stays on the denylist of every replica until it expires, so a loop of rotations or of creations
     * and revocations must not be able to grow it without bound. Called under the owner's row lock, so concurrent
     * requests count exactly. Past the limit, 429 with the seconds until enough of the hour's tokens have left it.
     */
    void requireCreationRoom(User owner) {
        Instant now = clock.instant();
        tokens.namedCreatedFreeingRoom(owner.id(), TokenService.TOKEN_ENDPOINT, now.minus(CREATION_WINDOW),
                maxCreatedPerHour).ifPresent(freeing -> {
                    long retryAfter = Math.max(1, Duration.between(now, freeing.plus(CREATION_WINDOW)).toSeconds() + 1);
                    throw new RateLimitedException("You were given " + maxCreatedPerHour
                            + " tokens in the last hour, the most allowed", retryAfter);
                });
    }

    /** Room for one more named token; called under the owner's row lock, so concurrent requests count exactly. */
    void requireRoomFor(User owner) {
        if (tokens.countLiveNamed(owner.id(), TokenService.TOKEN_ENDPOINT, clock.instant()) >= maxPerUser) {
            throw ApiException.conflict("You have " + maxPerUser + " live tokens, the most allowed; revoke one first");
        }
    }
}

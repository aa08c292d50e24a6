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

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.http.IpRange;
import io.apiops.user.Roles;
import io.apiops.user.User;
import io.apiops.user.UserService;

/**
 * The rules a new personal token must meet beyond its fields' syntax: the longest lifetime
 * ({@code apiops.token.max-lifetime}), a scope within the owner's roles, well-formed address limits, the current
 * password for a token that would outlive the token asking for it, and the most live tokens per user
 * ({@code apiops.token.max-per-user}).
 */
@ApplicationScoped
public class TokenPolicy {

    static final String ADDRESS_MESSAGE = "must be IPv4 or IPv6 addresses or CIDR ranges, such as 192.0.2.0/24";

    private final UserService users;
    private final PersonalTokenRepository tokens;
    private final Roles roles;
    private final Optional<Duration> maxLifetime;
    private final int maxPerUser;
    private final Clock clock;

    public TokenPolicy(UserService users, PersonalTokenRepository tokens, Roles roles, Clock clock,
            ApiopsConfig config) {
        this.users = users;
        this.clock = clock;
        this.tokens = tokens;
        this.roles = roles;
        this.maxLifetime = config.token().maxLifetime();
        this.maxPerUser = config.token().maxPerUser();
    }

    /** An expiry within the longest lifetime, when one is set; {@code expiresAt} null means never. */
    void requireLifetime(Instant expiresAt, Instant now) {
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

    /** The scope asked for, in the catalogue's order; null for none. Every role must be one the owner holds. */
    List<String> scope(List<String> requested, List<String> ownerRoles) {
        if (requested == null) {
            return null;
        }
        if (!ownerRoles.containsAll(requested)) {
            throw ApiException.invalidField("roleNameList", "must be roles you hold");
        }
        return roles.known(Set.copyOf(requested));
    }

    /** The address limits asked for, as written, each once; null for none. Each must parse strictly. */
    List<String> addresses(List<String> requested) {
        if (requested == null) {
            return null;
        }
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : requested) {
            String text = entry.strip();
            if (IpRange.parse(text).isEmpty()) {
                throw ApiException.invalidField("allowedAddresses", ADDRESS_MESSAGE);
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
            throw ApiException.reauthenticationRequired("The current password is not correct");
        }
    }

    /** Room for one more named token; called under the owner's row lock, so concurrent requests count exactly. */
    void requireRoomFor(User owner) {
        if (tokens.countLiveNamed(owner.id(), TokenService.TOKEN_ENDPOINT, clock.instant()) >= maxPerUser) {
            throw ApiException.conflict("You have " + maxPerUser + " live tokens, the most allowed; revoke one first");
        }
    }
}

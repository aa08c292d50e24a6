package io.apiops.bearer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

import io.apiops.http.IpRange;

/**
 * What the bearer check needs to know of one verified token beyond its signature, read once from its claims when it
 * is first verified and kept with it in {@link VerifiedTokens}: whose it is, the roles it was scoped to, the client
 * addresses it may be used from. Beside them sits the identity last derived for it, tagged with the
 * {@link OwnerRoles#version()} it was derived at, so that a request costs no derivation while no role changes.
 */
public final class TokenFacts {

    /** The identity attribute that holds these facts. */
    static final String ATTRIBUTE = "apiops.token-facts";

    /** The claim of a scoped token: its roles, space-separated (RFC 8693's {@code scope}). */
    public static final String SCOPE = "scope";

    /** The claim of an address-limited token: the addresses and CIDR ranges it may be used from. */
    public static final String ALLOWED_ADDRESSES = "allowed_addresses";

    private final String jti;
    private final String username;
    private final Set<String> issuedRoles;
    private final Set<String> scope;
    private final List<IpRange> allowedAddresses;
    private final List<String> allowedAddressTexts;
    private final long expiresAt;

    private record Derived(SecurityIdentity identity, long version) {
    }

    private volatile Derived derived;

    private record Allowed(InetAddress address, boolean allowed) {
    }

    private volatile Allowed lastAllowed;

    private TokenFacts(String jti, String username, Set<String> issuedRoles, Set<String> scope,
            List<IpRange> allowedAddresses, List<String> allowedAddressTexts, long expiresAt) {
        this.allowedAddressTexts = allowedAddressTexts;
        this.jti = jti;
        this.username = username;
        this.issuedRoles = issuedRoles;
        this.scope = scope;
        this.allowedAddresses = allowedAddresses;
        this.expiresAt = expiresAt;
    }

    /**
     * The facts of a verified token; null when its claims are not what this service issues (a malformed scope or
     * address list), which the bearer check treats as an invalid token.
     */
    static TokenFacts of(JsonWebToken token) {
        Set<String> scope = null;
        Object scopeClaim = token.getClaim(SCOPE);
        if (scopeClaim != null) {
            String text = scopeClaim instanceof JsonString json ? json.getString() : scopeClaim.toString();
            scope = text.isBlank() ? Set.of() : Set.of(text.strip().split(" +"));
        }
        List<IpRange> ranges = null;
        List<String> texts = null;
        Object addressClaim = token.getClaim(ALLOWED_ADDRESSES);
        if (addressClaim != null) {
            ranges = new ArrayList<>();
            texts = List.copyOf(strings(addressClaim));
            for (String entry : texts) {
                IpRange range = IpRange.parse(entry).orElse(null);
                if (range == null) {
                    return null;
                }
                ranges.add(range);
            }
            ranges = List.copyOf(ranges);
        }
        Set<String> groups = token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
        return new TokenFacts(token.getTokenID(), token.getName(), groups, scope, ranges, texts,
                token.getExpirationTime());
    }

    private static List<String> strings(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                values.add(value instanceof JsonString text ? text.getString() : value.toString());
            }
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(value -> values.add(String.valueOf(value)));
        } else {
            values.add(String.valueOf(claim));
        }
        return values;
    }

    /** The facts attached to a verified identity, or null. */
    public static TokenFacts of(SecurityIdentity identity) {
        return identity.getAttribute(ATTRIBUTE);
    }

    public String jti() {
        return jti;
    }

    /** The roles the token was scoped to, or null for an unscoped token. */
    public Set<String> scope() {
        return scope;
    }

    /** The address limits as the token carries them, or null for none. */
    public List<String> allowedAddresses() {
        return allowedAddressTexts;
    }

    /**
     * Whether every address of {@code range} is one this token may be used from: a token may hand on no more reach
     * than it has.
     */
    public boolean covers(IpRange range) {
        return allowedAddresses == null || allowedAddresses.stream().anyMatch(limit -> limit.covers(range));
    }

    long expiresAt() {
        return expiresAt;
    }

    boolean limitsAddresses() {
        return allowedAddresses != null;
    }

    /** Whether the token may be used from {@code address} (unknown when the connection has none). */
    boolean allows(Optional<InetAddress> address) {
        if (allowedAddresses == null) {
            return true;
        }
        if (address.isEmpty()) {
            return false;
        }
        InetAddress client = address.get();
        // A connection hands over the same address object on every request: its answer is kept.
        Allowed last = lastAllowed;
        if (last != null && last.address() == client) {
            return last.allowed();
        }
        boolean allowed = false;
        for (IpRange range : allowedAddresses) {
            if (range.contains(client)) {
                allowed = true;
                break;
            }
        }
        lastAllowed = new Allowed(client, allowed);
        return allowed;
    }

    /**
     * The token's roles now: its scope (all roles when it has none) intersected with the owner's current roles, in
     * no particular order. An owner this replica has not heard of counts with the roles the token was issued with.
     */
    Set<String> roles(OwnerRoles owners) {
        Set<String> owned = owners.of(username);
        if (owned == null) {
            owned = issuedRoles;
        }
        if (scope == null) {
            return owned;
        }
        Set<String> roles = new LinkedHashSet<>(scope);
        roles.retainAll(owned);
        return Set.copyOf(roles);
    }

    /** The identity last derived at {@code version}, or null. */
    SecurityIdentity derivedAt(long version) {
        Derived current = derived;
        return current != null && current.version() == version ? current.identity() : null;
    }

    void derived(SecurityIdentity identity, long version) {
        derived = new Derived(identity, version);
    }
}

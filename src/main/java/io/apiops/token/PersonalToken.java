package io.apiops.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.apiops.user.User;

/** The record of one issued token: who owns it, what it is called, when it ends. Never the token itself. */
@Entity
@Table(name = "personal_token")
public class PersonalToken {

    /**
     * The {@code exp} of a token that never expires. JWT verification insists on an {@code exp}, so "never" is the
     * last second of year 9999.
     */
    public static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private UUID jti;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    private User owner;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    /** Null for a token that never expires. */
    @Column(name = "expires_at", updatable = false)
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "last_used_address")
    private String lastUsedAddress;

    @Column(name = "last_used_user_agent")
    private String lastUsedUserAgent;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "revoked_reason")
    private String revokedReason;

    /** Null: all of the owner's roles at each use. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "role_names", updatable = false, columnDefinition = "text[]")
    private String[] roleNames;

    /** Null: any client address. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_addresses", updatable = false, columnDefinition = "text[]")
    private String[] allowedAddresses;

    /** The jti of the first token of this token's rotation chain; its own when it was not made by rotation. */
    @Column(name = "chain_id", nullable = false, updatable = false)
    private UUID chainId;

    protected PersonalToken() {
    }

    /**
     * A new token; {@code roleNames} and {@code allowedAddresses} null mean all of the owner's roles and any address,
     * {@code expiresAt} null that it never expires.
     */
    static PersonalToken issue(User owner, String name, Instant now, Instant expiresAt, List<String> roleNames,
            List<String> allowedAddresses) {
        PersonalToken token = new PersonalToken();
        token.jti = UUID.randomUUID();
        token.chainId = token.jti;
        token.owner = owner;
        token.name = name;
        token.createdAt = now;
        token.expiresAt = expiresAt;
        token.roleNames = roleNames == null ? null : roleNames.toArray(String[]::new);
        token.allowedAddresses = allowedAddresses == null ? null : allowedAddresses.toArray(String[]::new);
        return token;
    }

    /** Makes a token not yet recorded part of {@code chain}. */
    void joinChain(UUID chain) {
        if (id != null) {
            throw new IllegalStateException("A recorded token keeps its chain");
        }
        chainId = chain;
    }

    /** The token that replaces this one: same owner, name, roles and addresses, the same chain. */
    PersonalToken successor(Instant now, Instant expiresAt) {
        PersonalToken next = issue(owner, name, now, expiresAt, roleNames(), allowedAddresses());
        next.chainId = chainId;
        return next;
    }

    /**
     * Marks the token revoked, for {@code reason} ({@code revoked}, {@code rotated}, {@code reuse_detected}, ...);
     * true when this call revoked it, false when it already was.
     */
    boolean revoke(Instant now, String reason) {
        if (revokedAt != null) {
            return false;
        }
        revokedAt = now;
        revokedReason = reason;
        return true;
    }

    /** Whether the token still verifies at {@code now}: not revoked and not expired. */
    boolean isLive(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** The {@code exp} the token carries. */
    Instant tokenExpiry() {
        return expiresAt == null ? NEVER : expiresAt;
    }

    public UUID jti() {
        return jti;
    }

    public User owner() {
        return owner;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public String revokedReason() {
        return revokedReason;
    }

    public String lastUsedAddress() {
        return lastUsedAddress;
    }

    public String lastUsedUserAgent() {
        return lastUsedUserAgent;
    }

    /** The roles the token was scoped to, or null for all of the owner's. */
    public List<String> roleNames() {
        return roleNames == null ? null : List.of(roleNames);
    }

    /** The client addresses and ranges the token may be used from, or null for any. */
    public List<String> allowedAddresses() {
        return allowedAddresses == null ? null : List.of(allowedAddresses);
    }

    public UUID chainId() {
        return chainId;
    }
}

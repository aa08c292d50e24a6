package io.apiops.token;

import java.time.Instant;
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

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected PersonalToken() {
    }

    static PersonalToken issue(User owner, String name, Instant now, Instant expiresAt) {
        PersonalToken token = new PersonalToken();
        token.jti = UUID.randomUUID();
        token.owner = owner;
        token.name = name;
        token.createdAt = now;
        token.expiresAt = expiresAt;
        return token;
    }

    /** Marks the token revoked; true when this call revoked it, false when it already was. */
    boolean revoke(Instant now) {
        if (revokedAt != null) {
            return false;
        }
        revokedAt = now;
        return true;
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
}

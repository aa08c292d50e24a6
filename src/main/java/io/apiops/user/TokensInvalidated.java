package io.apiops.user;

/**
 * Fired, inside the transaction that makes the change, when a user's existing tokens must stop working: the user was
 * disabled, deleted, locked by an administrator, lost a role, or got a new password.
 */
public record TokensInvalidated(long userId, String username, String reason) {
}

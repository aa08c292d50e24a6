package io.apiops.user;

/**
 * Something that happened to an account, fired synchronously inside the transaction that made it happen (when there
 * is one), so that whatever observes it (the audit trail, token revocation) commits or rolls back with it.
 *
 * @param userId the account's id, or null for a login attempt on a name that does not exist
 * @param username the account's name, or the name that was tried
 * @param detail what else is worth knowing (a failure's cause, a token's id); never a secret
 */
public record AccountEvent(Type type, Long userId, String username, String detail) {

    public enum Type {
        LOGIN_SUCCEEDED(false),
        LOGIN_FAILED(false),
        LOCKED_OUT(false),
        UNLOCKED(false),
        LOCKED(true),
        USER_CREATED(false),
        USER_UPDATED(false),
        USER_DISABLED(true),
        ROLE_REMOVED(false),
        USER_DELETED(true),
        PASSWORD_SET(true),
        PASSWORD_CHANGED(true),
        TOKEN_CREATED(false),
        TOKEN_REVOKED(false),
        TOKEN_ROTATED(false),
        TOKEN_EXPIRY_NOTICE_SENT(false);

        private final boolean endsTokens;

        Type(boolean endsTokens) {
            this.endsTokens = endsTokens;
        }

        /** True when the user's existing tokens must stop working. */
        public boolean endsTokens() {
            return endsTokens;
        }
    }

    /** Why a login failed; the label of {@code apiops_login_failures_total}. */
    public enum FailureCause {
        UNKNOWN_USER, WRONG_PASSWORD, DISABLED, LOCKED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

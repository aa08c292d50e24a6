package io.apiops.user;

import java.util.Set;

/**
 * A user's roles changed, fired synchronously inside the transaction that changed them, so that whatever keeps a copy
 * of them (the bearer check on every replica) hears of it exactly when the change commits.
 *
 * @param roles the user's roles from now on
 */
public record RolesChanged(String username, Set<String> roles) {
}

package io.apiops.user;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.apiops.config.ApiopsConfig;

/**
 * The role catalogue ({@code apiops.roles}): every role a user can hold and a token can be scoped to, in the order the
 * configuration lists them. Roles travel in a token's {@code groups} claim. Only {@code ROLE_ADMIN} means something to
 * this service itself; the others are for the Management API that trusts its tokens.
 */
@Singleton
public class Roles {

    public static final String ADMIN = "ROLE_ADMIN";

    /** What a role name may look like; the database's own check says the same. */
    static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final List<String> all;
    private final String description;

    @Inject
    public Roles(ApiopsConfig config) {
        this(config.roles());
    }

    Roles(Collection<String> configured) {
        Set<String> names = new LinkedHashSet<>();
        for (String role : configured) {
            String name = role.strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("apiops.roles: '" + name + "' is not a role name (upper case "
                        + "letters, digits and underscores, starting with a letter, at most 64 characters)");
            }
            names.add(name);
        }
        if (!names.contains(ADMIN)) {
            throw new IllegalArgumentException("apiops.roles must include " + ADMIN);
        }
        this.all = List.copyOf(names);
        this.description = "must be one of " + String.join(", ", all);
    }

    /** Every role, in the catalogue's order. */
    public List<String> all() {
        return all;
    }

    public boolean contains(String role) {
        return role != null && all.contains(role);
    }

    /** The roles of {@code held} that the catalogue knows, in the catalogue's order. */
    public List<String> known(Collection<String> held) {
        return all.stream().filter(held::contains).toList();
    }

    /** The validation message for a role outside the catalogue. */
    public String mustBeOneOf() {
        return description;
    }
}

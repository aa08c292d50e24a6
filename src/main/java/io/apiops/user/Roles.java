package io.apiops.user;

import java.util.List;

/** The roles a user can hold; they travel in the token's {@code groups} claim. */
public final class Roles {

    public static final String ADMIN = "ROLE_ADMIN";
    public static final String MANAGE_PROXIES = "ROLE_MANAGE_PROXIES";
    public static final String DEPLOY_UNDEPLOY_PROXIES = "ROLE_DEPLOY_UNDEPLOY_PROXIES";
    public static final String API_SECURITY = "ROLE_API_SECURITY";

    /** Every role, in the order the documentation lists them. */
    public static final List<String> ALL = List.of(ADMIN, MANAGE_PROXIES, DEPLOY_UNDEPLOY_PROXIES, API_SECURITY);

    /** A regular expression matching exactly one role name, for Bean Validation. */
    static final String PATTERN = "ROLE_ADMIN|ROLE_MANAGE_PROXIES|ROLE_DEPLOY_UNDEPLOY_PROXIES|ROLE_API_SECURITY";

    private Roles() {
    }
}

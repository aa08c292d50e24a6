package io.apiops;

import java.util.List;

/** The roles of the default catalogue ({@code apiops.roles} unset), in its order, as the tests expect them. */
public final class DefaultRoles {

    public static final String ADMIN = "ROLE_ADMIN";
    public static final String MANAGE_PROXIES = "ROLE_MANAGE_PROXIES";
    public static final String MANAGE_PROXY_GROUPS = "ROLE_MANAGE_PROXY_GROUPS";
    public static final String DEPLOY_UNDEPLOY_PROXIES = "ROLE_DEPLOY_UNDEPLOY_PROXIES";
    public static final String API_SECURITY = "ROLE_API_SECURITY";

    public static final List<String> ALL = List.of(ADMIN, MANAGE_PROXIES, MANAGE_PROXY_GROUPS,
            DEPLOY_UNDEPLOY_PROXIES, API_SECURITY);

    private DefaultRoles() {
    }
}

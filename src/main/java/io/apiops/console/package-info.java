/**
 * The web console at {@code /apiops/console/}: static files under {@code META-INF/resources/apiops/console}, and
 * {@link ConsoleRoutes}, which gives every console response its security headers.
 */
package io.apiops.console;

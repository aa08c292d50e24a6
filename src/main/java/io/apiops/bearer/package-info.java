/**
 * The bearer check: the verified-token cache and the revocation state every replica keeps in memory. Entry point:
 * {@link io.apiops.bearer.CachedBearerMechanism}.
 */
package io.apiops.bearer;

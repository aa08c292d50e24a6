/**
 * The bearer check: the verified-token cache and the revocation state every replica keeps in memory. Entry point:
 * {@link io.apiops.bearer.CachedBearerMechanism}, with {@link io.apiops.bearer.KnownBearerRoute} as its fast path for
 * tokens verified before.
 */
package io.apiops.bearer;

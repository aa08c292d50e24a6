/**
 * Signing and verification keys, the JWKS, RFC 8414 metadata and the signing self-test. Entry point:
 * {@link io.apiops.keys.SigningKeys}.
 */
package io.apiops.keys;

/**
 * Personal tokens: the record, issuing, listing, revocation and last use. Entry point:
 * {@link io.apiops.token.TokenService}.
 */
package io.apiops.token;

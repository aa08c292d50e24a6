/**
 * Personal tokens: the record, issuing under the token policy, scopes and address limits, rotation, listing and the
 * administrators' inventory, revocation and last use. Entry point: {@link io.apiops.token.TokenService}.
 */
package io.apiops.token;

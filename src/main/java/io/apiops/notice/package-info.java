/**
 * Expiry notices: the mail each named personal token's owner gets before it expires and once it has, claimed
 * exactly once across replicas. Entry point: {@link io.apiops.notice.ExpiryNotices}.
 */
package io.apiops.notice;

package io.apiops.bearer;

import java.util.UUID;

/**
 * What the bearer check does when a token that was revoked by rotation is presented again: someone holds a copy of a
 * token its owner has replaced, so the whole chain, the newest token included, is revoked.
 */
public interface RotationReuse {

    /** Revokes every token of {@code chain} still live; runs on a worker thread, in a transaction of its own. */
    void revokeChain(UUID chain, String presentedJti);
}

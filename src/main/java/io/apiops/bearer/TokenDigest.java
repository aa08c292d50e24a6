package io.apiops.bearer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The SHA-256 digest of a token's text, the key under which the bearer check remembers it: 32 bytes, no text. */
record TokenDigest(long a, long b, long c, long d) {

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    });

    static TokenDigest of(String token) {
        // Compact JWS text is ASCII, which the bearer check has made sure of before any digest is taken.
        ByteBuffer digest = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.US_ASCII)));
        return new TokenDigest(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }
}

package io.apiops.bearer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;

/** The SHA-256 digest of a token's text, the key under which the bearer check remembers it: 32 bytes, no text. */
record TokenDigest(long a, long b, long c, long d) {

    /**
     * The JDK's own SHA-256, whose compression function the JIT replaces with the processor's SHA instructions. The
     * native provider that signs tokens would otherwise be the first choice, and for a few hundred bytes its call
     * into native code costs more than the digest (about 1.4 times the JDK's per token here).
     */
    private static final String PROVIDER = "SUN";

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(TokenDigest::sha256);

    static TokenDigest of(String token) {
        // The tokens the cache holds passed the syntax check, so they are base64url and dots: ISO-8859-1 gives their
        // ASCII bytes, copied out of the string without a check per byte. Any other text (the fast path looks up
        // unchecked header values) has a byte no held token has, above 0x7F or '?' for what ISO-8859-1 lacks, and
        // cannot match one.
        ByteBuffer digest = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.ISO_8859_1)));
        return new TokenDigest(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }

    private static MessageDigest sha256() {
        try {
            try {
                return MessageDigest.getInstance("SHA-256", PROVIDER);
            } catch (NoSuchProviderException e) {
                return MessageDigest.getInstance("SHA-256");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}

package io.apiops.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/**
 * The verified-token cache's key: the SHA-256 of the token's ASCII text, and no other text's. The router's fast path
 * looks up header values before any syntax check, so a value that differs from a held token only in characters a
 * token cannot have must not find it.
 */
class TokenDigestTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String TOKEN = B64.encodeToString(utf8("{\"alg\":\"RS256\",\"kid\":\"k\"}")) + "."
            + B64.encodeToString(utf8("{\"sub\":\"alice\"}")) + "." + B64.encodeToString(new byte[256]);

    @Test
    void shouldBeTheSha256OfTheTokensAsciiText() throws Exception {
        ByteBuffer expected = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.US_ASCII)));

        assertThat(TokenDigest.of(TOKEN)).isEqualTo(new TokenDigest(expected.getLong(), expected.getLong(),
                expected.getLong(), expected.getLong()));
    }

    @Test
    void shouldNotMatchATokenSpelledWithCharactersATokenCannotHave() {
        TokenDigest held = TokenDigest.of(TOKEN);
        // Latin-1 letters, characters beyond Latin-1 (which an encoder replaces), and the replacement's own '?'.
        for (String stray : new String[] { "\u00e9", "\u00ff", "\u20ac", "\ud83d\ude00", "?", "\u0000" }) {
            for (int at : new int[] { 0, TOKEN.indexOf('.'), TOKEN.length() - 1 }) {
                String spelled = TOKEN.substring(0, at) + stray + TOKEN.substring(at + 1);
                assertThat(TokenDigest.of(spelled)).as("%s at %d", stray, at).isNotEqualTo(held);
            }
        }
        assertThat(TokenDigest.of(TOKEN + "\u20ac")).isNotEqualTo(held);
    }

    @Test
    void shouldGiveTwoSpellingsOfOneStrayTheSameKeyButNeverAHeldTokensOne() {
        // Beyond Latin-1 both become '?': a collision between two texts that are not tokens, and harmless, since no
        // token holds a '?'; this pins that the replacement stays a character outside base64url.
        String euro = TOKEN.substring(0, 5) + "\u20ac" + TOKEN.substring(6);
        String question = TOKEN.substring(0, 5) + "?" + TOKEN.substring(6);
        assertThat(TokenDigest.of(euro)).isEqualTo(TokenDigest.of(question));
        assertThat(CompactJws.isCanonical(question)).isFalse();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

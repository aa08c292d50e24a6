package io.apiops.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

class Blake2bTest {

    /** RFC 7693, appendix A. */
    @Test
    void shouldMatchTheRfcExample() {
        assertThat(HexFormat.of().formatHex(Blake2b.digest("abc".getBytes(StandardCharsets.US_ASCII), 64)))
                .isEqualTo("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    }

    @Test
    void shouldDigestTheEmptyInput() {
        assertThat(HexFormat.of().formatHex(Blake2b.digest(new byte[0], 64)))
                .isEqualTo("786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                        + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
    }

    /** Every block boundary case up to three blocks and every digest length, against an independent implementation. */
    @Test
    void shouldAgreeWithBouncyCastle() {
        Random random = new Random(7693);
        for (int length = 0; length <= 3 * 128 + 1; length++) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            int digestBytes = 1 + length % 64;
            assertThat(Blake2b.digest(input, digestBytes)).as("%d bytes in, %d out", length, digestBytes)
                    .isEqualTo(reference(input, digestBytes));
        }
    }

    @Test
    void shouldRefuseDigestLengthsBlake2bDoesNotHave() {
        assertThatIllegalArgumentException().isThrownBy(() -> Blake2b.digest(new byte[1], 0));
        assertThatIllegalArgumentException().isThrownBy(() -> Blake2b.digest(new byte[1], 65));
    }

    private static byte[] reference(byte[] input, int digestBytes) {
        Blake2bDigest digest = new Blake2bDigest(digestBytes * 8);
        digest.update(input, 0, input.length);
        byte[] out = new byte[digestBytes];
        digest.doFinal(out, 0);
        return out;
    }
}

package io.apiops.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bearer syntax on its own: what a lenient base64 decoder would take, and the strict check refuses. */
class CompactJwsTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** Segments of lengths 0, 2 and 3 modulo 4, the three lengths unpadded base64url can have. */
    private static final String T = B64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
            + B64.encodeToString("{\"sub\":\"a\"}".getBytes(StandardCharsets.UTF_8)) + "."
            + B64.encodeToString(new byte[256]);

    @Test
    void shouldAcceptExactlyOneCompactJws() {
        assertThat(CompactJws.fromHeader("Bearer " + T)).isEqualTo(T);
    }

    @ParameterizedTest
    @ValueSource(strings = { "!!!!", "====AAAA", "=", "==", "====", ".", ".x", " ", "\t", "%3D", "+", "/" })
    void shouldRefuseAnythingAppended(String suffix) {
        assertThat(CompactJws.fromHeader("Bearer " + T + suffix)).isNull();
    }

    @Test
    void shouldRefuseStrayCharactersInsideASegment() {
        String[] parts = T.split("\\.");
        for (String stray : new String[] { "=", "+", "/", " ", "\t", "*", "\u00e9", "\u0000", "\n" }) {
            assertThat(CompactJws.fromHeader("Bearer " + parts[0] + stray + "." + parts[1] + "." + parts[2]))
                    .as("stray %s", stray).isNull();
        }
    }

    @Test
    void shouldRefuseAFlood() {
        assertThat(CompactJws.fromHeader("Bearer " + T + "*".repeat(15_000))).isNull();
    }

    @Test
    void shouldRefuseNonCanonicalTrailingBits() {
        // 256 zero bytes end in "AA" (length 2 mod 4): "AB" decodes to the same bytes under a lenient decoder.
        String lenient = T.substring(0, T.length() - 1) + "B";
        assertThat(Base64.getUrlDecoder().decode(lenient.split("\\.")[2])).isEqualTo(new byte[256]);
        assertThat(CompactJws.fromHeader("Bearer " + lenient)).isNull();
    }

    @Test
    void shouldRefuseImpossibleSegmentLengthsAndEmptySegments() {
        String[] parts = T.split("\\.");
        assertThat(CompactJws.fromHeader("Bearer " + parts[0] + "." + parts[1] + "." + parts[2] + "AAA")).isNull();
        assertThat(CompactJws.fromHeader("Bearer " + parts[0] + "." + parts[1] + ".")).isNull();
        assertThat(CompactJws.fromHeader("Bearer " + parts[0] + ".." + parts[2])).isNull();
        assertThat(CompactJws.fromHeader("Bearer " + parts[0] + "." + parts[1])).isNull();
        assertThat(CompactJws.fromHeader("Bearer " + T + "." + parts[1])).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "bearer ", "BEARER ", "Bearer  ", "Bearer\t", "Bearer", " Bearer ", "Basic ", "" })
    void shouldRefuseAnyOtherSchemeSpelling(String prefix) {
        assertThat(CompactJws.fromHeader(prefix + T)).isNull();
    }

    @Test
    void shouldAcceptEightKibibytesAndNotOneCharacterMore() {
        String[] parts = T.split("\\.");
        String prefix = parts[0] + "." + parts[1] + ".";
        // 37 + 8155 characters, the last segment 3 modulo 4; then 37 + 8156, 0 modulo 4: canonical both.
        String exact = prefix + "A".repeat(CompactJws.MAX_LENGTH - prefix.length());
        String over = exact + "A";
        assertThat(exact).hasSize(8192);
        assertThat(CompactJws.fromHeader("Bearer " + exact)).isEqualTo(exact);
        assertThat(over).hasSize(8193);
        assertThat(CompactJws.fromHeader("Bearer " + over)).isNull();
    }
}

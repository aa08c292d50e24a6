package io.apiops.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The rules of the password policy, against nbvcxz's real list and against a one-word list for exact bounds. */
class PasswordPolicyTest {

    private static final BreachedPasswords LIST = BreachedPasswords.load();
    private static final PasswordPolicy POLICY = new PasswordPolicy(12, LIST);
    private static final PasswordPolicy SUNSHINE = new PasswordPolicy(12, BreachedPasswords.of(List.of("Sunshine")));

    private static final String SHORT = "must be at least 12 characters long";
    private static final String LONG = "must be at most 1024 characters long";
    private static final String LISTED = "is too common: it is on a list of breached passwords";
    private static final String NAME = "must not be the username, nor the username with a few characters added";
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void shouldHoldEveryEntryOfTheHundredThousandPasswordList() throws Exception {
        List<String> source;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                getClass().getClassLoader().getResourceAsStream(BreachedPasswords.RESOURCE), StandardCharsets.UTF_8))) {
            source = reader.lines().toList();
        }
        assertThat(source).hasSizeGreaterThanOrEqualTo(100_000);
        // Case-insensitively the 100 001 lines hold fewer distinct passwords (Password and password are one).
        assertThat(LIST.size()).isGreaterThan(95_000);
        for (String entry : source) {
            assertThat(LIST.contains(entry.strip().toLowerCase(java.util.Locale.ROOT))).as(entry).isTrue();
        }
        assertThat(LIST.contains("")).isFalse();
        assertThat(LIST.contains(UUID.randomUUID().toString())).isFalse();
    }

    @Test
    void shouldLoadTheListQuicklyIntoLittleMemory() {
        long start = System.nanoTime();
        BreachedPasswords list = BreachedPasswords.load();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("breached list: %d entries, %d bytes, loaded in %d ms%n", list.size(), list.heapBytes(),
                millis);
        assertThat(list.heapBytes()).isLessThan(2L * 1024 * 1024);
    }

    @Test
    void shouldAcceptLongRandomPasswords() {
        for (int i = 0; i < 100; i++) {
            assertThat(POLICY.problem(UUID.randomUUID().toString(), "someone")).isEmpty();
        }
        assertThat(POLICY.problem("Tr0ub4dor&3-horse", "someone")).isEmpty();
    }

    @Test
    void shouldCountCodePointsNotUtf16Units() {
        assertThat(POLICY.problem("abcdefghijk", "x")).contains(SHORT);
        assertThat(POLICY.problem("zq8!Wm2#pL4x", "x")).isEmpty();
        // Eleven emoji are 22 UTF-16 units but eleven characters; twelve are enough.
        assertThat(POLICY.problem(EMOJI.repeat(11), "x")).contains(SHORT);
        assertThat(POLICY.problem(EMOJI.repeat(12), "x")).isEmpty();
        assertThat(new PasswordPolicy(6, LIST).problem(EMOJI.repeat(6), "x")).isEmpty();
        assertThat(new PasswordPolicy(6, LIST).problem(EMOJI.repeat(5), "x")).contains(
                "must be at least 6 characters long");
    }

    @Test
    void shouldAcceptExactlyMaxLengthCodePoints() {
        assertThat(POLICY.problem("x".repeat(1023) + "y", "someone")).isEmpty();
        assertThat(POLICY.problem(EMOJI.repeat(1024), "someone")).isEmpty();
        assertThat(POLICY.problem("x".repeat(1025), "someone")).contains(LONG);
        assertThat(POLICY.problem(EMOJI.repeat(1025), "someone")).contains(LONG);
        assertThat(POLICY.problem("x".repeat(64 * 1024), "someone")).contains(LONG);
    }

    @Test
    void shouldRefuseControlCharactersAndBrokenUnicode() {
        assertThat(POLICY.problem("correct\u0000battery-staple", "x")).contains("must not contain control characters");
        assertThat(POLICY.problem("\u0000".repeat(16), "x")).contains("must not contain control characters");
        assertThat(POLICY.problem("correct\nbattery-staple", "x")).contains("must not contain control characters");
        assertThat(POLICY.problem("correct\u007fbattery-staple", "x")).contains("must not contain control characters");
        assertThat(POLICY.problem("correct\u0085battery-staple", "x")).contains("must not contain control characters");
        assertThat(POLICY.problem("correct-battery\uD83D", "x")).contains("must be valid Unicode text");
        assertThat(POLICY.problem("correct-\uDE00battery", "x")).contains("must be valid Unicode text");
        assertThat(POLICY.problem("\uDE00\uD83Dcorrect-battery", "x")).contains("must be valid Unicode text");
    }

    @Test
    void shouldRefuseListedPasswordsWhateverTheirCase() {
        assertThat(LIST.contains("password")).isTrue();
        assertThat(POLICY.problem("qwertyuiop123", "x")).contains(LISTED);
        assertThat(POLICY.problem("QwertyUIOP123", "x")).contains(LISTED);
        assertThat(POLICY.problem("correct horse battery staple", "x")).contains(LISTED);
        assertThat(POLICY.problem("CorrectHorseBatteryStaple", "x")).contains(LISTED);
    }

    @Test
    void shouldRefuseListedPasswordsPaddedWithUpToFourDigitsOrSymbols() {
        assertThat(POLICY.problem("Password123!", "x")).contains(LISTED);
        assertThat(POLICY.problem("PASSWORD1234", "x")).contains(LISTED);
        assertThat(POLICY.problem("password    ", "x")).contains(LISTED);
        assertThat(POLICY.problem("!!!!password", "x")).contains(LISTED);
        assertThat(POLICY.problem("12password34", "x")).contains(LISTED);
        assertThat(POLICY.problem("baseball2024", "x")).contains(LISTED);
        assertThat(POLICY.problem("iloveyou!!!!", "x")).contains(LISTED);
    }

    @Test
    void shouldStripAtMostFourAndOnlyDigitsOrSymbols() {
        assertThat(SUNSHINE.problem("sunshine1234", "x")).contains(LISTED);
        assertThat(SUNSHINE.problem("SunShine!@#$", "x")).contains(LISTED);
        assertThat(SUNSHINE.problem("#$%&sunshine", "x")).contains(LISTED);
        assertThat(SUNSHINE.problem("1234sunshine5678", "x")).contains(LISTED);
        assertThat(SUNSHINE.problem("sunshine\u20ac\u00a7\u00b1\u00b2", "x")).contains(LISTED);
        assertThat(SUNSHINE.problem("sunshine12345", "x")).isEmpty();
        assertThat(SUNSHINE.problem("12345sunshine", "x")).isEmpty();
        assertThat(SUNSHINE.problem("sunshineabcd", "x")).isEmpty();
        assertThat(SUNSHINE.problem("sunshine12a4", "x")).isEmpty();
        assertThat(SUNSHINE.problem("sun-shine1234", "x")).isEmpty();
    }

    @Test
    void shouldRefuseTheUsernameAndTheUsernameWithUpToFourCharactersAdded() {
        String username = "margaret.hamilton";
        assertThat(POLICY.problem("margaret.hamilton", username)).contains(NAME);
        assertThat(POLICY.problem("Margaret.Hamilton", username)).contains(NAME);
        assertThat(POLICY.problem("margaret.hamilton1969", username)).contains(NAME);
        assertThat(POLICY.problem("!!margaret.hamilton!!", username)).contains(NAME);
        assertThat(POLICY.problem("margaret.-_-hamilton!", username)).contains(NAME);
        assertThat(POLICY.problem("margaret.hamilton19690", username)).isEmpty();
        assertThat(POLICY.problem("hamilton.margaret", username)).isEmpty();
        assertThat(POLICY.problem("margaret.hamilto", username)).isEmpty();
        // Case folding applies to the username too, in any script.
        assertThat(POLICY.problem("ΑΘΗΝΑ-ΚΑΛΗΜΕΡΑ!",
                "αθηνα-καλημερα")).contains(NAME);
        assertThat(POLICY.problem(EMOJI.repeat(12) + "1", EMOJI.repeat(12))).contains(NAME);
    }

    @Test
    void shouldNameTheFirstRuleBroken() {
        assertThat(POLICY.problem("password", "password")).contains(SHORT);
        assertThat(POLICY.problem("password1234", "password1234")).contains(NAME);
    }
}

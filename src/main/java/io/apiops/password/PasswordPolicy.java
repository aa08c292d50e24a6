package io.apiops.password;

import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;

/**
 * The rules every new password must meet (OWASP ASVS 4 V2.1, NIST SP 800-63B): a length in code points, no control
 * characters, not the username, not a breached or common password. Passwords are only checked when they are set, so
 * those set before the policy keep working.
 */
@Singleton
@Startup
public class PasswordPolicy {

    /** The longest password, in code points. */
    public static final int MAX_LENGTH = 1024;

    public static final String TOO_LONG = "must be at most " + MAX_LENGTH + " characters long";

    /** How many characters may be added to the username, or padded onto a listed password, and still be refused. */
    static final int SMALL_CHANGE = 4;

    private final int minLength;
    private final BreachedPasswords breached;

    @Inject
    public PasswordPolicy(ApiopsConfig config) {
        this(config.password().minLength(), loadList());
    }

    PasswordPolicy(int minLength, BreachedPasswords breached) {
        this.minLength = minLength;
        this.breached = breached;
    }

    private static BreachedPasswords loadList() {
        long start = System.nanoTime();
        BreachedPasswords list = BreachedPasswords.load();
        Log.infof("Password policy: %d breached passwords loaded in %d ms (%d KiB)", list.size(),
                (System.nanoTime() - start) / 1_000_000, list.heapBytes() / 1024);
        return list;
    }

    /**
     * Refuses {@code password} with 400 {@code validation_failed} naming {@code field} when it breaks a rule.
     *
     * @param username the account's username, which the password must not be close to
     */
    public void require(String field, String password, String username) {
        Optional<String> problem = problem(password, username);
        if (problem.isPresent()) {
            throw ApiException.invalidField(field, problem.get());
        }
    }

    /** What is wrong with {@code password} for the account {@code username}, as a message for the client. */
    public Optional<String> problem(String password, String username) {
        // Length first and from the char count, so a huge value costs nothing more.
        if (password.length() > 2 * MAX_LENGTH || password.codePointCount(0, password.length()) > MAX_LENGTH) {
            return Optional.of(TOO_LONG);
        }
        if (password.codePointCount(0, password.length()) < minLength) {
            return Optional.of("must be at least " + minLength + " characters long");
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (Character.isISOControl(c)) {
                // A NUL or line break cannot be typed at a login prompt, and a NUL ends a C string: refused outright.
                return Optional.of("must not contain control characters");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < password.length()
                        && Character.isLowSurrogate(password.charAt(i + 1))) {
                    i++;
                } else {
                    // An unpaired surrogate has no UTF-8 form: two different ones would hash alike.
                    return Optional.of("must be valid Unicode text");
                }
            }
        }
        String lowercased = password.toLowerCase(Locale.ROOT);
        if (username != null && closeTo(lowercased, username.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not be the username, nor the username with a few characters added");
        }
        if (isListed(lowercased)) {
            return Optional.of("is too common: it is on a list of breached passwords");
        }
        return Optional.empty();
    }

    /**
     * Whether the password is the username with at most {@value #SMALL_CHANGE} code points inserted anywhere:
     * the username's code points appear in it in order, and it has at most that many more.
     */
    static boolean closeTo(String password, String username) {
        int[] word = password.codePoints().toArray();
        int[] name = username.codePoints().toArray();
        if (name.length == 0 || word.length - name.length > SMALL_CHANGE || word.length < name.length) {
            return false;
        }
        int matched = 0;
        for (int i = 0; i < word.length && matched < name.length; i++) {
            if (word[i] == name[matched]) {
                matched++;
            }
        }
        return matched == name.length;
    }

    /**
     * Whether the list holds the password, or the password without up to {@value #SMALL_CHANGE} digits or symbols at
     * its end or its start: padding a listed password with {@code 123!} adds nothing an attacker's rules do not try.
     */
    private boolean isListed(String lowercased) {
        int[] points = lowercased.codePoints().toArray();
        for (int head = 0; head <= SMALL_CHANGE && head < points.length; head++) {
            if (head > 0 && Character.isLetter(points[head - 1])) {
                break;
            }
            for (int tail = 0; tail <= SMALL_CHANGE && head + tail < points.length; tail++) {
                if (tail > 0 && Character.isLetter(points[points.length - tail])) {
                    break;
                }
                if (breached.contains(new String(points, head, points.length - head - tail))) {
                    return true;
                }
            }
        }
        return false;
    }
}

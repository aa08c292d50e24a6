package io.apiops.notice;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

import io.quarkus.mailer.Mail;

import io.apiops.notice.ExpiryNoticeRepository.Claim;
import io.apiops.notice.ExpiryNoticeRepository.Notice;

/**
 * The text of the expiry notices: short, plain, and made only of the token's name and expiry and where to renew it.
 * There is nothing else to put in: the token's value is never stored, so no mail can carry it.
 */
final class ExpiryNoticeMail {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * Control, format and line-separator characters. A token's name is its owner's free text; one of these in a
     * subject could start a header of its own (a {@code Bcc:}) or reorder what the reader sees.
     */
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

    private ExpiryNoticeMail() {
    }

    static Mail of(Notice notice, Claim claim) {
        String name = printable(claim.name());
        String when = WHEN.format(claim.expiresAt());
        String greeting = "Hello " + printable(claim.username()) + ",\n\n";
        Mail mail = switch (notice) {
            case EXPIRING -> Mail.withText(claim.email(), "Your API token \"" + name + "\" expires on " + when,
                    greeting + "your personal API access token \"" + name + "\" expires on " + when + ".\n"
                            + "Calls made with it are refused from then on.\n\n"
                            + "To keep them working, rotate the token before then: in the console (My Profile,\n"
                            + "Personal API Access Tokens, Rotate), or with POST /apiops/auth/tokens/{id}/rotate,\n"
                            + "where {id} is the token's id in GET /apiops/auth/tokens/.\n\n"
                            + "This notice is sent once per token.\n\n"
                            + "apiops-auth\n");
            case EXPIRED -> Mail.withText(claim.email(), "Your API token \"" + name + "\" has expired",
                    greeting + "your personal API access token \"" + name + "\" expired on " + when + "\n"
                            + "and is refused from now on.\n\n"
                            + "If you still need it, create a new one: in the console (My Profile, Personal API\n"
                            + "Access Tokens, Create API Token), or with POST /apiops/auth/tokens/.\n\n"
                            + "apiops-auth\n");
        };
        // RFC 3834: a machine wrote this; out-of-office replies and the like should not answer it.
        return mail.addHeader("Auto-Submitted", "auto-generated");
    }

    static String printable(String text) {
        return UNPRINTABLE.matcher(text).replaceAll(" ");
    }
}

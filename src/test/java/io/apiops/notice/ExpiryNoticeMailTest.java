package io.apiops.notice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import io.apiops.notice.ExpiryNoticeRepository.Claim;
import io.apiops.notice.ExpiryNoticeRepository.Notice;

/** The text of the notices, and when the service considers SMTP configured. Plain JUnit, no server. */
class ExpiryNoticeMailTest {

    /** How the notices write an instant. */
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final Instant EXPIRY = Instant.parse("2027-03-04T05:06:07Z");

    private static Claim claim(String name) {
        return new Claim(1, UUID.randomUUID(), name, EXPIRY, 2, "alice", "alice@example.com");
    }

    @Test
    void shouldNameTheTokenAndItsExpiryInPlainText() {
        Mail mail = ExpiryNoticeMail.of(Notice.EXPIRING, claim("ci pipeline"));

        assertThat(mail.getTo()).containsExactly("alice@example.com");
        assertThat(mail.getSubject()).isEqualTo("Your API token \"ci pipeline\" expires on 2027-03-04 05:06 UTC");
        assertThat(mail.getText()).startsWith("Hello alice,\n\nyour personal API access token \"ci pipeline\" "
                + "expires on 2027-03-04 05:06 UTC.\n").contains("POST /apiops/auth/tokens/{id}/rotate");
        assertThat(mail.getHtml()).isNull();
        assertThat(mail.getHeaders()).containsEntry("Auto-Submitted", java.util.List.of("auto-generated"));

        Mail expired = ExpiryNoticeMail.of(Notice.EXPIRED, claim("ci pipeline"));
        assertThat(expired.getSubject()).isEqualTo("Your API token \"ci pipeline\" has expired");
        assertThat(expired.getText()).contains("expired on 2027-03-04 05:06 UTC", "POST /apiops/auth/tokens/");
    }

    @Test
    void shouldKeepControlAndLineSeparatorCharactersOutOfSubjectAndText() {
        String name = "a\r\nBcc: x@example.org\u0000\u2028\u2029\u202e\tz";
        Mail mail = ExpiryNoticeMail.of(Notice.EXPIRING, claim(name));

        assertThat(mail.getSubject()).isEqualTo("Your API token \"a  Bcc: x@example.org     z\" expires on "
                + "2027-03-04 05:06 UTC");
        assertThat(mail.getText().lines().filter(line -> line.startsWith("Bcc"))).isEmpty();
        assertThat(ExpiryNoticeMail.printable("plain name, ünïcode ✓")).isEqualTo("plain name, ünïcode ✓");
    }

    @Test
    void shouldConsiderSmtpConfiguredOnlyWhenHostOrPortIsSet() {
        assertThat(ExpiryNotices.smtpConfigured(config(Map.of()))).isFalse();
        assertThat(ExpiryNotices.smtpConfigured(config(Map.of("quarkus.mailer.host", "smtp.example.org")))).isTrue();
        assertThat(ExpiryNotices.smtpConfigured(config(Map.of("quarkus.mailer.port", "2525")))).isTrue();
        assertThat(ExpiryNotices.smtpConfigured(config(Map.of("quarkus.mailer.host", " ")))).isFalse();
    }

    private static SmallRyeConfig config(Map<String, String> operatorSet) {
        return new SmallRyeConfigBuilder()
                .withDefaultValue("quarkus.mailer.host", "localhost")
                .withSources(new PropertiesConfigSource(operatorSet, "application.properties", 250))
                .build();
    }
}

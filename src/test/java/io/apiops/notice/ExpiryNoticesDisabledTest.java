package io.apiops.notice;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The default test profile names no SMTP server, as production does not by default: no notice is mailed. */
@QuarkusTest
class ExpiryNoticesDisabledTest {

    @Inject
    ExpiryNotices notices;

    @Inject
    Config config;

    @Test
    void shouldMailNothingWhenNoSmtpServerIsNamed() {
        // The mailer's own default host is there all the same; it does not count as configured.
        assertThat(config.getValue("quarkus.mailer.host", String.class)).isEqualTo("localhost");
        assertThat(ExpiryNotices.smtpConfigured(config)).isFalse();
        assertThat(notices.enabled()).isFalse();
    }
}

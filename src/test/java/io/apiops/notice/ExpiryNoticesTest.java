package io.apiops.notice;

import static io.apiops.TestUsers.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.apiops.TcpProxy;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.notice.ExpiryNoticeRepository.Claim;
import io.apiops.notice.ExpiryNoticeRepository.Notice;
import io.apiops.user.Roles;
import io.apiops.user.UserService;
import io.apiops.user.UserViews.CreateUser;

/**
 * Expiry notices against a real SMTP server: GreenMail runs in this JVM on a free port, and the service reaches it
 * through a {@link TcpProxy} that a test cuts to take the mail server away. Sweeps run at instants the tests choose.
 */
@QuarkusTest
@TestProfile(ExpiryNoticesTest.WithSmtp.class)
class ExpiryNoticesTest {

    static GreenMail smtp;
    static TcpProxy smtpLink;

    public static class WithSmtp implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    public static class SmtpServer implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            try {
                smtpLink = new TcpProxy("127.0.0.1", smtp.getSmtp().getPort()).start();
            } catch (IOException e) {
                smtp.stop();
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(smtpLink.port()),
                    "quarkus.mailer.from", "apiops-auth <noreply@apiops.test>");
        }

        @Override
        public void stop() {
            try {
                smtpLink.close();
            } catch (IOException e) {
                // going away with the test
            } finally {
                smtp.stop();
            }
        }
    }

    @Inject
    TestUsers users;

    @Inject
    UserService userService;

    @Inject
    ExpiryNotices notices;

    @Inject
    ExpiryNoticeRepository claims;

    @Inject
    EntityManager entityManager;

    @Inject
    Scheduler scheduler;


    @ConfigProperty(name = "quarkus.log.file.path")
    String logFile;

    private record Created(String id, String value) {
    }

    private static Created create(TestUser owner, String name, Instant expireDate) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("expireDate", expireDate == null ? null : expireDate.toString());
        body.put("currentPassword", owner.password());
        var created = bearer(owner.token()).contentType("application/json").body(body)
                .post("/apiops/auth/tokens/").then().statusCode(201).extract();
        return new Created(created.path("id"), created.path("access_token"));
    }

    private static List<MimeMessage> mailTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
            try {
                Address[] to = message.getRecipients(Message.RecipientType.TO);
                return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static List<MimeMessage> mailNaming(String tokenName) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> GreenMailUtil.getWholeMessage(message).contains(tokenName)).toList();
    }

    private static String email(TestUser user) {
        return user.username() + "@example.com";
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Instant> sentAt(String jti, Notice notice) {
        String column = notice == Notice.EXPIRING ? "expiry_notice_sent_at" : "expired_notice_sent_at";
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select " + column + " from personal_token where jti = cast(?1 as uuid)",
                        Instant.class)
                .setParameter(1, jti).getResultList());
        assertThat(rows).hasSize(1);
        return Optional.ofNullable((Instant) rows.get(0));
    }

    @Test
    void shouldMailOnceBeforeExpiryHoweverOftenTheSweepRuns() throws Exception {
        TestUser owner = users.create();
        String name = "deploy-bot-" + UUID.randomUUID();
        Instant expiry = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Created token = create(owner, name, expiry);

        notices.sweep(Instant.now());
        notices.sweep(Instant.now());
        notices.sweep(Instant.now().plus(1, ChronoUnit.DAYS));

        List<MimeMessage> mail = mailTo(email(owner));
        assertThat(mail).hasSize(1);
        MimeMessage notice = mail.get(0);
        String when = ExpiryNoticeMailTest.WHEN.format(expiry);
        assertThat(notice.getSubject()).isEqualTo("Your API token \"" + name + "\" expires on " + when);
        assertThat(notice.getFrom()).extracting(Address::toString).containsExactly("apiops-auth <noreply@apiops.test>");
        assertThat(notice.getAllRecipients()).extracting(Address::toString).containsExactly(email(owner));
        assertThat(notice.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        String body = GreenMailUtil.getBody(notice);
        assertThat(body).contains(name, when, "/apiops/auth/tokens/{id}/rotate");
        String whole = GreenMailUtil.getWholeMessage(notice);
        assertThat(whole).doesNotContain(token.value(), token.id(), token.value().split("\\.")[1],
                token.value().split("\\.")[2]);
        assertThat(sentAt(token.id(), Notice.EXPIRING)).isPresent();
        assertThat(sentAt(token.id(), Notice.EXPIRED)).isEmpty();

        String admin = users.create(Roles.ADMIN).token();
        bearer(admin).queryParam("user", owner.username()).queryParam("type", "TOKEN_EXPIRY_NOTICE_SENT")
                .get("/apiops/audit/")
                .then().statusCode(200)
                .body("resultCount", equalTo(1))
                .body("resultList[0].actor", equalTo("system"))
                .body("resultList[0].subject", equalTo(owner.username()))
                .body("resultList[0].detail", equalTo("token " + token.id() + " '" + name + "' expiring, mailed to "
                        + email(owner)));
    }

    @Test
    void shouldMailOnceWhenExpiredAndNotAgain() throws Exception {
        TestUser owner = users.create();
        String name = "nightly-" + UUID.randomUUID();
        Instant expiry = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Created token = create(owner, name, expiry);

        notices.sweep(Instant.now());
        notices.sweep(expiry.plusSeconds(1));
        notices.sweep(expiry.plus(2, ChronoUnit.DAYS));

        List<MimeMessage> mail = mailTo(email(owner));
        assertThat(mail).extracting(ExpiryNoticesTest::subject).containsExactly(
                "Your API token \"" + name + "\" expires on " + ExpiryNoticeMailTest.WHEN.format(expiry),
                "Your API token \"" + name + "\" has expired");
        assertThat(GreenMailUtil.getBody(mail.get(1))).contains(ExpiryNoticeMailTest.WHEN.format(expiry));
        assertThat(GreenMailUtil.getWholeMessage(mail.get(1))).doesNotContain(token.value(), token.id());
    }

    @Test
    void shouldOnlySayExpiredForATokenFirstSweptAfterItsExpiry() {
        TestUser owner = users.create();
        String name = "short-lived-" + UUID.randomUUID();
        Instant expiry = Instant.now().plus(2, ChronoUnit.HOURS);
        create(owner, name, expiry);

        notices.sweep(expiry.plusSeconds(60));

        assertThat(mailTo(email(owner))).extracting(ExpiryNoticesTest::subject)
                .containsExactly("Your API token \"" + name + "\" has expired");
    }

    @Test
    void shouldMailEachNoticeOnceWhenReplicasSweepAtOnce() throws Exception {
        TestUser owner = users.create();
        int tokens = 12;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            String name = "fleet-" + i + "-" + UUID.randomUUID();
            names.add(name);
            create(owner, name, Instant.now().plus(2, ChronoUnit.DAYS));
        }
        int replicas = 4;
        CyclicBarrier start = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        Instant now = Instant.now();
        try {
            List<Future<Integer>> sweeps = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                sweeps.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return notices.sweep(now);
                }));
            }
            for (Future<Integer> sweep : sweeps) {
                sweep.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // The mail server may store the last message a moment after the sweep that sent it returned. A sweep whose
        // mail timed out (a loaded machine) released its claim and left the rest for the next sweep, as a replica's
        // next scheduled sweep would: sweep again until every notice is out, then require each exactly once.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> {
                    if (mailTo(email(owner)).size() >= tokens) {
                        return true;
                    }
                    notices.sweep(now);
                    return false;
                });
        List<MimeMessage> mail = mailTo(email(owner));
        assertThat(mail).hasSize(tokens);
        for (String name : names) {
            assertThat(mailNaming(name)).as(name).hasSize(1);
        }
    }

    @Test
    void shouldSkipANoticeAnotherTransactionIsClaimingAndNeverClaimItTwice() throws Exception {
        TestUser owner = users.create();
        String name = "contended-" + UUID.randomUUID();
        Instant now = Instant.now();
        // Sooner than any other token of these tests, so that it is the first one due.
        Created token = create(owner, name, now.plus(10, ChronoUnit.MINUTES));
        Instant horizon = now.plus(7, ChronoUnit.DAYS);
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch otherLooked = new CountDownLatch(1);
        ExecutorService replica = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Claim>> first = replica.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                Optional<Claim> claim = claims.claimNext(Notice.EXPIRING, now, horizon, Set.of());
                claimed.countDown();
                // Hold the row lock, uncommitted, while the other replica looks.
                otherLooked.await(30, TimeUnit.SECONDS);
                return claim;
            }));
            assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            Optional<Claim> whileLocked = QuarkusTransaction.requiringNew()
                    .call(() -> claims.claimNext(Notice.EXPIRING, now, horizon, Set.of()));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            otherLooked.countDown();
            Optional<Claim> firstClaim = first.get(30, TimeUnit.SECONDS);

            assertThat(firstClaim).map(Claim::jti).contains(UUID.fromString(token.id()));
            assertThat(whileLocked).map(Claim::jti).isNotEqualTo(Optional.of(UUID.fromString(token.id())));
            assertThat(waited).as("a claimed row is skipped, not waited for").isLessThan(Duration.ofSeconds(5));
            Optional<Claim> afterCommit = QuarkusTransaction.requiringNew()
                    .call(() -> claims.claimNext(Notice.EXPIRING, now, horizon, Set.of()));
            assertThat(afterCommit).map(Claim::jti).isNotEqualTo(Optional.of(UUID.fromString(token.id())));
            assertThat(sentAt(token.id(), Notice.EXPIRING)).isPresent();
            whileLocked.ifPresent(claim -> QuarkusTransaction.requiringNew()
                    .run(() -> claims.release(Notice.EXPIRING, claim.id())));
            afterCommit.ifPresent(claim -> QuarkusTransaction.requiringNew()
                    .run(() -> claims.release(Notice.EXPIRING, claim.id())));
        } finally {
            replica.shutdownNow();
        }
    }

    @Test
    void shouldNotMailForTokenEndpointTokensRevokedOrEverlastingTokensOrOwnersWithoutEmail() {
        TestUser owner = users.create();
        String bearerToken = owner.token();
        String revokedName = "revoked-" + UUID.randomUUID();
        Created revoked = create(owner, revokedName, Instant.now().plus(1, ChronoUnit.DAYS));
        bearer(bearerToken).delete("/apiops/auth/tokens/" + revoked.id()).then().statusCode(204);
        String foreverName = "forever-" + UUID.randomUUID();
        create(owner, foreverName, null);

        String username = "user-" + UUID.randomUUID().toString().substring(0, 13);
        String password = "pw-" + UUID.randomUUID();
        userService.create(new CreateUser(username, password, "No Mail", null, List.of(), true));
        TestUser withoutEmail = new TestUser(username, password);
        String unmailedName = "no-address-" + UUID.randomUUID();
        Created unmailed = create(withoutEmail, unmailedName, Instant.now().plus(1, ChronoUnit.DAYS));

        notices.sweep(Instant.now());
        notices.sweep(Instant.now().plus(2, ChronoUnit.DAYS));

        assertThat(mailTo(email(owner))).isEmpty();
        assertThat(mailNaming(revokedName)).isEmpty();
        assertThat(mailNaming(foreverName)).isEmpty();
        assertThat(mailNaming(unmailedName)).isEmpty();
        assertThat(mailNaming(username)).isEmpty();
        // Not claimed either: an address added later still gets the notices then due.
        assertThat(sentAt(unmailed.id(), Notice.EXPIRING)).isEmpty();
        assertThat(sentAt(unmailed.id(), Notice.EXPIRED)).isEmpty();
    }

    @Test
    void shouldKeepNoticesDueWhileTheMailServerIsAwayAndSendThemOnceItIsBack() throws Exception {
        TestUser owner = users.create();
        String name = "outage-" + UUID.randomUUID();
        Instant expiry = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Created token = create(owner, name, expiry);
        Created another;

        smtpLink.cut();
        try {
            assertThat(notices.sweep(Instant.now())).isZero();
            assertThat(sentAt(token.id(), Notice.EXPIRING)).as("the claim is released").isEmpty();
            // The API does not depend on the mail server.
            another = create(owner, "while-away-" + UUID.randomUUID(), Instant.now().plus(30, ChronoUnit.DAYS));
            bearer(owner.token()).get("/apiops/auth/tokens/").then().statusCode(200)
                    .body(containsString(another.id()));
            notices.scheduledSweep();
            assertThat(mailTo(email(owner))).isEmpty();
            assertThat(sentAt(token.id(), Notice.EXPIRING)).isEmpty();
        } finally {
            smtpLink.restore();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            notices.sweep(Instant.now());
            return !mailTo(email(owner)).isEmpty();
        });
        assertThat(mailTo(email(owner))).extracting(ExpiryNoticesTest::subject).containsExactly(
                "Your API token \"" + name + "\" expires on " + ExpiryNoticeMailTest.WHEN.format(expiry));
        assertThat(sentAt(token.id(), Notice.EXPIRING)).isPresent();

        String log = Files.readString(Path.of(logFile), StandardCharsets.UTF_8);
        assertThat(log).contains("the mail server cannot be reached");
        assertThat(log).doesNotContain(token.value(), another.value());
    }

    @Test
    void shouldNotLetATokenNameAddHeadersOrRecipients() throws Exception {
        TestUser owner = users.create();
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String name = "x\r\nBcc: thief-" + marker + "@example.org\r\n\r\nbody-" + marker;
        // The API refuses such a name; a record from before that rule, or written some other way, is mailed safely.
        bearer(owner.token()).contentType("application/json")
                .body(Map.of("name", name, "expireDate", Instant.now().plus(1, ChronoUnit.HOURS).toString()))
                .post("/apiops/auth/tokens/").then().statusCode(400)
                .body("validation_errors.field", org.hamcrest.Matchers.contains("name"));
        UUID jti = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                insert into personal_token (jti, user_id, name, created_at, expires_at, chain_id)
                select ?1, id, ?2, now(), now() + interval '1 day', ?1 from app_user where username = ?3""")
                .setParameter(1, jti).setParameter(2, name).setParameter(3, owner.username()).executeUpdate());

        notices.sweep(Instant.now());

        List<MimeMessage> mail = mailTo(email(owner));
        assertThat(mail).hasSize(1);
        MimeMessage notice = mail.get(0);
        assertThat(notice.getAllRecipients()).extracting(Address::toString).containsExactly(email(owner));
        assertThat(notice.getHeader("Bcc")).isNull();
        assertThat(notice.getSubject()).doesNotContain("\r", "\n").contains("Bcc: thief-" + marker);
        assertThat(mailTo("thief-" + marker + "@example.org")).isEmpty();
    }

    @Test
    void shouldSweepOnTheConfiguredIntervalOnlyWhenSmtpIsConfigured() {
        assertThat(notices.enabled()).isTrue();
        assertThat(scheduler.getScheduledJob("expiry-notices")).isNotNull();
        Instant next = scheduler.getScheduledJob("expiry-notices").getNextFireTime();
        assertThat(next).isBetween(Instant.now().minusSeconds(5), Instant.now().plus(Duration.ofHours(1)));
    }
}

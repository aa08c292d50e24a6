package io.apiops.user;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.apiops.DefaultRoles;
import io.apiops.IsolatedSchema;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * Section 5: the service is never left without an enabled administrator. Runs on a schema of its own, emptied before
 * each test, so that it alone decides who the administrators are.
 */
@QuarkusTest
@TestProfile(IsolatedSchema.class)
class LastAdministratorTest {

    private static final String CONFLICT = "{\"error\":\"conflict\",\"error_description\":\"The last enabled "
            + "administrator cannot be disabled, deleted, locked or lose ROLE_ADMIN\"}";

    @Inject
    TestUsers users;

    @Inject
    UserRepository repository;

    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    @BeforeEach
    void noUsers() {
        QuarkusTransaction.requiringNew().run(() -> repository.getEntityManager()
                .createNativeQuery("delete from app_user").executeUpdate());
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static String path(TestUser user) {
        return "/apiops/users/" + user.username() + "/";
    }

    private static RequestSpecification json(String token) {
        return bearer(token).contentType("application/json");
    }

    private static void conflict(Response response) {
        response.then().statusCode(409).header("Content-Type", "application/json;charset=UTF-8")
                .body(equalTo(CONFLICT));
    }

    private long activeAdministrators() {
        return QuarkusTransaction.requiringNew().call(() -> repository.countActiveAdministratorsOtherThan(-1));
    }

    @Test
    void shouldRefuseToDisableDeleteLockOrDemoteTheLastAdministrator() {
        TestUser last = users.create(Roles.ADMIN);
        String token = last.token();
        users.create(DefaultRoles.MANAGE_PROXIES, DefaultRoles.API_SECURITY);
        users.create(false, Roles.ADMIN);

        conflict(json(token).body(Map.of("enabled", false)).put(path(last)));
        conflict(json(token).body(Map.of("enabled", false, "fullName", "Changed")).put(path(last)));
        conflict(json(token).body(Map.of("roleNameList", List.of(DefaultRoles.MANAGE_PROXIES))).put(path(last)));
        conflict(json(token).body(Map.of("roleNameList", List.of())).put(path(last)));
        conflict(bearer(token).post(path(last) + "lock/"));
        conflict(bearer(token).post(path(last) + "lock"));
        conflict(bearer(token).delete(path(last)));
        conflict(bearer(token).delete("/apiops/users/" + last.username()));

        json(token).get(path(last)).then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("locked", equalTo(false))
                .body("fullName", equalTo("Test User"))
                .body("roleNameList", contains(Roles.ADMIN));
        requestToken(last.username(), last.password()).then().statusCode(200);
        assertThat(activeAdministrators()).isEqualTo(1);

        // Changes that keep it an enabled administrator still go through.
        json(token).body(Map.of("fullName", "The Last One", "enabled", true,
                "roleNameList", List.of(Roles.ADMIN, DefaultRoles.API_SECURITY))).put(path(last)).then().statusCode(200);
        json(token).get(path(last)).then().statusCode(200).body("fullName", equalTo("The Last One"));
    }

    @Test
    void shouldLetAnAdministratorGoWhileAnotherRemains() {
        TestUser first = users.create(Roles.ADMIN);
        TestUser second = users.create(Roles.ADMIN);
        String token = first.token();
        json(token).body(Map.of("enabled", false)).put(path(second)).then().statusCode(200);
        conflict(json(token).body(Map.of("enabled", false)).put(path(first)));
        // A disabled administrator is no longer one of the enabled ones: it may go.
        bearer(token).delete(path(second)).then().statusCode(204);

        TestUser third = users.create(Roles.ADMIN);
        json(token).body(Map.of("roleNameList", List.of(DefaultRoles.MANAGE_PROXIES))).put(path(third)).then()
                .statusCode(200);
        conflict(bearer(token).delete(path(first)));
        TestUser fourth = users.create(Roles.ADMIN);
        bearer(fourth.token()).delete(path(first)).then().statusCode(204);
        assertThat(activeAdministrators()).isEqualTo(1);
    }

    @Test
    void shouldNotCountAnAdministratorLockedUntilUnlocked() {
        TestUser first = users.create(Roles.ADMIN);
        TestUser second = users.create(Roles.ADMIN);
        String token = first.token();
        bearer(token).post(path(second) + "lock/").then().statusCode(200).body("locked", equalTo(true));
        conflict(json(token).body(Map.of("enabled", false)).put(path(first)));
        conflict(bearer(token).post(path(first) + "lock/"));
        bearer(token).post(path(second) + "unlock/").then().statusCode(200);
        json(token).body(Map.of("enabled", false)).put(path(first)).then().statusCode(200);
        assertThat(activeAdministrators()).isEqualTo(1);
    }

    @Test
    void shouldCountAnAdministratorWhoseLockoutEndsByItself() {
        TestUser first = users.create(Roles.ADMIN);
        TestUser second = users.create(Roles.ADMIN);
        String token = first.token();
        for (int i = 0; i < 3; i++) {
            requestToken(second.username(), "wrong-guess-" + i).then().statusCode(401);
        }
        json(token).get(path(second)).then().body("locked", equalTo(true));
        // The test profile's lockout lasts 2 seconds: the second administrator is back by itself.
        json(token).body(Map.of("enabled", false)).put(path(first)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> requestToken(second.username(), second.password()).statusCode() == 200);
    }

    /**
     * Guessing still locks the last administrator, for the lockout's duration: never locking it would leave the most
     * valuable account without a limit on guesses, and a lockout that ends by itself cannot leave the service without
     * an administrator for good.
     */
    @Test
    void shouldStillLockTheLastAdministratorAfterFailedLoginsUntilTheLockoutEnds() {
        TestUser last = users.create(Roles.ADMIN);
        for (int i = 0; i < 3; i++) {
            requestToken(last.username(), "wrong-guess-" + i).then().statusCode(401);
        }
        requestToken(last.username(), last.password()).then().statusCode(401);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> requestToken(last.username(), last.password()).statusCode() == 200);
    }

    /** The index of the demotion (every role taken away) among the removals below. */
    private static final int DEMOTION = 3;

    @Test
    void shouldKeepOneAdministratorWhenTwoRemoveEachOtherAtOnce() throws Exception {
        List<Function<TestUser, Function<String, Response>>> removals = List.of(
                target -> token -> json(token).body(Map.of("enabled", false)).put(path(target)),
                target -> token -> bearer(token).delete(path(target)),
                target -> token -> bearer(token).post(path(target) + "lock/"),
                target -> token -> json(token).body(Map.of("roleNameList", List.of())).put(path(target)));
        for (int round = 0; round < 12; round++) {
            noUsers();
            TestUser first = users.create(Roles.ADMIN);
            TestUser second = users.create(Roles.ADMIN);
            String firstToken = first.token();
            String secondToken = second.token();
            int removingSecond = round % 4;
            int removingFirst = (round + round / 4) % 4;
            Function<String, Response> onSecond = removals.get(removingSecond).apply(second);
            Function<String, Response> onFirst = removals.get(removingFirst).apply(first);

            List<Integer> statuses = atOnce(List.of(() -> onSecond.apply(firstToken), () -> onFirst.apply(
                    secondToken)));
            assertThat(activeAdministrators()).as("round %d: %s", round, statuses).isEqualTo(1);
            // One went through; the other met the conflict, or its caller's token had just stopped working, or (when
            // the one that went through demoted its caller) its caller was no longer an administrator.
            assertThat(statuses).as("round %d", round).filteredOn(status -> status < 300).hasSize(1);
            boolean secondDemoted = removingSecond == DEMOTION && statuses.get(0) < 300;
            boolean firstDemoted = removingFirst == DEMOTION && statuses.get(1) < 300;
            assertThat(statuses.get(0)).as("round %d: %s", round, statuses)
                    .satisfiesAnyOf(status -> assertThat(status).isLessThan(300),
                            status -> assertThat(status).isIn(409, 401),
                            status -> assertThat(firstDemoted && status == 403).isTrue());
            assertThat(statuses.get(1)).as("round %d: %s", round, statuses)
                    .satisfiesAnyOf(status -> assertThat(status).isLessThan(300),
                            status -> assertThat(status).isIn(409, 401),
                            status -> assertThat(secondDemoted && status == 403).isTrue());
        }
    }

    @Test
    void shouldKeepOneAdministratorWhenAllDisableThemselvesAtOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            noUsers();
            List<TestUser> admins = List.of(users.create(Roles.ADMIN), users.create(Roles.ADMIN),
                    users.create(Roles.ADMIN));
            List<String> tokens = admins.stream().map(TestUser::token).toList();
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < admins.size(); i++) {
                TestUser admin = admins.get(i);
                String token = tokens.get(i);
                calls.add(() -> json(token).body(Map.of("enabled", false)).put(path(admin)));
            }
            List<Integer> statuses = atOnce(calls);
            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrderElementsOf(List.of(200, 200, 409));
            assertThat(activeAdministrators()).isEqualTo(1);
        }
    }

    private List<Integer> atOnce(List<Callable<Response>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (Callable<Response> call : calls) {
            results.add(pool.submit(() -> {
                start.await();
                return call.call().statusCode();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        return statuses;
    }
}

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mixed load for a long run, sampling the service once a minute. Good and bad logins, bearer calls, personal token
 * creation, use and revocation, and user changes run at fixed rates (a few per cent of what the service can do, so
 * the run measures stability, not saturation); every answer is checked against the one the contract promises and
 * any other answer, or a request that fails, counts as an error.
 * <p>
 * Arguments: base URL, admin username, admin password, minutes, service pid, database name, CSV path. Needs jcmd and
 * psql (for the database's connection count) on the path. Prints a summary line at the end and exits 1 if any
 * request erred.
 */
public class Soak {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Pattern TOKEN_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final int USERS = 8;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong sequence = new AtomicLong();
    private final List<String> problems = new ArrayList<>();
    private volatile String admin;
    private final AtomicReferenceArray<String> userTokens = new AtomicReferenceArray<>(USERS);

    Soak(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Soak soak = new Soak(args[0]);
        String adminUser = args[1];
        String adminPassword = args[2];
        Duration duration = Duration.ofSeconds(Math.round(Double.parseDouble(args[3]) * 60));
        long pid = Long.parseLong(args[4]);
        String database = args[5];
        Path csv = Path.of(args[6]);
        System.exit(soak.run(adminUser, adminPassword, duration, pid, database, csv));
    }

    int run(String adminUser, String adminPassword, Duration duration, long pid, String database, Path csv)
            throws Exception {
        admin = token(adminUser, adminPassword);
        for (int i = 0; i < USERS; i++) {
            createUser("soak-user-" + i);
            createUser("soak-victim-" + i);
            userTokens.set(i, token("soak-user-" + i, password("soak-user-" + i)));
        }
        ScheduledExecutorService load = Executors.newScheduledThreadPool(12);
        // The bearer calls use each user's latest token from a good login.
        for (int i = 0; i < 4; i++) {
            load.scheduleAtFixedRate(this::bearerCall, i, 10, TimeUnit.MILLISECONDS);
        }
        load.scheduleAtFixedRate(this::goodLogin, 0, 250, TimeUnit.MILLISECONDS);
        load.scheduleAtFixedRate(this::goodLogin, 125, 250, TimeUnit.MILLISECONDS);
        load.scheduleAtFixedRate(this::badLogin, 50, 500, TimeUnit.MILLISECONDS);
        load.scheduleAtFixedRate(this::personalTokenLifecycle, 100, 1000, TimeUnit.MILLISECONDS);
        load.scheduleAtFixedRate(this::userChange, 200, 2000, TimeUnit.MILLISECONDS);
        load.scheduleAtFixedRate(this::unlockVictim, 300, 10_000, TimeUnit.MILLISECONDS);
        load.scheduleAtFixedRate(this::userCreatedAndDeleted, 400, 30_000, TimeUnit.MILLISECONDS);

        Instant start = Instant.now();
        long minutes = duration.toMinutes();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("minute,requests,errors,rss_mb,heap_after_gc_mb,heap_committed_mb,db_connections,"
                    + "http_connections,open_fds,threads");
            long lastRequests = 0;
            long lastErrors = 0;
            for (long minute = 0; minute <= minutes; minute++) {
                long wait = Duration.between(Instant.now(), start.plus(Duration.ofMinutes(minute))).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long totalRequests = requests.sum();
                long totalErrors = errors.sum();
                Sample sample = Sample.of(pid, database, base);
                out.printf("%d,%d,%d,%s%n", minute, totalRequests - lastRequests, totalErrors - lastErrors, sample);
                out.flush();
                System.out.printf("minute %d: %d requests, %d errors, %s%n", minute, totalRequests - lastRequests,
                        totalErrors - lastErrors, sample);
                lastRequests = totalRequests;
                lastErrors = totalErrors;
            }
        }
        load.shutdownNow();
        load.awaitTermination(10, TimeUnit.SECONDS);
        System.out.printf("soak: %d requests in %d minutes, %d errors%n", requests.sum(), minutes, errors.sum());
        synchronized (problems) {
            problems.stream().limit(20).forEach(problem -> System.out.println("  " + problem));
        }
        return errors.sum() == 0 ? 0 : 1;
    }

    private void bearerCall() {
        String token = userTokens.get(ThreadLocalRandom.current().nextInt(USERS));
        expect("bearer call", 200, get("/apiops/test/hello/soak", token));
    }

    private void goodLogin() {
        int which = ThreadLocalRandom.current().nextInt(USERS);
        String user = "soak-user-" + which;
        HttpResponse<String> response = send(tokenRequest(user, password(user)));
        if (expect("good login", 200, response)) {
            userTokens.set(which, group(ACCESS_TOKEN, response.body()));
        }
    }

    /** Wrong passwords for accounts that lock (and get unlocked), and unknown users: 401 either way. */
    private void badLogin() {
        int which = ThreadLocalRandom.current().nextInt(USERS);
        String user = ThreadLocalRandom.current().nextBoolean() ? "soak-victim-" + which : "soak-nobody-" + which;
        expect("bad login", 401, send(tokenRequest(user, "not-the-password-" + sequence.incrementAndGet())));
    }

    /** Creates a personal token, uses it, revokes it (by id or RFC 7009, alternately) and sees it refused. */
    private void personalTokenLifecycle() {
        String owner = userTokens.get(ThreadLocalRandom.current().nextInt(USERS));
        long n = sequence.incrementAndGet();
        String body = "{\"name\":\"soak-" + n + "\",\"expireDate\":\"" + Instant.now().plus(Duration.ofHours(1))
                + "\"}";
        HttpResponse<String> created = send(authorized("/apiops/auth/tokens/", owner)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (!expect("personal token created", 201, created)) {
            return;
        }
        String token = group(ACCESS_TOKEN, created.body());
        String id = group(TOKEN_ID, created.body());
        expect("personal token used", 200, get("/apiops/test/hello/soak", token));
        HttpResponse<String> revoked = n % 2 == 0
                ? send(authorized("/apiops/auth/tokens/" + id, owner).DELETE().build())
                : send(authorized("/apiops/auth/revoke", owner)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build());
        expect("personal token revoked", n % 2 == 0 ? 204 : 200, revoked);
        expect("revoked token refused", 401, get("/apiops/test/hello/soak", token));
    }

    private void userChange() {
        String user = "soak-user-" + ThreadLocalRandom.current().nextInt(USERS);
        expect("user changed", 200, send(authorized("/apiops/users/" + user + "/", admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"fullName\":\"Soak " + sequence.incrementAndGet()
                        + "\"}"))
                .build()));
    }

    private void unlockVictim() {
        String user = "soak-victim-" + ThreadLocalRandom.current().nextInt(USERS);
        expect("victim unlocked", 200, send(authorized("/apiops/users/" + user + "/unlock/", admin)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    private void userCreatedAndDeleted() {
        String user = "soak-passing-" + sequence.incrementAndGet();
        if (expect("user created", 201, createUserRequest(user))) {
            String token = tokenOrNull(user, password(user));
            expect("passing user's call", 200, get("/apiops/test/hello/soak", token));
            expect("user deleted", 204, send(authorized("/apiops/users/" + user + "/", admin).DELETE().build()));
            expect("deleted user's token refused", 401, get("/apiops/test/hello/soak", token));
        }
    }

    private void createUser(String username) {
        HttpResponse<String> response = createUserRequest(username);
        if (response == null || response.statusCode() != 201) {
            throw new IllegalStateException("could not create " + username + ": "
                    + (response == null ? "no answer" : response.statusCode() + " " + response.body()));
        }
    }

    private HttpResponse<String> createUserRequest(String username) {
        return send(authorized("/apiops/users/", admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\""
                        + password(username) + "\"}"))
                .build());
    }

    /** A password of its own per user, long and unguessable enough for any password policy. */
    private static String password(String username) {
        return "Soak-" + Integer.toHexString(username.hashCode()) + "-x7Qm2vLp9Zr4";
    }

    private String token(String username, String password) {
        String token = tokenOrNull(username, password);
        if (token == null) {
            throw new IllegalStateException("no token for " + username);
        }
        return token;
    }

    private String tokenOrNull(String username, String password) {
        HttpResponse<String> response = send(tokenRequest(username, password));
        return expect("login for a token", 200, response) ? group(ACCESS_TOKEN, response.body()) : null;
    }

    private HttpRequest tokenRequest(String username, String password) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "/apiops/auth/token")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private HttpRequest.Builder authorized(String path, String token) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> get(String path, String token) {
        return send(authorized(path, token).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        requests.increment();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            problem(request.method() + " " + request.uri().getPath() + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private boolean expect(String what, int status, HttpResponse<String> response) {
        if (response == null) {
            if (!Thread.currentThread().isInterrupted()) {
                errors.increment();
            }
            return false;
        }
        if (response.statusCode() != status) {
            errors.increment();
            problem(what + ": " + response.statusCode() + " instead of " + status + " " + response.body());
            return false;
        }
        return true;
    }

    private void problem(String problem) {
        synchronized (problems) {
            if (problems.size() < 100) {
                problems.add(Instant.now() + " " + problem);
            }
        }
    }

    private static String group(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** What the service holds at one moment: memory, connections and threads. */
    record Sample(long rssMb, long heapAfterGcMb, long heapCommittedMb, long dbConnections, long httpConnections,
            long openFds, long threads) {

        private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

        static Sample of(long pid, String database, String base) throws Exception {
            long rss = statusField(pid, "VmRSS:") / 1024;
            long threads = statusField(pid, "Threads:");
            run("jcmd", Long.toString(pid), "GC.run");
            Matcher heap = HEAP.matcher(run("jcmd", Long.toString(pid), "GC.heap_info"));
            long used = -1;
            long committed = -1;
            if (heap.find()) {
                committed = Long.parseLong(heap.group(1)) / 1024;
                used = Long.parseLong(heap.group(2)) / 1024;
            }
            String count = run("psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                    "select count(*) from pg_stat_activity where datname = '" + database + "'").trim();
            int port = URI.create(base).getPort();
            long http = run("ss", "-Htn", "state", "established", "( sport = :" + port + " )").lines().count();
            long fds;
            try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds = entries.count();
            }
            return new Sample(rss, used, committed, Long.parseLong(count.isEmpty() ? "-1" : count), http, fds,
                    threads);
        }

        private static long statusField(long pid, String field) throws IOException {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith(field)).map(line -> line.replaceAll("[^0-9]", ""))
                    .mapToLong(Long::parseLong).findFirst().orElse(-1);
        }

        private static String run(String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        }

        @Override
        public String toString() {
            return rssMb + "," + heapAfterGcMb + "," + heapCommittedMb + "," + dbConnections + "," + httpConnections
                    + "," + openFds + "," + threads;
        }
    }
}

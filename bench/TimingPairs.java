import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Does a failed login take as long for an unknown user as for a wrong password? Sends the two kinds one after the
 * other, alternating request by request on one connection, so that the machine's drifting speed hits both alike, and
 * prints "median-unknown-ms median-wrong-ms ratio". Arguments: token endpoint URL, an existing username, a username
 * that does not exist, number of requests of each kind.
 */
public class TimingPairs {

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String known = args[1];
        String unknown = args[2];
        int count = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest wrongPassword = request(endpoint, known);
        HttpRequest unknownUser = request(endpoint, unknown);
        for (int i = 0; i < 20; i++) {
            time(client, wrongPassword);
            time(client, unknownUser);
        }
        long[] wrong = new long[count];
        long[] missing = new long[count];
        for (int i = 0; i < count; i++) {
            // which kind goes first alternates too, so neither always follows the other
            if (i % 2 == 0) {
                wrong[i] = time(client, wrongPassword);
                missing[i] = time(client, unknownUser);
            } else {
                missing[i] = time(client, unknownUser);
                wrong[i] = time(client, wrongPassword);
            }
        }
        double unknownMs = median(missing) / 1e6;
        double wrongMs = median(wrong) / 1e6;
        System.out.printf("%.2f %.2f %.3f%n", unknownMs, wrongMs, unknownMs / wrongMs);
    }

    private static HttpRequest request(URI endpoint, String username) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&client_secret=not-the-password";
        return HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static long time(HttpClient client, HttpRequest request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 401) {
            throw new IllegalStateException("expected 401, got " + response.statusCode());
        }
        return elapsed;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}

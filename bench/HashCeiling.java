import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.apiops.user.Argon2id;

/**
 * The hash ceiling: the median time of one argon2id verification at the service's parameters, on one thread, with
 * the service's own argon2id and, as in the service, one reused work memory per thread. Then the throughput of the
 * same hash on every processor at once.
 * Prints both: "median-ms parallel-per-second". Run by bench/run.sh with the service's class path. Arguments: memory
 * KiB, iterations, parallelism.
 */
public class HashCeiling {

    public static void main(String[] args) throws Exception {
        int memory = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        Argon2id argon2 = new Argon2id(memory, iterations, parallelism);
        long[] work = argon2.newMemory();
        int warmup = 40;
        long[] times = new long[40];
        for (int i = -warmup; i < times.length; i++) {
            long start = System.nanoTime();
            hash(argon2, work);
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(times);

        // The same hash on every processor at once: what the hardware really sustains in parallel.
        int threads = Runtime.getRuntime().availableProcessors();
        int each = 60;
        ThreadLocal<long[]> perThread = ThreadLocal.withInitial(argon2::newMemory);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads * each; i++) {
            runs.add(pool.submit(() -> hash(argon2, perThread.get())));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double parallel = threads * each / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        System.out.printf("%.2f %.1f%n", times[times.length / 2] / 1e6, parallel);
    }

    private static void hash(Argon2id argon2, long[] memory) {
        argon2.hash("benchmark password".getBytes(StandardCharsets.UTF_8),
                "sixteen byte salt".getBytes(StandardCharsets.UTF_8), 32, memory);
    }
}

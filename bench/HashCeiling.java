import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.management.ObjectName;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The hash ceiling: the median time of one argon2id verification at the service's parameters, on one thread, in a
 * JVM set up as the service sets itself up (the same compiler directive as the service's Argon2Inlining, repeated
 * here because this program runs on its own). Then the throughput of the same hash on every processor at once.
 * Prints both: "median-ms parallel-per-second". Run by bench/run.sh with the service's class path. Arguments: memory
 * KiB, iterations, parallelism.
 */
public class HashCeiling {

    private static final String GENERATOR = "org/bouncycastle/crypto/generators/Argon2BytesGenerator";

    public static void main(String[] args) throws Exception {
        int memory = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        Path directive = Files.createTempFile("bench-argon2-", ".json");
        Files.writeString(directive, "[{ match: \"" + GENERATOR + "*.*\", inline: [\"+" + GENERATOR + ".F\", \"-"
                + GENERATOR + ".roundFunction\"] }]");
        ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerDirectivesAdd", new Object[] { new String[] { directive.toString() } },
                new String[] { String[].class.getName() });
        Files.delete(directive);

        int warmup = 40;
        long[] times = new long[40];
        for (int i = -warmup; i < times.length; i++) {
            long start = System.nanoTime();
            hash(memory, iterations, parallelism);
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(times);

        // The same hash on every processor at once: what the hardware really sustains in parallel.
        int threads = Runtime.getRuntime().availableProcessors();
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads * each; i++) {
            runs.add(pool.submit(() -> hash(memory, iterations, parallelism)));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double parallel = threads * each / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        System.out.printf("%.2f %.1f%n", times[times.length / 2] / 1e6, parallel);
    }

    private static void hash(int memory, int iterations, int parallelism) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memory)
                .withIterations(iterations).withParallelism(parallelism)
                .withSalt("sixteen byte salt".getBytes(StandardCharsets.UTF_8)).build());
        generator.generateBytes("benchmark password".getBytes(StandardCharsets.UTF_8), new byte[32]);
    }
}

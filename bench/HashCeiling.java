import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.management.ObjectName;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The hash ceiling: the median time of one argon2id verification at the service's parameters, on one thread, in a
 * JVM set up as the service sets itself up (the same compiler directive). Run by bench/run.sh with the service's
 * class path. Arguments: memory KiB, iterations, parallelism.
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

        byte[] salt = "sixteen byte salt".getBytes(StandardCharsets.UTF_8);
        int warmup = 40;
        long[] times = new long[40];
        for (int i = -warmup; i < times.length; i++) {
            long start = System.nanoTime();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memory)
                    .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
            generator.generateBytes("benchmark password".getBytes(StandardCharsets.UTF_8), new byte[32]);
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(times);
        System.out.printf("%.2f%n", times[times.length / 2] / 1e6);
    }
}

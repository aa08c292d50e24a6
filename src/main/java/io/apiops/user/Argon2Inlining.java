package io.apiops.user;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;

import javax.management.ObjectName;

/**
 * Pins the fast compiled shape of Bouncy Castle's argon2id on HotSpot.
 * <p>
 * Its Blake2b round, {@code Argon2BytesGenerator.F}, is called eight times by {@code roundFunction}, which is called
 * sixteen times per block by {@code FillBlock.fillBlock}. When C2 compiles {@code roundFunction} as a method of its
 * own with {@code F} inlined, a hash costs about half of what it costs when {@code roundFunction} is inlined into
 * {@code fillBlock} instead, and which of the two a fresh JVM picks is chance. A compiler directive (JEP 165), added
 * in-process through the {@code DiagnosticCommand} MBean, makes the choice every time, so that it holds however the
 * service is started: {@code java -jar}, dev mode or a container, without JVM flags.
 */
final class Argon2Inlining {

    private static final String GENERATOR = "org/bouncycastle/crypto/generators/Argon2BytesGenerator";
    private static final String DIRECTIVE = "[{ match: \"" + GENERATOR + "*.*\", inline: [\"+" + GENERATOR
            + ".F\", \"-" + GENERATOR + ".roundFunction\"] }]";
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();

    private Argon2Inlining() {
    }

    /** Adds the directive once per JVM; where that is impossible (a native image, another JVM) nothing changes. */
    static void request() {
        if (!REQUESTED.compareAndSet(false, true)) {
            return;
        }
        Path file = null;
        try {
            file = Files.createTempFile("apiops-argon2-", ".json");
            Files.writeString(file, DIRECTIVE);
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] { new String[] { file.toString() } }, new String[] { String[].class.getName() });
            Log.debug("Compiler directive for argon2id added");
        } catch (Exception | LinkageError e) {
            Log.infof("Could not add the argon2id compiler directive (%s); hashing may run at half speed",
                    e.getClass().getSimpleName());
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (Exception e) {
            // a temporary file left behind is harmless
        }
    }
}

package io.apiops.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The manifests {@code ./mvnw package} generates, as an operator would apply them. */
class KubernetesManifestIT {

    @Test
    void shouldDeployTwoProbedReplicasWithSecretsFromOutsideTheImage() throws Exception {
        String manifest = Files.readString(Path.of("target/kubernetes/kubernetes.yml"));
        assertThat(manifest)
                .contains("kind: Deployment", "replicas: 2")
                .contains("livenessProbe:", "path: /q/health/live")
                .contains("readinessProbe:", "path: /q/health/ready")
                .contains("secretRef:", "name: apiops-auth")
                .contains("secretName: apiops-auth-keys", "mountPath: /keys", "readOnly: true")
                .contains("name: SMALLRYE_JWT_SIGN_KEY_LOCATION", "value: file:/keys/private.pem")
                .contains("name: MP_JWT_VERIFY_PUBLICKEY_LOCATION", "value: file:/keys/public.pem")
                .contains("requests:", "limits:", "memory: 512Mi")
                .contains("kind: PodDisruptionBudget", "minAvailable: 1")
                .contains("terminationGracePeriodSeconds: 20")
                .doesNotContain("kind: Job");
    }

    /** Probes on the management port, and readiness probed often enough to fail twice within the shutdown delay. */
    @Test
    void shouldProbeTheManagementPort() throws Exception {
        String manifest = Files.readString(Path.of("target/kubernetes/kubernetes.yml"));
        for (String probe : new String[] { "livenessProbe:", "readinessProbe:", "startupProbe:" }) {
            String block = manifest.substring(manifest.indexOf(probe));
            block = block.substring(0, block.indexOf("timeoutSeconds:"));
            assertThat(block).as(probe).contains("port: 9000");
        }
        String readiness = manifest.substring(manifest.indexOf("readinessProbe:"));
        assertThat(readiness.substring(0, readiness.indexOf("timeoutSeconds:")))
                .contains("failureThreshold: 2", "periodSeconds: 2");
        assertThat(manifest).contains("containerPort: 9000", "name: management");
    }

    /** Production starts the service one way everywhere: {@code java @jvm.options -jar quarkus-run.jar}. */
    @Test
    void shouldStartThePackagedAppWithItsJvmOptions() throws Exception {
        String manifest = Files.readString(Path.of("target/kubernetes/kubernetes.yml"));
        assertThat(manifest).containsPattern("command:\\s*- java\\s")
                .containsPattern("args:\\s*- '@jvm.options'\\s*- -jar\\s*- quarkus-run.jar")
                .contains("workingDir: /deployments");
        assertThat(Files.readAllLines(Path.of("target/quarkus-app/jvm.options")))
                .contains("-XX:+UseSerialGC", "-Xmx128m");
    }
}

package io.apiops.ops;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

import io.apiops.config.ApiopsConfig;

/**
 * Gives memory back to the system after a burst of traffic. A flood of requests grows G1's young generation, and G1
 * keeps the heap grown. At start-up this sets three of HotSpot's manageable options, each only if nobody set it on the
 * command line: a periodic collection when the JVM has been idle for 5 s (JEP 346), after which G1 uncommits free heap
 * down to 30 % above what is live.
 */
@Singleton
public class IdleMemory {

    /** In this order: the minimum ratio must come down before the maximum may go below its old value. */
    private static final List<Map.Entry<String, String>> OPTIONS = List.of(
            Map.entry("MinHeapFreeRatio", "10"),
            Map.entry("MaxHeapFreeRatio", "30"),
            Map.entry("G1PeriodicGCInterval", "5000"));

    void onStart(@Observes StartupEvent event, ApiopsConfig config) {
        if (!config.jvm().returnIdleMemory()) {
            return;
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!"true".equals(hotspot.getVMOption("UseG1GC").getValue())) {
                return;
            }
            for (Map.Entry<String, String> option : OPTIONS) {
                if (hotspot.getVMOption(option.getKey()).getOrigin() == VMOption.Origin.DEFAULT) {
                    hotspot.setVMOption(option.getKey(), option.getValue());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            Log.debugf("JVM memory options left as they are (%s)", e.getClass().getSimpleName());
        }
    }
}

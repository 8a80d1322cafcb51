package io.metricsagent.agent.collectors;

import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * Reads the host through OSHI's native-free implementation, which parses /proc and /sys
 * directly: no JNA, so nothing native is loaded into the application and nothing clashes with
 * the application's own JNA.
 */
final class OshiProbe implements HostSampler.Probe {

    private final CentralProcessor processor;
    private final GlobalMemory memory;

    OshiProbe() {
        HardwareAbstractionLayer hardware = new oshi.nativefree.SystemInfo().getHardware();
        processor = hardware.getProcessor();
        memory = hardware.getMemory();
    }

    @Override
    public long[][] cpuTicks() {
        return processor.getProcessorCpuLoadTicks();
    }

    @Override
    public long memoryTotal() {
        return memory.getTotal();
    }

    @Override
    public long memoryAvailable() {
        return memory.getAvailable();
    }
}

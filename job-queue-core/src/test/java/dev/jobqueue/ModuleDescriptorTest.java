package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** job-queue-core is a named module that exports its API, SPI and memory storage, not the worker runtime. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApiSpiAndMemoryPackages() {
        Module core = Queue.class.getModule();
        assertTrue(core.isNamed(), "job-queue-core runs as an unnamed module: module-info.java missing?");
        assertEquals("dev.jobqueue.core", core.getName());
        Set<String> exported = core.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("dev.jobqueue", "dev.jobqueue.spi", "dev.jobqueue.memory"), exported);
    }
}

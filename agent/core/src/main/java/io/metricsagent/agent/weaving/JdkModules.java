package io.metricsagent.agent.weaving;

import java.lang.module.ResolvedModule;
import java.net.URI;
import java.util.Optional;

/**
 * Tells the JDK's own named modules (those of its run-time image, {@code jrt:/}) from others,
 * whichever loader defines them: the platform loader's ({@code jdk.httpserver}, {@code java.sql})
 * and the application loader's ({@code jdk.compiler}, {@code jdk.jshell}) alike.
 */
final class JdkModules {

    private JdkModules() {}

    /** Whether the named module comes from the JDK's run-time image. */
    static boolean contains(Module module) {
        ModuleLayer layer = module.getLayer();
        if (layer == null) {
            return false;
        }
        // No lambda: this runs on the application's thread as its classes load.
        Optional<ResolvedModule> resolved = layer.configuration().findModule(module.getName());
        if (resolved.isEmpty()) {
            return false;
        }
        Optional<URI> location = resolved.get().reference().location();
        return location.isPresent() && "jrt".equals(location.get().getScheme());
    }
}

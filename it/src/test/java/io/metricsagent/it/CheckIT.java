package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code java -jar metrics-agent.jar check}: what the configuration selects in the test
 * applications' jars, listed without running them. The legacy app's listing is what
 * {@link RuleSelectionIT} finds metered in the running app; the same classes as a Spring Boot jar
 * and as a war, their supertypes in a nested library, list the same.
 */
class CheckIT {

    static final String CONFIG = RuleSelectionIT.RULES
            + "gauges:\n"
            + "  - class: io.metricsagent.legacy.Commands\n"
            + "    method: count\n"
            + "    name: legacy_commands\n";

    private static final String LEGACY = "io.metricsagent.legacy.";
    static final List<String> LISTING = List.of(
            "rules.yml line 2: rule gateway_charges (extends " + LEGACY + "Gateway, method charge, exclude {class: "
                    + LEGACY + "Sandbox*})",
            "  " + LEGACY + "CardGateway.charge(java.lang.String, double)  labels: gateway=\"CardGateway\" status <- return.status",
            "  " + LEGACY + "WalletGateway.charge(java.lang.String, double)  labels: gateway=\"WalletGateway\""
                    + " status <- return.status",
            "rules.yml line 11: rule endpoint_calls (annotated " + LEGACY + "Endpoint, exclude {method: health})",
            "  " + LEGACY + "OrderEndpoint.place(java.lang.String)  labels: handler=\"place\"",
            "  " + LEGACY + "OrderEndpoint.cancel(java.lang.String)  labels: handler=\"cancel\"",
            "rules.yml line 15: rule route_calls (annotated " + LEGACY + "Route)",
            "  " + LEGACY + "AccountHandlers.open(java.lang.String)  labels: handler=\"open\"",
            "  " + LEGACY + "AccountHandlers.close(java.lang.String)  labels: handler=\"close\"",
            "rules.yml line 19: gauge legacy_commands (class " + LEGACY + "Commands, method count)",
            "  " + LEGACY + "Commands.count()  static");
    /** The types the legacy app's classes implement and carry: a library of their own in the fat jar and the war. */
    private static final List<String> LIBRARY = List.of("Gateway", "Gateway$Receipt", "AbstractGateway", "Endpoint", "Route");

    @OnEveryJdk
    void theLegacyAppsRulesListTheMethodsTheAgentMeters(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("rules.yml"), CONFIG);
        Command check = Command.run(java, "check", config.toString(), Artifacts.legacyJar().toString());
        assertEquals(0, check.exit, check::describe);
        assertEquals(listing("3 rules and 1 gauge checked against " + classes(Artifacts.legacyJar()) + " classes from 1 jar:"
                + " no mistakes"), check.stdout, check::describe);
        assertEquals(List.of(), check.stderr, check::describe);
    }

    /**
     * As Spring Boot packs an application (its classes under BOOT-INF/classes, its libraries as
     * jars stored whole under BOOT-INF/lib) and as a war packs one (WEB-INF/classes, compressed
     * jars under WEB-INF/lib): the supertypes and annotations are found across the nested jars.
     */
    @Test
    void theLegacyAppAsASpringBootJarAndAsAWarListsTheSame(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("rules.yml"), CONFIG);
        Path snakeyaml = Paths.get(Yaml.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        int classes = classes(Artifacts.legacyJar()) + classes(snakeyaml);
        for (Path archive : List.of(packed(dir.resolve("legacy-boot.jar"), "BOOT-INF/", false, snakeyaml),
                packed(dir.resolve("legacy.war"), "WEB-INF/", true, snakeyaml))) {
            Command check = Command.run(Jdks.current(), "check", config.toString(), archive.toString());
            assertEquals(0, check.exit, check::describe);
            assertEquals(listing("3 rules and 1 gauge checked against " + classes + " classes from 3 jars: no mistakes"),
                    check.stdout, check::describe);
        }
    }

    /**
     * The real Spring Boot fat jar of {@code it/boot-app} (Spring Boot 4.0.7: its own classes and
     * 35 nested jars): its handlers by their annotation, and every servlet of the jars by the
     * servlet API's type, read from the nested jars as they lie.
     */
    @Test
    void aSpringBootFatJarsHandlersAndServletsAreListed(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("boot.yml"), ""
                + "metrics:\n"
                + "  - annotated: org.springframework.web.bind.annotation.GetMapping\n"
                + "    name: shop_handlers\n"
                + "    labels: {handler: $method}\n"
                + "  - extends: jakarta.servlet.http.HttpServlet\n"
                + "    method: service\n"
                + "    name: servlet_requests\n"
                + "    labels: {servlet: $class}\n");
        Command check = Command.run(Jdks.current(), "check", config.toString(), Artifacts.bootJar().toString());
        assertEquals(0, check.exit, check::describe);
        String shop = "io.metricsagent.shop.ItemController.";
        String http = "(jakarta.servlet.http.HttpServletRequest, jakarta.servlet.http.HttpServletResponse)";
        assertEquals(List.of(
                "boot.yml line 2: rule shop_handlers (annotated org.springframework.web.bind.annotation.GetMapping)",
                "  " + shop + "items(int)  labels: handler=\"items\"",
                "  " + shop + "item(java.lang.String)  labels: handler=\"item\"",
                "  " + shop + "quote(java.lang.String, int)  labels: handler=\"quote\"",
                "boot.yml line 5: rule servlet_requests (extends jakarta.servlet.http.HttpServlet, method service)",
                "  ch.qos.logback.core.status.ViewStatusMessagesServletBase.service" + http
                        + "  labels: servlet=\"ViewStatusMessagesServletBase\"",
                "  jakarta.servlet.http.HttpServlet.service" + http + "  labels: servlet=\"HttpServlet\"",
                "  jakarta.servlet.http.HttpServlet.service(jakarta.servlet.ServletRequest, jakarta.servlet.ServletResponse)"
                        + "  labels: servlet=\"HttpServlet\"",
                "  org.apache.catalina.servlets.CGIServlet.service" + http + "  labels: servlet=\"CGIServlet\"",
                "  org.apache.catalina.servlets.DefaultServlet.service" + http + "  labels: servlet=\"DefaultServlet\"",
                "  org.apache.catalina.servlets.WebdavServlet.service" + http + "  labels: servlet=\"WebdavServlet\"",
                "  org.springframework.web.context.support.HttpRequestHandlerServlet.service" + http
                        + "  labels: servlet=\"HttpRequestHandlerServlet\"",
                "  org.springframework.web.servlet.FrameworkServlet.service" + http + "  labels: servlet=\"FrameworkServlet\"",
                "2 rules and 0 gauges checked against 10830 classes from 35 jars: no mistakes"),
                check.stdout, check::describe);
    }

    @Test
    void theSamplesOwnFileSelectsTheLegacyClientAndItsGauge() throws Exception {
        Path config = Paths.get(System.getProperty("project.root"), "sample-app", "metrics-agent.yml");
        Command check = Command.run(Jdks.current(), "check", config.toString(), Artifacts.sampleJar().toString());
        assertEquals(0, check.exit, check::describe);
        String client = "io.metricsagent.sample.LegacyGatewayClient";
        assertEquals(List.of(
                "metrics-agent.yml line 7: rule legacy_gateway_charges (class " + client + ", method charge, parameters ["
                        + client + "$ChargeRequest])",
                "  " + client + ".charge(" + client + "$ChargeRequest)  labels: gateway=\"legacy\""
                        + " user_tier <- args[0].customer.tier payment_method <- args[0].method region <- this.region"
                        + " status <- return.status  observes args[0].amount",
                "metrics-agent.yml line 31: gauge legacy_gateway_charged_usd (class " + client + ", method chargedUsd)",
                "  " + client + ".chargedUsd()  per instance, summed  labels: gateway=\"legacy\"",
                "1 rule and 1 gauge checked against " + classes(Artifacts.sampleJar()) + " classes from 1 jar: no mistakes"),
                check.stdout, check::describe);
    }

    @Test
    void aMisspelledClassIsOneAndAFileThatDoesNotReadTwo(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("rules.yml"), CONFIG.replace("legacy.Commands", "legacy.Comands"));
        Command check = Command.run(Jdks.current(), "check", typo.toString(), Artifacts.legacyJar().toString());
        assertEquals(1, check.exit, check::describe);
        List<String> expected = new ArrayList<>(LISTING.subList(0, LISTING.size() - 2));
        expected.add("rules.yml line 19: gauge legacy_commands (class " + LEGACY + "Comands, method count)");
        expected.add("  error: the gauge at rules.yml line 19 does not read " + LEGACY + "Comands.count(): no class "
                + LEGACY + "Comands among the classes checked");
        expected.add("3 rules and 1 gauge checked against " + classes(Artifacts.legacyJar()) + " classes from 1 jar:"
                + " 1 mistake");
        assertEquals(expected, check.stdout, check::describe);

        Path broken = Files.writeString(dir.resolve("broken.yml"), "metrics:\n  - class: " + LEGACY + "CardGateway\n"
                + "     method: charge\n");
        check = Command.run(Jdks.current(), "check", broken.toString(), Artifacts.legacyJar().toString());
        assertEquals(2, check.exit, check::describe);
        assertEquals(List.of("bad configuration: config=" + broken + " line 3: mapping values are not allowed here"),
                check.stdout, check::describe);
    }

    private static List<String> listing(String summary) {
        List<String> lines = new ArrayList<>(LISTING);
        lines.add(summary);
        return lines;
    }

    /** The classes of a plain jar: its class files, but for a module descriptor and a multi-release jar's later versions. */
    private static int classes(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return (int) zip.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")
                    && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")).count();
        }
    }

    /**
     * The legacy app under {@code <root>classes/}, but for {@link #LIBRARY}, which is a jar of its
     * own under {@code <root>lib/} beside a copy of {@code dependency}; packed by the JDK's jar
     * tool, compressed or (as Spring Boot stores its nested jars) not.
     */
    private static Path packed(Path file, String root, boolean compressed, Path dependency) throws IOException {
        Path tree = Files.createDirectories(file.resolveSibling(file.getFileName() + ".tree"));
        Path library = Files.createDirectories(file.resolveSibling(file.getFileName() + ".library"));
        try (ZipFile legacy = new ZipFile(Artifacts.legacyJar().toFile())) {
            for (ZipEntry entry : legacy.stream().filter(e -> e.getName().endsWith(".class")).collect(Collectors.toList())) {
                String simpleName = entry.getName().substring(entry.getName().lastIndexOf('/') + 1).replace(".class", "");
                Path target = LIBRARY.contains(simpleName) ? library.resolve(entry.getName())
                        : tree.resolve(root + "classes/" + entry.getName());
                Files.createDirectories(target.getParent());
                Files.write(target, legacy.getInputStream(entry).readAllBytes());
            }
        }
        Path lib = Files.createDirectories(tree.resolve(root + "lib"));
        jar(lib.resolve("legacy-api.jar"), library, true);
        Files.copy(dependency, lib.resolve(dependency.getFileName()));
        return jar(file, tree, compressed);
    }

    private static Path jar(Path file, Path contents, boolean compressed) {
        List<String> args = new ArrayList<>(List.of("--create", "--file", file.toString()));
        if (!compressed) {
            args.add("--no-compress");
        }
        args.addAll(List.of("-C", contents.toString(), "."));
        assertEquals(0, ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, args.toArray(new String[0])),
                "jar " + args);
        return file;
    }
}

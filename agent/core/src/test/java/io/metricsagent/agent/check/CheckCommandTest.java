package io.metricsagent.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    private static final String FIXTURES = "io.metricsagent.checkfixtures.";
    private static final String ORDER = FIXTURES + "Gateway$Order";

    static final String RULES = ""
            + "metrics:\n"
            + "  - extends: io.metricsagent.checkfixtures.Gateway\n"
            + "    method: charge\n"
            + "    name: gateway_charges\n"
            + "    constants: {service: shop}\n"
            + "    labels:\n"
            + "      gateway: $class\n"
            + "      tier: order.customer.tier\n"
            + "      status: return.status\n"
            + "    observe: {name: gateway_charge_amount, value: order.amount}\n"
            + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
            + "    method: charge\n"
            + "    parameters: [io.metricsagent.checkfixtures.Gateway$Order]\n"
            + "    preset: payment\n"
            + "    gateway: card\n"
            + "    amount: args[0].amount\n"
            + "    user_tier: args[0].customer.tier\n"
            + "  - annotated: io.metricsagent.checkfixtures.Handler\n"
            + "    exclude: [{method: health}]\n"
            + "    name: handler_calls\n"
            + "    labels: {handler: $method}\n"
            + "gauges:\n"
            + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
            + "    method: charged\n"
            + "    name: card_charges\n"
            + "    labels: {gateway: card}\n"
            + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
            + "    method: pending\n"
            + "    name: card_pending\n"
            + "    labels: {region: this.region, gateway: card}\n";

    /** What RULES select: the same whichever way the classes are laid out. */
    static final String LISTING = ""
            + "rules.yml line 2: rule gateway_charges (extends " + FIXTURES + "Gateway, method charge)\n"
            + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ")  labels: service=\"shop\" gateway=\"CardGateway\""
            + " tier <- args[0].customer.tier status <- return.status  observes args[0].amount\n"
            + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ", java.lang.String)  labels: service=\"shop\""
            + " gateway=\"CardGateway\" tier <- args[0].customer.tier status <- return.status  observes args[0].amount\n"
            + "rules.yml line 11: rule preset payment (class " + FIXTURES + "CardGateway, method charge, parameters ["
            + ORDER + "])\n"
            + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ")  labels: gateway=\"card\" user_tier <- args[0].customer.tier"
            + " payment_method=\"unknown\" currency=\"USD\" service=\"payment\"  observes args[0].amount\n"
            + "rules.yml line 18: rule handler_calls (annotated " + FIXTURES + "Handler, exclude {method: health})\n"
            + "  " + FIXTURES + "Handlers.place(java.lang.String)  labels: handler=\"place\"\n"
            + "rules.yml line 23: gauge card_charges (class " + FIXTURES + "CardGateway, method charged)\n"
            + "  " + FIXTURES + "CardGateway.charged()  static  labels: gateway=\"card\"\n"
            + "rules.yml line 27: gauge card_pending (class " + FIXTURES + "CardGateway, method pending)\n"
            + "  " + FIXTURES + "CardGateway.pending()  per instance, summed  labels: region <- this.region"
            + " gateway=\"card\"\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CheckCommand command = new CheckCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void everyRuleAndGaugeIsListedWithWhatItSelectsInEveryLayout() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
        for (Map.Entry<Path, String> input : Layouts.all(dir).entrySet()) {
            out.reset();
            assertEquals(0, command.run(rules.toString(), input.getKey().toString()), input.getKey() + ": " + text(out));
            assertEquals(LISTING + "3 rules and 2 gauges checked against " + input.getValue() + ": no mistakes\n",
                    text(out), input.getKey().toString());
        }
        assertEquals("", text(err));
    }

    @Test
    void aLabelObjectIsListedWithTheValuesTheMethodGives() throws IOException {
        Path rules = Files.writeString(dir.resolve("labels.yml"), ""
                + "metrics:\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: charge\n"
                + "    parameters: [io.metricsagent.checkfixtures.Gateway$Order]\n"
                + "    histogram: card_charge_seconds\n"
                + "    labels:\n"
                + "      tier: {first_of: [order.customer.grade, order.customer.tier, return.status], missing: ''}\n");
        Map.Entry<Path, String> input = Layouts.all(dir).entrySet().iterator().next();
        assertEquals(0, command.run(rules.toString(), input.getKey().toString()), text(out));
        assertEquals("labels.yml line 2: rule card_charge_seconds (class " + FIXTURES + "CardGateway, method charge,"
                + " parameters [" + ORDER + "])\n"
                + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ")  labels: tier <- args[0].customer.tier or"
                + " return.status\n"
                + "1 rule and 0 gauges checked against " + input.getValue() + ": no mistakes\n", text(out));
        assertEquals("", text(err));
    }

    @Test
    void aRememberingRuleAndARecallAreListedAsTheyRead() throws IOException {
        Path rules = Files.writeString(dir.resolve("remember.yml"), ""
                + "metrics:\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: charge\n"
                + "    parameters: [io.metricsagent.checkfixtures.Gateway$Order]\n"
                + "    remember: {name: tier, object: 'args[0]', value: 'args[0].customer.tier', map: [GOLD]}\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: charge\n"
                + "    parameters: [io.metricsagent.checkfixtures.Gateway$Order]\n"
                + "    histogram: card_charge_seconds\n"
                + "    labels: {tier: {first_of: [return.status, 'recall(order, tier)']}}\n");
        Map.Entry<Path, String> input = Layouts.all(dir).entrySet().iterator().next();
        assertEquals(0, command.run(rules.toString(), input.getKey().toString()), text(out));
        assertEquals("remember.yml line 2: rule remember tier (class " + FIXTURES + "CardGateway, method charge,"
                + " parameters [" + ORDER + "])\n"
                + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ")  remembers tier <- args[0].customer.tier for"
                + " args[0]\n"
                + "remember.yml line 6: rule card_charge_seconds (class " + FIXTURES + "CardGateway, method charge,"
                + " parameters [" + ORDER + "])\n"
                + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ")  labels: tier <- return.status or"
                + " recall(args[0], tier)\n"
                + "2 rules and 0 gauges checked against " + input.getValue() + ": no mistakes\n", text(out));
        assertEquals("", text(err));
    }

    @Test
    void eachMistakeIsTheLineTheAgentPrintsUnderWhatItConcerns() throws IOException {
        Path rules = Files.writeString(dir.resolve("mistakes.yml"), ""
                + "metrics:\n"
                + "  - class: io.metricsagent.checkfixtures.CardGatway\n"
                + "    name: typo\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: charge\n"
                + "    parameters: [java.lang.String]\n"
                + "    name: overload\n"
                + "  - class: io.metricsagent.checkfixtures.Gateway\n"
                + "    method: charge\n"
                + "    name: interface_only\n"
                + "  - extends: io.metricsagent.checkfixtures.Gateway\n"
                + "    method: charge\n"
                + "    name: bad_path\n"
                + "    labels: {tier: order.customer.grade}\n"
                + "  - annotated: io.metricsagent.checkfixtures.Handler\n"
                + "    exclude: [{method: health}]\n"
                + "    name: jvm_handler_calls\n"
                + "gauges:\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: region\n"
                + "    name: card_region\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: refunded\n"
                + "    name: card_refunds\n"
                + "  - class: io.metricsagent.checkfixtures.Cardgateway\n"
                + "    method: charged\n"
                + "    name: card_charges\n"
                + "  - class: io.metricsagent.checkfixtures.CardGateway\n"
                + "    method: charged\n"
                + "    name: card_charges_by_region\n"
                + "    labels: {region: this.region}\n");
        assertEquals(1, command.run(rules.toString(), Layouts.bootJar(dir.resolve("boot.jar")).toString()));
        String badPath = "    error: the rule at mistakes.yml line 11 does not meter " + FIXTURES + "CardGateway.charge():"
                + " path 'customer.grade' of argument 0: no visible getter or field 'grade' on " + FIXTURES
                + "Gateway$Customer\n";
        assertEquals(""
                + "mistakes.yml line 2: rule typo (class " + FIXTURES + "CardGatway)\n"
                + "  error: the rule at mistakes.yml line 2 selects nothing: no class checked matches class " + FIXTURES
                + "CardGatway\n"
                + "mistakes.yml line 4: rule overload (class " + FIXTURES + "CardGateway, method charge, parameters"
                + " [java.lang.String])\n"
                + "  error: the rule at mistakes.yml line 4 selects nothing: parameters [java.lang.String] fit none of "
                + FIXTURES + "CardGateway.charge(" + ORDER + "), " + FIXTURES + "CardGateway.charge(" + ORDER
                + ", java.lang.String)\n"
                + "mistakes.yml line 8: rule interface_only (class " + FIXTURES + "Gateway, method charge)\n"
                + "  error: the rule at mistakes.yml line 8 selects nothing: the classes it matches (" + FIXTURES
                + "Gateway) declare no method it selects\n"
                + "mistakes.yml line 11: rule bad_path (extends " + FIXTURES + "Gateway, method charge)\n"
                + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ")\n"
                + badPath
                + "  " + FIXTURES + "CardGateway.charge(" + ORDER + ", java.lang.String)\n"
                + badPath
                + "mistakes.yml line 15: rule jvm_handler_calls (annotated " + FIXTURES + "Handler, exclude {method:"
                + " health})\n"
                + "  " + FIXTURES + "Handlers.place(java.lang.String)\n"
                + "    error: the rule at mistakes.yml line 15 does not meter " + FIXTURES + "Handlers.place():"
                + " 'jvm_handler_calls_total' is taken: names starting jvm_ are the JVM metrics'\n"
                + "mistakes.yml line 19: gauge card_region (class " + FIXTURES + "CardGateway, method region)\n"
                + "  " + FIXTURES + "CardGateway.region()\n"
                + "    error: the gauge at mistakes.yml line 19 does not read " + FIXTURES + "CardGateway.region():"
                + " it returns java.lang.String, not a number\n"
                + "mistakes.yml line 22: gauge card_refunds (class " + FIXTURES + "CardGateway, method refunded)\n"
                + "  " + FIXTURES + "CardGateway.refunded()\n"
                + "    error: the gauge at mistakes.yml line 22 does not read " + FIXTURES + "CardGateway.refunded(): "
                + FIXTURES + "CardGateway declares no method refunded\n"
                + "mistakes.yml line 25: gauge card_charges (class " + FIXTURES + "Cardgateway, method charged)\n"
                + "  error: the gauge at mistakes.yml line 25 does not read " + FIXTURES + "Cardgateway.charged(): no class "
                + FIXTURES + "Cardgateway among the classes checked\n"
                + "mistakes.yml line 28: gauge card_charges_by_region (class " + FIXTURES + "CardGateway, method charged)\n"
                + "  " + FIXTURES + "CardGateway.charged()\n"
                + "    error: the gauge at mistakes.yml line 28 does not read " + FIXTURES + "CardGateway.charged(): label"
                + " 'region' reads the instance (this.region), and charged() is static\n"
                + "5 rules and 4 gauges checked against 8 classes from 2 jars: 10 mistakes\n", text(out));
    }

    @Test
    void aFileThatDoesNotReadIsTwoAsTheAgentWouldSayIt() throws IOException {
        Path classes = Layouts.jar(dir.resolve("app.jar"));
        Path broken = Files.writeString(dir.resolve("broken.yml"), "metrics:\n  - class: [a\n");
        assertEquals(2, command.run(broken.toString(), classes.toString()));
        assertEquals("bad configuration: config=" + broken + " line 3: expected ',' or ']', but got <stream end>\n",
                text(out));
        out.reset();
        Path nameless = Files.writeString(dir.resolve("nameless.yml"), "metrics:\n  - class: a.B\n    method: x\n");
        assertEquals(2, command.run(nameless.toString(), classes.toString()));
        assertEquals("bad configuration: config=" + nameless + " line 2: a rule needs a name (the base of its metric names)"
                + ", a histogram (its one metric's name), preset: payment or remember (what it keeps for recall)\n", text(out));
        out.reset();
        Path properties = Files.writeString(dir.resolve("agent.properties"), "port=9100\n");
        assertEquals(2, command.run(properties.toString(), classes.toString()));
        assertEquals(properties + " is read as a properties file, which holds no rules or gauges: they are written in a"
                + " YAML file (.yml, .yaml)\n", text(out));
        assertEquals("", text(err));
    }

    @Test
    void badArgumentsPrintTheUsage() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
        assertEquals(2, command.run(rules.toString()));
        assertEquals(CheckCommand.USAGE + "\n", text(err));
        err.reset();
        assertEquals(2, command.run(rules.toString(), dir.resolve("missing.jar").toString()));
        assertEquals(dir.resolve("missing.jar") + ": no such jar, war or directory\n" + CheckCommand.USAGE + "\n", text(err));
        err.reset();
        assertEquals(2, command.run(rules.toString(), Files.writeString(dir.resolve("notes.jar"), "notes").toString()));
        assertEquals("cannot read the classes: " + dir.resolve("notes.jar") + " is not a zip file\n", text(err));
        assertEquals("", text(out));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}

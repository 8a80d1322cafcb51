package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metricsagent.agent.weaving.elsewhere.Shipment;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

class PathResolverTest {

    private static final String PREFIX = "io/metricsagent/agent/weaving/PathResolverTest$";

    /** The class being woven, whose paths start at {@code this}. */
    static final class Desk {
        private Customer customer;
        private String note;
    }

    static class Customer implements Named {
        private String secret;
        private int pin;
        String tier;
        String code;
        public Address address;
        static String registry;

        String getTier() {
            return tier;
        }

        public boolean isVip() {
            return true;
        }

        public String region() {
            return "eu";
        }

        public String getCode() {
            return code;
        }

        public String code() {
            return code;
        }

        public static String getRegistry() {
            return registry;
        }

        public void getNothing() {}

        public String getSecret() {
            return secret;
        }

        public String lookup(String key) {
            return key;
        }

        public String line(int number) {
            return "line " + number;
        }
    }

    static class Premium extends Customer {}

    /** Shaped as a record is compiled (tests are compiled for Java 11): a private field and its accessor. */
    static final class Price {
        private final long cents;

        Price(long cents) {
            this.cents = cents;
        }

        public long cents() {
            return cents;
        }
    }

    interface Named {
        default String label() {
            return "named";
        }
    }

    public static final class Address {
        public String city;
        public long[] lines;

        public int getZip() {
            return 1000;
        }
    }

    private static List<String> resolve(Class<?> woven, Type root, String... path) {
        PathResolver resolver = new PathResolver(PathResolverTest.class.getClassLoader(),
                new ClassReader(WeavingSupport.classBytes(woven.getName())));
        return encoded(resolver.resolve(root, List.of(path)));
    }

    private static List<String> encoded(List<PathResolver.Step> steps) {
        List<String> encoded = new ArrayList<>();
        for (PathResolver.Step step : steps) {
            encoded.add(step.encoded + " -> " + step.result.getDescriptor());
        }
        return encoded;
    }

    private static String refusal(Class<?> woven, Type root, String... path) {
        return assertThrows(IllegalArgumentException.class, () -> resolve(woven, root, path)).getMessage();
    }

    @Test
    void eachStepIsAGetterAnIsARecordStyleAccessorOrAField() {
        Type customer = Type.getType(Customer.class);
        assertEquals(List.of("m " + PREFIX + "Customer getTier ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, customer, "tier"));
        assertEquals(List.of("m " + PREFIX + "Customer isVip ()Z -> Z"), resolve(Desk.class, customer, "vip"));
        assertEquals(List.of("m " + PREFIX + "Customer region ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, customer, "region"));
        // getX before x(), and any getter before the field.
        assertEquals(List.of("m " + PREFIX + "Customer getCode ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, customer, "code"));
        assertEquals(List.of("f " + PREFIX + "Customer address L" + PREFIX + "Address; -> L" + PREFIX + "Address;",
                        "m " + PREFIX + "Address getZip ()I -> I"),
                resolve(Desk.class, customer, "address", "zip"));
        assertEquals(List.of(), resolve(Desk.class, customer));
        // A record's component is read through its accessor, not its private field.
        assertEquals(List.of("m " + PREFIX + "Price cents ()J -> J"), resolve(Desk.class, Type.getType(Price.class), "cents"));
    }

    @Test
    void pathsFromThisReadTheWovenClassesOwnPrivateMembers() {
        assertEquals(List.of("f " + PREFIX + "Desk customer L" + PREFIX + "Customer; -> L" + PREFIX + "Customer;",
                        "m " + PREFIX + "Customer getTier ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, Type.getType(Desk.class), "customer", "tier"));
        assertEquals(List.of("f " + PREFIX + "Desk note Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, Type.getType(Desk.class), "note"));
        // Another class's private field is not the woven class's to read, though a getter of it is.
        assertEquals("no visible getter or field 'pin' on " + Customer.class.getName(),
                refusal(Desk.class, Type.getType(Desk.class), "customer", "pin"));
        assertEquals(List.of("f " + PREFIX + "Desk customer L" + PREFIX + "Customer; -> L" + PREFIX + "Customer;",
                        "m " + PREFIX + "Customer getSecret ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, Type.getType(Desk.class), "customer", "secret"));
    }

    @Test
    void staticVoidAndParameterTakingMethodsAreNoSteps() {
        Type customer = Type.getType(Customer.class);
        String on = " on " + Customer.class.getName();
        assertEquals("no visible getter or field 'registry'" + on, refusal(Desk.class, customer, "registry"));
        assertEquals("no visible getter or field 'nothing'" + on, refusal(Desk.class, customer, "nothing"));
        assertEquals("no visible getter or field 'lookup'" + on, refusal(Desk.class, customer, "lookup"));
    }

    @Test
    void membersOfSupertypesAreReadThroughTheStaticType() {
        Type premium = Type.getType(Premium.class);
        assertEquals(List.of("m " + PREFIX + "Premium getTier ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, premium, "tier"));
        assertEquals(List.of("f " + PREFIX + "Premium address L" + PREFIX + "Address; -> L" + PREFIX + "Address;"),
                resolve(Desk.class, premium, "address"));
        assertEquals(List.of("m " + PREFIX + "Premium label ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, premium, "label"));
        // Object's members are never steps.
        assertEquals("no visible getter or field 'class' on " + Premium.class.getName(), refusal(Desk.class, premium, "class"));
    }

    @Test
    void anotherPackageShowsOnlyPublicMembersOfPublicTypes() {
        Type shipment = Type.getType(Shipment.class);
        String on = " on " + Shipment.class.getName();
        String owner = "io/metricsagent/agent/weaving/elsewhere/Shipment";
        assertEquals(List.of("m " + owner + " getId ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, shipment, "id"));
        assertEquals(List.of("f " + owner + " carrier Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, shipment, "carrier"));
        // Declared public by a class that is not, and read through one that is.
        assertEquals(List.of("m " + owner + " getWeight ()I -> I"), resolve(Desk.class, shipment, "weight"));
        assertEquals("no visible getter or field 'depot'" + on, refusal(Desk.class, shipment, "depot"));
        assertEquals("no visible getter or field 'route'" + on, refusal(Desk.class, shipment, "route"));
        assertEquals("no visible getter or field 'insurer'" + on, refusal(Desk.class, shipment, "insurer"));
        Type parcel = Type.getObjectType("io/metricsagent/agent/weaving/elsewhere/Parcel");
        assertEquals("no visible getter or field 'weight' on io.metricsagent.agent.weaving.elsewhere.Parcel",
                refusal(Desk.class, parcel, "weight"));
    }

    @Test
    void aStepOnAPrimitiveAnArrayOrAnUnreadableClassIsRefused() {
        Type customer = Type.getType(Customer.class);
        assertEquals("'city' cannot be read from a int", refusal(Desk.class, customer, "address", "zip", "city"));
        assertEquals("'length' cannot be read from a long[]", refusal(Desk.class, customer, "address", "lines", "length"));
        assertEquals("'tier' cannot be read from a double", refusal(Desk.class, Type.DOUBLE_TYPE, "tier"));
        assertEquals("no visible getter or field 'tier' on com.nowhere.Ghost",
                refusal(Desk.class, Type.getObjectType("com/nowhere/Ghost"), "tier"));
    }

    @Test
    void aMethodNamedExactlyTakesTheStepsLiteral() {
        Type customer = Type.getType(Customer.class);
        assertEquals(List.of("s " + PREFIX + "Customer lookup (Ljava/lang/String;)Ljava/lang/String; a.b c -> Ljava/lang/String;"),
                resolve(Desk.class, customer, "lookup(\"a.b c\")"));
        assertEquals(List.of("i " + PREFIX + "Customer line (I)Ljava/lang/String; 2 -> Ljava/lang/String;",
                        "m java/lang/String length ()I -> I"),
                resolve(Desk.class, customer, "line(2)", "length"));
        assertEquals(List.of("s java/util/Map get (Ljava/lang/Object;)Ljava/lang/Object; k -> Ljava/lang/Object;"),
                resolve(Desk.class, Type.getType(java.util.Map.class), "get(\"k\")"));
        String on = " on " + Customer.class.getName();
        assertEquals("no visible method lookup(int)" + on, refusal(Desk.class, customer, "lookup(1)"));
        assertEquals("no visible method line(String)" + on, refusal(Desk.class, customer, "line(\"1\")"));
        // Not a getter: named exactly, so getLookup or isLookup are not what it means.
        assertEquals("no visible method tier(String)" + on, refusal(Desk.class, customer, "tier(\"x\")"));
    }

    @Test
    void asMakesLaterStepsResolveOnTheTypeItNames() {
        Type named = Type.getType(Named.class);
        assertEquals("no visible getter or field 'tier' on " + Named.class.getName(), refusal(Desk.class, named, "tier"));
        assertEquals(List.of("c " + PREFIX + "Premium -> L" + PREFIX + "Premium;",
                        "m " + PREFIX + "Premium getTier ()Ljava/lang/String; -> Ljava/lang/String;"),
                resolve(Desk.class, named, "as(" + Premium.class.getName() + ")", "tier"));
        assertEquals("as(com.nowhere.Ghost): no such class is visible to " + Desk.class.getName(),
                refusal(Desk.class, named, "as(com.nowhere.Ghost)", "tier"));
        assertEquals("as(io.metricsagent.agent.weaving.elsewhere.Parcel): the class is not public",
                refusal(Desk.class, named, "as(io.metricsagent.agent.weaving.elsewhere.Parcel)"));
    }

    /**
     * A class made at run time, which its loader serves no file for, in the fixtures' package:
     * a private field, and a superclass read from its loader.
     */
    @Test
    void aGeneratedClassIsReadFromItsOwnBytes() {
        String generated = PREFIX + "Generated$1";
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, generated, null, PREFIX + "Premium", null);
        writer.visitField(Opcodes.ACC_PRIVATE, "delegate", "L" + PREFIX + "Customer;", null, null).visitEnd();
        writer.visitEnd();
        PathResolver resolver = new PathResolver(PathResolverTest.class.getClassLoader(), new ClassReader(writer.toByteArray()));
        Type root = Type.getObjectType(generated);
        assertEquals(List.of("f " + generated + " delegate L" + PREFIX + "Customer; -> L" + PREFIX + "Customer;",
                        "m " + PREFIX + "Customer isVip ()Z -> Z"),
                encoded(resolver.resolve(root, List.of("delegate", "vip"))));
        assertEquals(List.of("m " + generated + " getTier ()Ljava/lang/String; -> Ljava/lang/String;"),
                encoded(resolver.resolve(root, List.of("tier"))));
        assertEquals("no visible getter or field 'pin' on " + Customer.class.getName(),
                assertThrows(IllegalArgumentException.class, () -> resolver.resolve(root, List.of("delegate", "pin")))
                        .getMessage());
    }
}

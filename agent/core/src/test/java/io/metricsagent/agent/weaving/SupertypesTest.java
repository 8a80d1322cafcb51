package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.junit.jupiter.api.Test;

class SupertypesTest {

    interface Gateway {}

    interface RetryingGateway extends Gateway {}

    abstract static class Base implements RetryingGateway {}

    static class Card extends Base implements Serializable {}

    static class Unrelated {}

    @Test
    void aTypeReachesItsSupertypesHoweverIndirectlyReadFromClassFilesAlone() throws IOException {
        assertEquals(true, reaches(Card.class, Gateway.class));
        assertEquals(true, reaches(Card.class, RetryingGateway.class));
        assertEquals(true, reaches(Card.class, Base.class));
        assertEquals(true, reaches(Gateway.class, Gateway.class));
        assertEquals(true, reaches(Card.class, Serializable.class));
        assertEquals(false, reaches(Unrelated.class, Gateway.class));
        assertEquals(false, reaches(Base.class, Card.class));
        assertEquals(false, reaches(Card.class, Runnable.class));
    }

    private static boolean reaches(Class<?> type, Class<?> target) throws IOException {
        String name = type.getName().replace('.', '/');
        byte[] classFile;
        try (InputStream in = type.getClassLoader().getResourceAsStream(name + ".class")) {
            classFile = in.readAllBytes();
        }
        return Supertypes.reaches(type.getClassLoader(), name, classFile, target.getName().replace('.', '/'));
    }
}

package io.metricsagent.agent.weaving;

import java.util.HashMap;
import java.util.Map;

/**
 * Numbers the nesting groups for the bridge, which keeps per thread one flag a group. A group is
 * any object with equality (a configuration rule, a group's name): the methods of equal groups
 * share a number, whichever class or loader they are in, for as long as the agent runs.
 */
final class NestingGroups {

    private static final Map<Object, Integer> NUMBERS = new HashMap<>();

    private NestingGroups() {}

    /** The group's number, or -1 for {@code null}: every call is recorded. */
    static synchronized int number(Object group) {
        if (group == null) {
            return -1;
        }
        Integer number = NUMBERS.get(group);
        if (number == null) {
            number = NUMBERS.size();
            NUMBERS.put(group, number);
        }
        return number;
    }
}

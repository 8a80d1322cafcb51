package io.metricsagent.agent.weaving;

import java.util.HashMap;
import java.util.Map;

/**
 * Numbers the nesting groups for the bridge, which keeps per thread one flag a group. A group is
 * any object with equality (a configuration rule, a group's name): the methods of equal groups
 * share a number, whichever class or loader they are in, for as long as the agent runs. The
 * numbers are the agent's: a test that builds several agents may give two groups of different
 * agents one number, which matters only to a call of one nested in a call of the other.
 */
final class NestingGroups {

    private final Map<Object, Integer> numbers = new HashMap<>();

    /** The group's number, or -1 for {@code null}: every call is recorded. */
    synchronized int number(Object group) {
        if (group == null) {
            return -1;
        }
        Integer number = numbers.get(group);
        if (number == null) {
            number = numbers.size();
            numbers.put(group, number);
        }
        return number;
    }
}

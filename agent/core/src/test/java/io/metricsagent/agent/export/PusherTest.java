package io.metricsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grouping key in the path, as the Pushgateway's README has it. */
class PusherTest {

    @Test
    void plainValuesArePercentEncodedInTheOrderGiven() {
        assertEquals("/metrics/job/nightly", Pusher.groupingPath("nightly", Map.of()));
        Map<String, String> grouping = new LinkedHashMap<>();
        grouping.put("instance", "host-1.example");
        grouping.put("name", "Προμηθεύς");
        grouping.put("note", "a b?c#d%e");
        assertEquals("/metrics/job/nightly/instance/host-1.example"
                + "/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82/note/a%20b%3Fc%23d%25e",
                Pusher.groupingPath("nightly", grouping));
    }

    @Test
    void valuesWithASlashOrThatAreDotSegmentsAreBase64() {
        Map<String, String> grouping = new LinkedHashMap<>();
        grouping.put("path", "/var/tmp");
        grouping.put("dot", ".");
        grouping.put("dots", "..");
        assertEquals("/metrics/job@base64/YmF0Y2gvMQ==/path@base64/L3Zhci90bXA=/dot@base64/Lg==/dots@base64/Li4=",
                Pusher.groupingPath("batch/1", grouping));
    }
}

package io.metricsagent.it;

import static io.metricsagent.it.RuleSelectionIT.legacyApp;
import static io.metricsagent.it.RuleSelectionIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label objects on a real JVM: a request handler of {@code it/legacy-app} labelled as an HTTP
 * server's requests are (method from a vocabulary, status with a text for a throw, route as the
 * first value that is there, the statement's SQL keyword, the database from a URL, the full class
 * name of the exception a framework wrapped), with a gauge of requests in flight by method.
 */
class LabelObjectsIT {

    static final String RULES = ""
            + "metrics:\n"
            + "  - class: io.metricsagent.legacy.web.RequestHandler\n"
            + "    method: handle\n"
            + "    histogram: legacy_request_duration_seconds\n"
            + "    buckets: [0.1, 1]\n"
            + "    in_flight: {name: legacy_active_requests, labels: [method]}\n"
            + "    labels:\n"
            + "      method: {value: 'args[0].method', map: [GET, POST], other: _OTHER}\n"
            + "      status: {value: 'args[0].status', thrown: '500'}\n"
            + "      # the request has no getPattern(): that entry is left out, silently\n"
            + "      route: {first_of: ['args[0].pattern', 'args[0].route'], missing: ''}\n"
            + "      operation: {value: 'args[0].sql', extract: sql_keyword, map: [SELECT, INSERT], missing: none}\n"
            + "      system:\n"
            + "        value: args[0].databaseUrl\n"
            + "        extract: {after: 'jdbc:', until: ':'}\n"
            + "        map: {h2: h2, oracle: oracle.db}\n"
            + "        other: other_sql\n"
            + "      error_type: {exception: class_name, none: '',\n"
            + "                   unwrap: [io.metricsagent.legacy.web.RequestHandler$HandlerException]}\n";

    @OnEveryJdk
    void eachLabelObjectGivesItsTextsExactly(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("labels.yml");
        Files.writeString(config, RULES);
        try (JvmProcess app = legacyApp(java, config)) {
            int port = app.metricsPort();
            run(app, "request 3 GET 200 /orders/{id} select h2");
            run(app, "request 2 get 404 - - h2");
            run(app, "request 4 POST 201 /orders insert oracle");
            run(app, "request 1 BREW 200 /tea merge postgresql");
            run(app, "request 2 POST 503 /orders insert h2");
            Expected.assertSamples(Exposition.scrape(port), "label objects on " + jdk, """
                    # "get" matches GET, and keeps the vocabulary's spelling; BREW is none of it.
                    # A 503 throws: status 500, the wrapped IllegalStateException named in full.
                    legacy_request_duration_seconds_count{method, status, route, operation, system, error_type} != 0
                    GET     200  /orders/{id}  SELECT  h2         ""                                 3
                    GET     404  ""            none    h2         ""                                 2
                    POST    201  /orders       INSERT  oracle.db  ""                                 4
                    _OTHER  200  /tea          other   other_sql  ""                                 1
                    POST    500  /orders       INSERT  h2         java.lang.IllegalStateException    2

                    legacy_active_requests{method}
                    GET     0
                    POST    0
                    _OTHER  0
                    """);
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }
}

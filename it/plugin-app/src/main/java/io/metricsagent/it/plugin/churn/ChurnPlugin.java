package io.metricsagent.it.plugin.churn;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The churn plugin's entry: given its deployment's number, calls each of its fifty operations
 * {@value #CALLS} times and keeps two shelves (3 and 4 items) for as long as it is deployed.
 */
public final class ChurnPlugin implements IntFunction<String> {

    static final int CALLS = 5;

    private List<Shelf> shelves;

    @Override
    public String apply(int deployment) {
        Operations.deployed(deployment);
        shelves = List.of(new Shelf(3, deployment), new Shelf(4, deployment));
        int failed = new Operations().callEach(CALLS);
        return "deployment " + deployment + " calls=" + Operations.calls() + " failed=" + failed + " shelves=" + shelves.size();
    }
}

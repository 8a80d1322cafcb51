package io.metricsagent.legacy;

/** Handlers chosen by the annotation on each method; the helper carries none. */
public class AccountHandlers {

    @Route("/accounts/open")
    public String open(String owner) {
        return "opened for " + normalize(owner);
    }

    @Route("/accounts/close")
    public String close(String owner) {
        return "closed for " + normalize(owner);
    }

    public String normalize(String owner) {
        return owner.trim();
    }
}

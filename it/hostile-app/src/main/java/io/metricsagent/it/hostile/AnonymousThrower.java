package io.metricsagent.it.hostile;

/** Makes exceptions of an anonymous class, whose simple name is empty. */
final class AnonymousThrower {

    private AnonymousThrower() {}

    static RuntimeException create(String message) {
        return new RuntimeException(message) {
            private static final long serialVersionUID = 1L;
        };
    }
}

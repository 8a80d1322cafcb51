package io.metricsagent.bench;

/**
 * The configured payment behind two layers, as a connection pool wraps a driver's statement: a
 * generated proxy class calls {@code super}, whose class delegates to the object it wraps. One
 * rule on the type selects all three levels (it/bench/metrics-agent-bench.yml); one logical call
 * passes through them.
 */
public abstract class LayeredPayments {

    public abstract ConfiguredPayments.Status charge(long orderNo, ConfiguredPayments.Request request);

    /** Three levels: {@link Proxy} over {@link Wrapper} over {@link Core}. */
    public static LayeredPayments layered() {
        return new Proxy(new Core());
    }

    /** The level that does the work. */
    public static final class Core extends LayeredPayments {
        @Override
        public ConfiguredPayments.Status charge(long orderNo, ConfiguredPayments.Request request) {
            long result = PaymentWork.process(orderNo, request.amount(), request.getCustomer().getTier(),
                    request.getMethod());
            return (result & 7) == 0 ? ConfiguredPayments.Status.DECLINED : ConfiguredPayments.Status.APPROVED;
        }
    }

    /** Delegates to what it wraps. */
    public static class Wrapper extends LayeredPayments {
        private final LayeredPayments delegate;

        public Wrapper(LayeredPayments delegate) {
            this.delegate = delegate;
        }

        @Override
        public ConfiguredPayments.Status charge(long orderNo, ConfiguredPayments.Request request) {
            return delegate.charge(orderNo, request);
        }
    }

    /** Overrides and calls {@code super}, as a generated proxy does. */
    public static final class Proxy extends Wrapper {
        public Proxy(LayeredPayments delegate) {
            super(delegate);
        }

        @Override
        public ConfiguredPayments.Status charge(long orderNo, ConfiguredPayments.Request request) {
            return super.charge(orderNo, request);
        }
    }
}

package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/** An annotated native method, never called (there is no library): the agent must skip it cleanly. */
final class NativeHolder {

    private NativeHolder() {}

    @MeteredPayment(gateway = "case_native", currency = "case_native", service = "case_native")
    static native int nativePay(int i);

    static String touch(int i) {
        return "native holder " + i;
    }
}

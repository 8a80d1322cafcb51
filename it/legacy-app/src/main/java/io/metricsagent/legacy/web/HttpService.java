package io.metricsagent.legacy.web;

/** The middle of the chain: a request the level below fails with {@code fail-recover} is turned into an answer. */
public class HttpService extends BaseService {

    @Override
    public String service(String request) {
        try {
            return super.service(request);
        } catch (IllegalStateException e) {
            if (request.equals("fail-recover")) {
                return "recovered";
            }
            throw e;
        }
    }
}

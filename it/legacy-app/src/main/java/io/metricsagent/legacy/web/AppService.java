package io.metricsagent.legacy.web;

/** The application's own service, the top of the chain. */
public class AppService extends HttpService {

    @Override
    public String service(String request) {
        return super.service(request.trim());
    }
}

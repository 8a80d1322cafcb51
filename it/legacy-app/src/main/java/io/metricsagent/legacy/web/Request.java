package io.metricsagent.legacy.web;

/** A request as a small web framework hands it to its handler: what label objects read. */
public final class Request {

    private final String method;
    private final String route;
    private final String sql;
    private final String databaseUrl;
    private final int status;

    /**
     * @param route the route template that matched, or {@code null} for none
     * @param sql   the statement the handler runs, or {@code null} for none
     */
    public Request(String method, String route, String sql, String databaseUrl, int status) {
        this.method = method;
        this.route = route;
        this.sql = sql;
        this.databaseUrl = databaseUrl;
        this.status = status;
    }

    public String getMethod() {
        return method;
    }

    public String getRoute() {
        return route;
    }

    public String getSql() {
        return sql;
    }

    public String getDatabaseUrl() {
        return databaseUrl;
    }

    public int getStatus() {
        return status;
    }
}

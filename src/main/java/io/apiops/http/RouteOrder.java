package io.apiops.http;

/**
 * The order of every handler the service adds to the Vert.x router, in one place: a lower number runs first. The
 * resources themselves run after all of them, at the framework's own order.
 */
public final class RouteOrder {

    /** Headers every response carries, set before anything can answer. */
    public static final int SECURITY_HEADERS = Integer.MIN_VALUE;

    /** A request target that is not a valid URI (broken percent-encoding) is refused before any route reads its path. */
    public static final int REQUEST_TARGET = Integer.MIN_VALUE + 1;

    /** Failures of the HTTP layer, answered in the API's error shape. */
    public static final int FAILURES = Integer.MIN_VALUE + 2;

    /** Bodies announced larger than the limit are refused before they are read. */
    public static final int BODY_LIMIT = Integer.MIN_VALUE + 3;

    /** Browsers asking for the API documents are sent to the interactive page. */
    public static final int API_DOCS = Integer.MIN_VALUE + 4;

    /**
     * A bearer token the bearer check has verified before authenticates here, at the router: after the framework's
     * authentication handler (order -200) has prepared its lazy authentication, before its authorization (-100).
     */
    public static final int KNOWN_BEARER = -150;

    /** Paths no resource serves: the last route of all. */
    public static final int NOT_FOUND = Integer.MAX_VALUE;

    private RouteOrder() {
    }
}

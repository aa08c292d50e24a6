/**
 * The HTTP pipeline ahead of the resources: the named order of every router-level step ({@link RouteOrder}), headers
 * every response carries, server options, and who the client is ({@link ClientAddress}).
 */
package io.apiops.http;

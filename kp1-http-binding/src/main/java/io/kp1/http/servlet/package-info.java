/**
 * The Jakarta Servlet adapter of the 1/KP HTTP server: {@link io.kp1.http.servlet.Kp1Servlet}.
 * Needs {@code jakarta.servlet-api} 6 (an optional dependency: the container brings it).
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new Kp1Servlet(router)), "/kpc/*");
 * }</pre>
 */
package io.kp1.http.servlet;

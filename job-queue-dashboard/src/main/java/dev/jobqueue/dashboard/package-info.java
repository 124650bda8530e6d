/**
 * The operator dashboard: {@link dev.jobqueue.dashboard.Dashboard} serves a web page and a JSON
 * API over any storage's queues, embedded (JDK HTTP server) or mounted in an existing server.
 */
package dev.jobqueue.dashboard;

/** Small runnable programs that show how to use the library. */
package dev.jobqueue.examples;

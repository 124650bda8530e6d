/** FileStorage: a crash-safe journal in one directory, for single-host deploys. */
package dev.jobqueue.file;

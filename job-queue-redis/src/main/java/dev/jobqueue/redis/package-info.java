/** RedisStorage: the storage for many processes on many hosts. */
package dev.jobqueue.redis;

package dev.jobqueue.redis;

import java.net.URI;
import java.util.Set;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/** The Jedis clients {@link RedisStorage.Builder} creates when the application gives none. */
final class RedisClients {
    private RedisClients() {
    }

    static UnifiedJedis standalone(HostAndPort target, URI uri, int poolSize, SslOptions tls) {
        return RedisClient.builder().hostAndPort(target).clientConfig(config(uri, tls)).poolConfig(pool(poolSize)).build();
    }

    static UnifiedJedis cluster(Set<HostAndPort> seeds, int poolSize, SslOptions tls) {
        return RedisClusterClient.builder().nodes(seeds).clientConfig(config(null, tls)).poolConfig(pool(poolSize)).build();
    }

    private static ConnectionPoolConfig pool(int size) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setJmxEnabled(false);
        return pool;
    }

    private static JedisClientConfig config(URI uri, SslOptions tls) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2000)
                .socketTimeoutMillis(5000)
                // blocking reads (BLPOP, pub/sub) time out, so a silently dead connection is noticed
                .blockingSocketTimeoutMillis(10_000)
                .clientName("job-queue");
        if (uri != null) {
            config.user(JedisURIHelper.getUser(uri))
                    .password(JedisURIHelper.getPassword(uri))
                    .database(JedisURIHelper.getDBIndex(uri));
        }
        if (tls != null) {
            config.sslOptions(tls);
        } else if (uri != null && JedisURIHelper.isRedisSSLScheme(uri)) {
            config.sslOptions(SslOptions.defaults());
        }
        return config.build();
    }
}

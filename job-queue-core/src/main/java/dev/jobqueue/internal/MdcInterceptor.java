package dev.jobqueue.internal;

import dev.jobqueue.Job;
import dev.jobqueue.JobInterceptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * The built-in SLF4J MDC support, as the outermost interceptor of a queue.
 *
 * <p>Producer side ({@code propagateMdc(keys)}): at enqueue, the listed MDC entries of the calling
 * thread are copied into the job's metadata as {@code "mdc.<key>"} (metadata the caller set under
 * that name wins). Worker side ({@code mdc(true)}, the default): while the handler and the inner
 * interceptors run, MDC holds {@code jobqueue.jobId}, {@code jobqueue.queue},
 * {@code jobqueue.attempt} and every {@code "mdc.<key>"} metadata entry as {@code <key>}; afterwards
 * each of those keys gets back the value it had before (or is removed), also when the attempt throws.
 *
 * <p>It works on the MDC adapter of the SLF4J binding in use ({@link MDC#getMDCAdapter()}); with a
 * binding without MDC support, such as slf4j-simple, the queue leaves it out.
 */
final class MdcInterceptor implements JobInterceptor {
    static final String JOB_ID = "jobqueue.jobId";
    static final String QUEUE = "jobqueue.queue";
    static final String ATTEMPT = "jobqueue.attempt";
    static final String PREFIX = "mdc.";

    private final MDCAdapter mdc;
    private final boolean jobContext;
    private final String[] propagated;

    /**
     * @param mdc        the MDC to read and set (SLF4J's, {@link MDC#getMDCAdapter()}, outside tests)
     * @param jobContext whether attempts run with the job's MDC entries (jobqueue.* and mdc.* metadata)
     * @param propagated MDC keys copied into the metadata at enqueue
     */
    MdcInterceptor(MDCAdapter mdc, boolean jobContext, List<String> propagated) {
        this.mdc = mdc;
        this.jobContext = jobContext;
        this.propagated = propagated.toArray(new String[0]);
    }

    /**
     * The interceptor for these options on {@code mdc}, or null when it would do nothing: both
     * options off, or a binding without MDC (its no-op adapter), where it would only cost time.
     */
    static MdcInterceptor forOptions(MDCAdapter mdc, boolean jobContext, List<String> propagated) {
        if (mdc == null || mdc instanceof NOPMDCAdapter || (!jobContext && propagated.isEmpty())) {
            return null;
        }
        return new MdcInterceptor(mdc, jobContext, propagated);
    }

    @Override
    public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
        Map<String, String> withMdc = null;
        for (String key : propagated) {
            String value = mdc.get(key);
            if (value != null && !metadata.containsKey(PREFIX + key)) {
                if (withMdc == null) {
                    withMdc = new LinkedHashMap<>(metadata);
                }
                withMdc.put(PREFIX + key, value);
            }
        }
        return withMdc == null ? metadata : withMdc;
    }

    @Override
    public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
        if (!jobContext) {
            return attempt.proceed();
        }
        Map<String, String> metadata = job.metadata();
        int size = 3;
        for (String key : metadata.keySet()) {
            if (isPropagated(key)) {
                size++;
            }
        }
        String[] keys = new String[size];
        String[] values = new String[size];
        keys[0] = JOB_ID;
        values[0] = job.id();
        keys[1] = QUEUE;
        values[1] = queue;
        keys[2] = ATTEMPT;
        values[2] = Integer.toString(job.attempt());
        int i = 3;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (isPropagated(e.getKey())) {
                keys[i] = e.getKey().substring(PREFIX.length());
                values[i++] = e.getValue();
            }
        }
        String[] previous = new String[size];
        for (int k = 0; k < size; k++) {
            previous[k] = mdc.get(keys[k]);
            mdc.put(keys[k], values[k]);
        }
        try {
            return attempt.proceed();
        } finally {
            // In reverse, so a key set twice (a propagated key named like a job key) ends as it began.
            for (int k = size - 1; k >= 0; k--) {
                if (previous[k] == null) {
                    mdc.remove(keys[k]);
                } else {
                    mdc.put(keys[k], previous[k]);
                }
            }
        }
    }

    private static boolean isPropagated(String metadataKey) {
        return metadataKey.length() > PREFIX.length() && metadataKey.startsWith(PREFIX);
    }

    @Override
    public String toString() {
        return "MdcInterceptor[jobContext=" + jobContext + ", propagated=" + List.of(propagated) + "]";
    }
}

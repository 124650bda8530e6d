package dev.jobqueue.internal;

import dev.jobqueue.Job;
import dev.jobqueue.JobInterceptor;
import dev.jobqueue.spi.JobMetadata;
import java.util.List;
import java.util.Map;

/**
 * The {@link JobInterceptor}s of one queue as one chain, the first registered outermost: the
 * built-in {@link MdcInterceptor} (when on), then the user's in registration order.
 */
public final class Interceptors {
    private static final Interceptors NONE = new Interceptors(List.of());

    private final JobInterceptor[] chain;

    private Interceptors(List<JobInterceptor> chain) {
        this.chain = chain.toArray(new JobInterceptor[0]);
    }

    /** A chain of {@code interceptors}, outermost first. */
    public static Interceptors of(List<JobInterceptor> interceptors) {
        return interceptors.isEmpty() ? NONE : new Interceptors(interceptors);
    }

    /** The chain, outermost first. */
    List<JobInterceptor> asList() {
        return List.of(chain);
    }

    /**
     * Runs every interceptor's {@link JobInterceptor#beforeEnqueue} on the calling (producer)
     * thread, outermost first, each seeing what the one before returned.
     *
     * @return the metadata to store: unmodifiable, within the bounds of {@link JobMetadata}
     * @throws IllegalArgumentException naming {@code metadata} when an interceptor returns null or
     *         metadata beyond the bounds
     */
    public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
        Map<String, String> current = metadata;
        for (JobInterceptor interceptor : chain) {
            Map<String, String> next = interceptor.beforeEnqueue(queue, jobId, current);
            if (next == null) {
                throw new IllegalArgumentException("metadata returned by interceptor " + interceptor + " must not be null");
            }
            if (next != current) {
                JobMetadata.requireValid(next, "metadata");
                current = JobMetadata.copyOf(next, "metadata");
            }
        }
        return current;
    }

    /**
     * Runs {@code handler} inside every interceptor's {@link JobInterceptor#aroundAttempt}, on the
     * calling (handler) thread. What the handler or an interceptor throws comes out unchanged.
     */
    public Object aroundAttempt(String queue, Job<?> job, JobInterceptor.Attempt handler) throws Exception {
        if (chain.length == 0) {
            return handler.proceed();
        }
        return new Link(queue, job, handler, 0).proceedOnce();
    }

    /** The rest of the chain from one interceptor on; proceeding twice would run the handler twice. */
    private final class Link implements JobInterceptor.Attempt {
        private final String queue;
        private final Job<?> job;
        private final JobInterceptor.Attempt handler;
        private final int index;
        private boolean proceeded;

        Link(String queue, Job<?> job, JobInterceptor.Attempt handler, int index) {
            this.queue = queue;
            this.job = job;
            this.handler = handler;
            this.index = index;
        }

        Object proceedOnce() throws Exception {
            return chain[index].aroundAttempt(queue, job, this);
        }

        @Override
        public Object proceed() throws Exception {
            if (proceeded) {
                throw new IllegalStateException("interceptor " + chain[index] + " called proceed() twice for job " + job.id());
            }
            proceeded = true;
            int next = index + 1;
            return next == chain.length ? handler.proceed() : new Link(queue, job, handler, next).proceedOnce();
        }
    }
}

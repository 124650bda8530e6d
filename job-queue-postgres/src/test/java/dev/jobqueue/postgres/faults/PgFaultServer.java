package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.contract.Eventually;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The shared PostgreSQL server as the fault tests see it: the JDBC URL ({@code JOBQUEUE_PG_URL},
 * default the local {@code test} database as user postgres), a fresh schema per test class that
 * only that class drops, the backends of one storage (found by the {@code ApplicationName} the
 * test puts into the storage's URL), and a restart of the local Debian cluster with
 * {@code pg_ctlcluster} that always leaves the server running.
 */
final class PgFaultServer {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final Duration SERVER_PATIENCE = Duration.ofSeconds(60);

    private PgFaultServer() {
    }

    static String url() {
        String url = System.getenv("JOBQUEUE_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** {@link #url()} with {@code ApplicationName=name}, so that {@link #backends} finds this storage's connections. */
    static String urlNamed(String applicationName) {
        return url() + (url().contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
    }

    /** A schema name no other test or run uses: {@code jqfault_<owner>_<random>}. */
    static String uniqueSchema(String owner) {
        return "jqfault_" + owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "_"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    /** A unique application name ({@code jqfault-<role>-<random>}) for one storage's connections. */
    static String uniqueApplicationName(String role) {
        return "jqfault-" + role + "-" + Integer.toString(ThreadLocalRandom.current().nextInt() >>> 1, 36);
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Drops the schema this test class created, and only it. */
    static void dropSchema(String schema) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + quoteIdent(schema) + " CASCADE");
        }
    }

    static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** One server backend: its pid and the last statement it ran. */
    record Backend(int pid, String query) {
    }

    /** The backends connected with {@code applicationName}. */
    static List<Backend> backends(String applicationName) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pid, query FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, applicationName);
            List<Backend> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Backend(rs.getInt(1), rs.getString(2)));
                }
            }
            return out;
        }
    }

    /** {@code pg_terminate_backend} for every backend connected with {@code applicationName}; returns how many ended. */
    static int terminateBackends(String applicationName) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                     + "FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Skips the calling test unless this machine runs the server as a local Debian cluster it may restart. */
    static void assumeLocalCluster() {
        assumeTrue(clusterVersion() != null && new File("/usr/bin/pg_ctlcluster").canExecute()
                        && (url().contains("//127.0.0.1") || url().contains("//localhost")),
                "needs the local Debian PostgreSQL cluster (pg_ctlcluster) behind JOBQUEUE_PG_URL");
    }

    /** Stops the local cluster (fast shutdown: every session ends), keeps it down for {@code down}, starts it again. */
    static void restart(Duration down) throws IOException, InterruptedException {
        try {
            pgCtlCluster("stop");
            Thread.sleep(down.toMillis()); // the outage the storage must ride out
        } finally {
            ensureRunning();
        }
    }

    /** Starts the local cluster when it does not answer, and waits until it accepts connections. */
    static void ensureRunning() throws IOException, InterruptedException {
        if (!accepts()) {
            pgCtlCluster("start");
        }
        Eventually.await("PostgreSQL accepting connections again", SERVER_PATIENCE, PgFaultServer::accepts);
    }

    private static boolean accepts() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void pgCtlCluster(String action) throws IOException, InterruptedException {
        List<String> command = List.of("pg_ctlcluster", "--skip-systemctl-redirect", clusterVersion(), "main", action);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(SERVER_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // "start" on a running cluster exits 2; the caller waits for the server either way.
        if (p.exitValue() != 0 && !(action.equals("start") && p.exitValue() == 2)) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
        }
    }

    private static String clusterVersion() {
        String[] versions = new File("/etc/postgresql").list();
        if (versions == null || versions.length == 0) {
            return null;
        }
        return Arrays.stream(versions).max(Comparator.comparingInt(v -> Integer.parseInt(v.split("\\.")[0]))).orElseThrow();
    }
}

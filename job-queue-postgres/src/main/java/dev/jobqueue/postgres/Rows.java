package dev.jobqueue.postgres;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.JobSnapshot;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reads the storage's rows into SPI values. */
final class Rows {
    private Rows() {
    }

    /** A snapshot from the columns of {@link Sql#SNAPSHOT_COLUMNS}, starting at column 1. */
    static JobSnapshot snapshot(ResultSet rs) throws SQLException {
        JobState state = JobState.values()[rs.getShort(2)];
        byte[] error = rs.getBytes(10);
        return new JobSnapshot(Text.decode(rs.getString(1)), state, rs.getInt(3), instant(rs, 4),
                state == JobState.DELAYED || state == JobState.FAILING ? instant(rs, 5) : null,
                rs.getInt(6), rs.getInt(7), rs.getInt(8),
                state == JobState.COMPLETED ? rs.getBytes(9) : null,
                error == null ? null : JobErrorCodec.decode(error),
                state.isTerminal() ? instant(rs, 11) : null,
                Text.decode(rs.getString(12)),
                state == JobState.PROCESSING ? instant(rs, 13) : null,
                rs.getBytes(14), MetadataCodec.decode(rs.getBytes(15)), instant(rs, 16), instant(rs, 17));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }
}

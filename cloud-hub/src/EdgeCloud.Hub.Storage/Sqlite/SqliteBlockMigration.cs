using EdgeCloud.Proto.Sync.V1;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// Schema version 6's data step: the rows of the old <c>points</c> table become blocks, then the table and its
/// index are dropped, inside the migration's transaction (a failure leaves the database at version 5).
/// Converting once, rather than reading both layouts until retention empties the old table, keeps one read
/// path and one retention path, and frees the old index's space at once; the cost is a one-off pass at the
/// first start of the new hub (it streams the old rows in (agent, tag, time, arrival) order along their index,
/// holding at most one block in memory).
/// </summary>
internal static class SqliteBlockMigration
{
    public static void ConvertPoints(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT agent_id, tag, ts, value_kind, num, int_num, txt, quality, detail FROM points ORDER BY agent_id, tag, ts, rowid";
        using var writer = new Writer(connection, transaction);
        using (var reader = read.ExecuteReader())
        {
            string? agent = null, tag = null;
            var series = new List<Point>();
            var scratch = new List<Point>();
            while (reader.Read())
            {
                var (rowAgent, rowTag) = (reader.GetString(0), reader.GetString(1));
                if (rowAgent != agent || rowTag != tag)
                {
                    writer.Flush(agent, tag, series, scratch);
                    (agent, tag) = (rowAgent, rowTag);
                }

                series.Add(ReadPoint(reader));

                // Rows come in time order, so a full or too long run is a finished block: memory stays bounded.
                if (series.Count == PointBlockCodec.MaxPoints || (long)(series[^1].TimeUnixNano - series[0].TimeUnixNano) > PointBlockCodec.MaxSpanNanos)
                {
                    var last = series[^1];
                    series.RemoveAt(series.Count - 1);
                    writer.Flush(agent, tag, series, scratch);
                    series.Add(last);
                }
            }

            writer.Flush(agent, tag, series, scratch);
        }

        writer.SaveClock();
        using var drop = connection.CreateCommand();
        drop.Transaction = transaction;
        drop.CommandText = "DROP TABLE points";
        drop.ExecuteNonQuery();
    }

    private static Point ReadPoint(SqliteDataReader reader)
    {
        var point = new Point
        {
            TimeUnixNano = unchecked((ulong)reader.GetInt64(2)),
            Quality = (Quality)reader.GetInt32(7),
            StatusDetail = (uint)reader.GetInt64(8),
        };
        switch ((Point.ValueOneofCase)reader.GetInt32(3))
        {
            case Point.ValueOneofCase.Number:
                point.Number = reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4);
                break;
            case Point.ValueOneofCase.Integer:
                point.Integer = reader.GetInt64(5);
                break;
            case Point.ValueOneofCase.Flag:
                point.Flag = reader.GetInt64(5) != 0;
                break;
            case Point.ValueOneofCase.Text:
                point.Text = reader.GetString(6);
                break;
        }

        return point;
    }

    private sealed class Writer : IDisposable
    {
        private readonly SqliteCommand _seriesInsert;
        private readonly SqliteCommand _seriesSelect;
        private readonly SqliteCommand _block;
        private readonly SqliteCommand _clock;
        private long _nextBlock = 1;

        public Writer(SqliteConnection connection, SqliteTransaction transaction)
        {
            _seriesInsert = Create(connection, transaction, "INSERT INTO series_ids (agent_id, tag) VALUES ($a, $t) ON CONFLICT DO NOTHING", "$a", "$t");
            _seriesSelect = Create(connection, transaction, "SELECT series_id FROM series_ids WHERE agent_id = $a AND tag = $t", "$a", "$t");
            _block = Create(
                connection,
                transaction,
                "INSERT INTO point_blocks (series_id, first_ts, block_no, last_ts, point_count, body) VALUES ($s, $f, $n, $l, $c, $b)",
                "$s", "$f", "$n", "$l", "$c", "$b");
            _clock = Create(connection, transaction, "UPDATE block_clock SET next_block = $n", "$n");
        }

        public void Flush(string? agent, string? tag, List<Point> series, List<Point> scratch)
        {
            if (agent is null || tag is null || series.Count == 0)
            {
                return;
            }

            _seriesInsert.Bind(agent, tag).ExecuteNonQuery();
            var id = (long)_seriesSelect.Bind(agent, tag).ExecuteScalar()!;
            PointBlockCodec.ForEachBlock(series, scratch, (this, id), static (s, points, first, last) =>
                s.Item1._block.Bind(s.id, first, s.Item1._nextBlock++, last, points.Count, PointBlockCodec.Encode(points, first)).ExecuteNonQuery());
            series.Clear();
        }

        public void SaveClock() => _clock.Bind(_nextBlock).ExecuteNonQuery();

        public void Dispose()
        {
            _seriesInsert.Dispose();
            _seriesSelect.Dispose();
            _block.Dispose();
            _clock.Dispose();
        }

        private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            return command;
        }
    }
}

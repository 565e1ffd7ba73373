using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>
/// <see cref="IFleetStore"/> and <see cref="IFleetOperationsStore"/> on PostgreSQL (schema <c>fleet</c>), shared by
/// every hub replica. Each method is one statement or one transaction, so concurrent replicas need no gate of
/// their own: single-use tokens and the queued-to-sent step of a command are conditional UPDATEs that exactly
/// one caller wins; site config versions come from an INSERT ... SELECT MAX under a unique key, retried on a
/// collision. Every listing query names the tenant.
/// </summary>
internal sealed partial class PostgresFleetStore : IFleetStore, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    public PostgresFleetStore(string connectionString, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _time = time;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        PostgresSchemaMigrator.Apply(connection, PostgresFleetMigrations.AdvisoryLockKey, PostgresFleetMigrations.Schema, PostgresFleetMigrations.Steps, UnixNanos.From(_time.GetUtcNow()));
    }

    public void Dispose() => _dataSource.Dispose();

    private NpgsqlCommand Command(NpgsqlConnection? connection, string sql, object?[] parameters)
    {
        var command = connection is null ? _dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value switch
            {
                // A null has no type of its own; every nullable column here is text or bigint, and "$n IS NULL" needs one.
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                DateTimeOffset time => new NpgsqlParameter<long> { TypedValue = time.UtcTicks },
                TimeSpan span => new NpgsqlParameter<TimeSpan> { TypedValue = span },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(null, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> TryInsertAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        try
        {
            await ExecuteAsync(sql, cancellationToken, parameters);
            return true;
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    private static DateTimeOffset? OptionalTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    private static string? OptionalText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string[] Strings(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<string[]>(ordinal);
}

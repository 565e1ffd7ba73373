using System.Data.Common;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>A connection with its exclusive write transaction; disposing rolls back what was not committed and releases the writer lock.</summary>
internal sealed class WriteScope(DbConnection connection, DbTransaction transaction, IDisposable? gate) : IAsyncDisposable
{
    public DbConnection Connection => connection;

    public DbTransaction Transaction => transaction;

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = AlertStore.Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = AlertStore.Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
        gate?.Dispose();
    }
}

using System.Data.Common;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>Alert configuration documents (hub rules, channels).</summary>
internal abstract partial class AlertStore
{
    /// <inheritdoc />
    public async Task<bool> PutConfigAsync(string tenant, string kind, string id, string json, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        var created = await write.ExecuteAsync(
            "INSERT INTO alert_configs (tenant, kind, id, body, updated_at) VALUES (@t, @k, @id, @b, @u) ON CONFLICT (tenant, kind, id) DO NOTHING",
            cancellationToken, ("t", tenant), ("k", kind), ("id", id), ("b", json), ("u", now.ToUnixTimeMilliseconds())) == 1;
        if (!created)
        {
            await write.ExecuteAsync(
                "UPDATE alert_configs SET body = @b, updated_at = @u WHERE tenant = @t AND kind = @k AND id = @id",
                cancellationToken, ("t", tenant), ("k", kind), ("id", id), ("b", json), ("u", now.ToUnixTimeMilliseconds()));
        }

        await write.CommitAsync(cancellationToken);
        return created;
    }

    /// <inheritdoc />
    public async Task<string?> GetConfigAsync(string tenant, string kind, string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT body FROM alert_configs WHERE tenant = @t AND kind = @k AND id = @id", ("t", tenant), ("k", kind), ("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertConfigDocument>> ListConfigsAsync(string tenant, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT tenant, id, body FROM alert_configs WHERE tenant = @t AND kind = @k ORDER BY id", ("t", tenant), ("k", kind));
        return await ReadDocumentsAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertConfigDocument>> ListAllConfigsAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT tenant, id, body FROM alert_configs WHERE kind = @k ORDER BY tenant, id", ("k", kind));
        return await ReadDocumentsAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteConfigAsync(string tenant, string kind, string id, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        var deleted = await write.ExecuteAsync("DELETE FROM alert_configs WHERE tenant = @t AND kind = @k AND id = @id", cancellationToken, ("t", tenant), ("k", kind), ("id", id));
        await write.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    private static async Task<IReadOnlyList<AlertConfigDocument>> ReadDocumentsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var documents = new List<AlertConfigDocument>();
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(new AlertConfigDocument(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return documents;
    }
}

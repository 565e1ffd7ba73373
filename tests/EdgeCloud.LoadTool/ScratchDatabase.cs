using Npgsql;

namespace EdgeCloud.LoadTool;

/// <summary>A fresh PostgreSQL database for one measurement, created from an admin connection string and dropped after.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private ScratchDatabase(string admin, string name, string connectionString) => (_admin, _name, ConnectionString) = (admin, name, connectionString);

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string adminConnectionString, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
        return new ScratchDatabase(adminConnectionString, name, builder.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

namespace EdgeCloud.Hub.Storage;

/// <summary>The storage backends the hub can run on.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file in the data folder: durable, nothing else to install.</summary>
    Sqlite = 0,

    /// <summary>Process memory only: fast, lost on restart. For tests and demos.</summary>
    InMemory = 1,

    /// <summary>
    /// A PostgreSQL database (<see cref="HubStorageOptions.ConnectionString"/>): several hub replicas can share
    /// it; points arrive by binary COPY. Configure with <c>Storage:Provider=Postgres</c>.
    /// </summary>
    Postgres = 2,
}

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>
/// Per-tenant alert configuration documents (hub rules, notification channels), each a JSON body under
/// (tenant, kind, id). The API validates bodies before they get here; readers parse them again.
/// </summary>
public interface IAlertConfigStore
{
    /// <summary>Creates or replaces a document; true when it was created.</summary>
    Task<bool> PutConfigAsync(string tenant, string kind, string id, string json, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>One document's JSON, or null.</summary>
    Task<string?> GetConfigAsync(string tenant, string kind, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's documents of <paramref name="kind"/>, by id.</summary>
    Task<IReadOnlyList<AlertConfigDocument>> ListConfigsAsync(string tenant, string kind, CancellationToken cancellationToken);

    /// <summary>Every tenant's documents of <paramref name="kind"/> (the rule evaluator).</summary>
    Task<IReadOnlyList<AlertConfigDocument>> ListAllConfigsAsync(string kind, CancellationToken cancellationToken);

    /// <summary>Deletes a document; false when there was none.</summary>
    Task<bool> DeleteConfigAsync(string tenant, string kind, string id, CancellationToken cancellationToken);
}

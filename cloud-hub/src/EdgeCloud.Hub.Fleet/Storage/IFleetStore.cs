namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>
/// Where the fleet's identity and access state lives (SQLite <c>fleet.db</c> by default; PostgreSQL, schema
/// <c>fleet</c>, with <c>Storage:Provider=Postgres</c>). Every method is atomic on its own; tenant ids are part of
/// every query that lists, so callers cannot read across tenants by accident. The audit log is append-only:
/// there is no method that changes or deletes an entry.
/// </summary>
public interface IFleetStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Adds a tenant; false when the id exists.</summary>
    Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken);

    /// <summary>One tenant, or null.</summary>
    Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every tenant.</summary>
    Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken);

    /// <summary>Adds a user; false when the id exists.</summary>
    Task<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken);

    /// <summary>The users of one tenant.</summary>
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>True when the hub has any user at all (false on a fresh hub).</summary>
    Task<bool> AnyUserAsync(CancellationToken cancellationToken);

    /// <summary>Stores the hash of a new API key of <paramref name="userId"/>.</summary>
    Task AddApiKeyAsync(string keyHash, string keyId, string userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The user an API key (by hash) belongs to, or null.</summary>
    Task<UserRecord?> FindUserByApiKeyAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Stores a new enrollment token (its hash).</summary>
    Task AddEnrollmentTokenAsync(EnrollmentTokenRecord token, CancellationToken cancellationToken);

    /// <summary>A token by hash, used or not, or null.</summary>
    Task<EnrollmentTokenRecord?> GetEnrollmentTokenAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Marks a token used; false when it was used already (only one caller ever gets true).</summary>
    Task<bool> MarkEnrollmentTokenUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Registers an enrolled agent with its first certificate; false when the id is taken by an agent that is not revoked.</summary>
    Task<bool> EnrollAgentAsync(FleetAgentRecord agent, CancellationToken cancellationToken);

    /// <summary>Records a renewed certificate as the agent's newest; its older ones stay valid until they expire.</summary>
    Task AddCertificateAsync(string agentId, string serial, string thumbprint, DateTimeOffset notAfter, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="serial"/> was issued to <paramref name="agentId"/>.</summary>
    Task<bool> IsCertificateOfAsync(string agentId, string serial, CancellationToken cancellationToken);

    /// <summary>One agent, or null.</summary>
    Task<FleetAgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>The agents of one tenant, by id.</summary>
    Task<IReadOnlyList<FleetAgentRecord>> ListAgentsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Revokes an agent; false when it is unknown or already revoked.</summary>
    Task<bool> RevokeAgentAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Replaces labels and groups of an agent; false when it is unknown.</summary>
    Task<bool> SetLabelsAsync(string agentId, IReadOnlyList<string> labels, IReadOnlyList<string> groups, CancellationToken cancellationToken);

    /// <summary>Appends to the audit log and returns the entry with its position.</summary>
    Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Audit entries of one tenant after position <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenant, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>The tenant's retention policies as last set through the API (a JSON array, see docs/hub-storage.md), or null when never set.</summary>
    Task<string?> GetRetentionPoliciesAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Replaces the tenant's retention policies with <paramref name="json"/>.</summary>
    Task SetRetentionPoliciesAsync(string tenant, string json, string updatedBy, DateTimeOffset now, CancellationToken cancellationToken);
}

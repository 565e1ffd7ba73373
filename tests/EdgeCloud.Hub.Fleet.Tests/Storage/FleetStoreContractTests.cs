using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Fleet.Storage.Postgres;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EdgeCloud.Hub.Fleet.Tests.Storage;

/// <summary>
/// What every fleet store guarantees, run against each backend (SQLite file, PostgreSQL database): tenant
/// scoping, single-use tokens and single-claim commands under concurrency, re-enrollment only after
/// revocation, growing config versions, an audit log that cannot be changed even by SQL, and (in the .Rollouts part) campaign steps one replica wins.
/// </summary>
public abstract partial class FleetStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private protected IFleetStore Store { get; private set; } = null!;

    private protected IFleetOperationsStore Operations => (IFleetOperationsStore)Store;

    public async Task InitializeAsync()
    {
        Store = CreateStore();
        await Store.InitializeAsync(None);

        // A second initialization (another replica, a restart) finds the schema current and keeps the data.
        await Store.CreateTenantAsync(new TenantRecord("t1", "Tenant one", Now), None);
        await Store.InitializeAsync(None);
    }

    public Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        DisposeBackend();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Tenants_CreatedTwice_SecondRefusedAndFirstKept()
    {
        Assert.False(await Store.CreateTenantAsync(new TenantRecord("t1", "Other name", Now), None));
        Assert.True(await Store.CreateTenantAsync(new TenantRecord("t2", "Tenant two", Now), None));

        Assert.Equal([("t1", "Tenant one", Now), ("t2", "Tenant two", Now)], (await Store.ListTenantsAsync(None)).Select(t => (t.Id, t.Name, t.CreatedAt)));
    }

    [Fact]
    public async Task UsersAndAgents_ListedPerTenant_NeverAnotherTenants()
    {
        Assert.False(await Store.AnyUserAsync(None));
        await Store.CreateUserAsync(new UserRecord("u1", "t1", "One", "admin", Now), None);
        await Store.CreateUserAsync(new UserRecord("u2", "t2", "Two", "viewer", Now), None);
        await Store.AddApiKeyAsync("hash-2", "key-2", "u2", Now, None);
        await Store.EnrollAgentAsync(Agent("a1", "t1", "serial-1"), None);
        await Store.EnrollAgentAsync(Agent("a2", "t2", "serial-2"), None);

        Assert.True(await Store.AnyUserAsync(None));
        Assert.Equal(["u1"], (await Store.ListUsersAsync("t1", None)).Select(u => u.Id));
        Assert.Equal(["a2"], (await Store.ListAgentsAsync("t2", None)).Select(a => a.AgentId));
        Assert.Equal(("u2", "t2", "viewer"), (await Store.FindUserByApiKeyAsync("hash-2", None)) is { } u ? (u.Id, u.Tenant, u.Role) : default);
        Assert.Null(await Store.FindUserByApiKeyAsync("hash-unknown", None));
    }

    [Fact]
    public async Task EnrollmentToken_UsedConcurrently_ExactlyOneWins()
    {
        await Store.AddEnrollmentTokenAsync(new EnrollmentTokenRecord("tok-hash", "tok-1", "t1", ["site=berlin", "line-3"], Now.AddHours(1), null, "u1"), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.MarkEnrollmentTokenUsedAsync("tok-hash", Now, None)));

        Assert.Single(results, r => r);
        var token = await Store.GetEnrollmentTokenAsync("tok-hash", None);
        Assert.Equal(Now, token!.UsedAt);
        Assert.Equal(["site=berlin", "line-3"], token.Labels);
    }

    [Fact]
    public async Task EnrollAgent_IdTakenUntilRevoked_ThenOldCertificatesGone()
    {
        Assert.True(await Store.EnrollAgentAsync(Agent("gw-1", "t1", "serial-1"), None));
        await Store.AddCertificateAsync("gw-1", "serial-2", "thumb-2", Now.AddDays(60), None);
        Assert.False(await Store.EnrollAgentAsync(Agent("gw-1", "t1", "serial-3"), None));
        Assert.True(await Store.IsCertificateOfAsync("gw-1", "serial-1", None));
        Assert.Equal("serial-2", (await Store.GetAgentAsync("gw-1", None))!.CertificateSerial);

        Assert.True(await Store.RevokeAgentAsync("gw-1", Now, None));
        Assert.False(await Store.RevokeAgentAsync("gw-1", Now, None));
        Assert.True(await Store.EnrollAgentAsync(Agent("gw-1", "t1", "serial-3"), None));

        var agent = await Store.GetAgentAsync("gw-1", None);
        Assert.Equal(("serial-3", (DateTimeOffset?)null), (agent!.CertificateSerial, agent.RevokedAt));
        Assert.False(await Store.IsCertificateOfAsync("gw-1", "serial-1", None));
        Assert.False(await Store.IsCertificateOfAsync("gw-1", "serial-2", None));
        Assert.True(await Store.SetLabelsAsync("gw-1", ["site=x"], ["g1", "g2"], None));
        Assert.Equal(["g1", "g2"], (await Store.GetAgentAsync("gw-1", None))!.Groups);
        Assert.False(await Store.SetLabelsAsync("gw-unknown", [], [], None));
    }

    [Fact]
    public async Task SiteConfigs_PushedConcurrently_EachGetsItsOwnVersionPerTarget()
    {
        var pushes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Operations.AddSiteConfigAsync(new SiteConfigRecord("t1", "group", "line-1", 0, $"{{\"n\":{i}}}", "u1", Now), None)));
        var other = await Operations.AddSiteConfigAsync(new SiteConfigRecord("t2", "group", "line-1", 0, "{}", "u2", Now), None);

        Assert.Equal([1, 2, 3, 4, 5, 6], pushes.Select(p => p.Version).Order());
        Assert.Equal(1, other.Version);
        Assert.Equal(6, (await Operations.GetLatestSiteConfigAsync("t1", "group", "line-1", None))!.Version);
        Assert.Null(await Operations.GetLatestSiteConfigAsync("t3", "group", "line-1", None));
    }

    [Fact]
    public async Task Commands_ClaimedConcurrently_OneSenderAndEndedStaysEnded()
    {
        var command = new CommandRecord("c1", "t1", "gw-1", "write-tag", new Dictionary<string, string> { ["tag"] = "sp", ["value"] = "21.5 °C" }, "queued", null, "u1", Now, Now.AddMinutes(1));
        await Operations.AddCommandAsync(command, None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Operations.ClaimCommandAsync("c1", "gw-1", None)));

        Assert.Single(claims, c => c);
        Assert.Null(await Operations.GetCommandAsync("t2", "c1", None));
        Assert.False(await Operations.UpdateCommandAsync("c1", "gw-other", "succeeded", "spoofed", None));
        Assert.True(await Operations.UpdateCommandAsync("c1", "gw-1", "succeeded", "Confirmed", None));
        Assert.False(await Operations.UpdateCommandAsync("c1", null, "timed-out", "late", None));
        var stored = await Operations.GetCommandAsync("t1", "c1", None);
        Assert.Equal(("succeeded", "Confirmed", "21.5 °C", Now.AddMinutes(1)), (stored!.Status, stored.Detail, stored.Arguments["value"], stored.Deadline));
        Assert.Empty(await Operations.ListCommandsAsync("gw-1", "queued", None));
    }

    [Fact]
    public async Task Audit_AppendedInOrderPerTenant_AndRefusesChangeEvenBySql()
    {
        var first = await Store.AppendAuditAsync(new AuditEntry(0, Now, "u1", "t1", "agent.revoke", "gw-1", "ok", null), None);
        await Store.AppendAuditAsync(new AuditEntry(0, Now, "u2", "t2", "agent.revoke", "gw-2", "refused", "not yours"), None);
        var third = await Store.AppendAuditAsync(new AuditEntry(0, Now, "u1", "t1", "config.push", "group:line-1", "ok", "v1"), None);

        Assert.True(third.Id > first.Id);
        Assert.Equal(["agent.revoke", "config.push"], (await Store.ListAuditAsync("t1", 0, 10, None)).Select(e => e.Action));
        Assert.Equal(["config.push"], (await Store.ListAuditAsync("t1", first.Id, 10, None)).Select(e => e.Action));
        Assert.ThrowsAny<Exception>(() => ExecuteSql($"UPDATE {AuditTable} SET result = 'ok'"));
        Assert.ThrowsAny<Exception>(() => ExecuteSql($"DELETE FROM {AuditTable}"));
        Assert.Equal(3, (await Store.ListAuditAsync("t1", 0, 10, None)).Count + (await Store.ListAuditAsync("t2", 0, 10, None)).Count);
    }

    private protected abstract string AuditTable { get; }

    private protected abstract IFleetStore CreateStore();

    private protected abstract void ExecuteSql(string sql);

    private protected abstract void DisposeBackend();

    private static FleetAgentRecord Agent(string id, string tenant, string serial) =>
        new(id, tenant, ["site=berlin"], [], serial, "thumb-" + serial, Now.AddDays(30), Now, null);
}

/// <summary>The fleet store contract on SQLite (<c>fleet.db</c> in a temp folder).</summary>
public sealed class SqliteFleetStoreTests : FleetStoreContractTests, IDisposable
{
    private readonly TempDirectory _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "fleet.db");

    private protected override string AuditTable => "audit";

    private protected override IFleetStore CreateStore() => new SqliteFleetStore(DatabasePath);

    private protected override void ExecuteSql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = new SqliteCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _folder.Dispose();

    private protected override void DisposeBackend() => SqliteConnection.ClearAllPools();

    [Fact]
    public async Task Initialize_FleetDbFromBeforeTheReportTimeout_GainsItsColumnsAndKeepsItsRows()
    {
        // The rollout tables as the first release made them, with one campaign and its agent.
        var path = Path.Combine(_folder.Path, "old-fleet.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = new SqliteCommand(
                """
                CREATE TABLE campaigns (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL, artifact_id TEXT NOT NULL,
                    target_labels TEXT NOT NULL, target_group TEXT, stages TEXT NOT NULL, soak_seconds INTEGER NOT NULL, failure_threshold REAL NOT NULL,
                    health_window_seconds INTEGER NOT NULL, allow_downgrade INTEGER NOT NULL, poll_error_margin REAL NOT NULL, outbox_margin INTEGER NOT NULL,
                    state TEXT NOT NULL, current_stage INTEGER NOT NULL, accepted_failures INTEGER NOT NULL, detail TEXT, revision INTEGER NOT NULL,
                    created_by TEXT NOT NULL, created_at INTEGER NOT NULL);
                CREATE TABLE campaign_agents (campaign_id TEXT NOT NULL, agent_id TEXT NOT NULL, stage INTEGER NOT NULL, state TEXT NOT NULL,
                    reason TEXT, detail TEXT, running_version TEXT, bytes_done INTEGER NOT NULL, baseline TEXT, soak_start TEXT, sent_at INTEGER,
                    soak_until INTEGER, offline_since INTEGER, PRIMARY KEY (campaign_id, agent_id));
                INSERT INTO campaigns VALUES ('old', 't1', 'old one', 'art-1', '[]', 'g', '[100]', 60, 0.2, 300, 0, 0.05, 100, 'running', 0, 0, NULL, 1, 'u1', 0);
                INSERT INTO campaign_agents VALUES ('old', 'gw-1', 0, 'sent', NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL);
                """,
                connection);
            command.ExecuteNonQuery();
        }

        using var store = new SqliteFleetStore(path);
        await store.InitializeAsync(CancellationToken.None);
        await store.InitializeAsync(CancellationToken.None); // a second start finds the columns there

        var campaign = await store.GetCampaignAsync("t1", "old", CancellationToken.None);
        Assert.Equal(("old one", CampaignRecord.DefaultReportTimeoutSeconds), (campaign!.Name, campaign.ReportTimeoutSeconds));
        var agent = Assert.Single(await store.ListCampaignAgentsAsync("old", CancellationToken.None));
        Assert.Equal(("sent", null), (agent.State, agent.ReportedAt));
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>The fleet store contract on PostgreSQL (a fresh database on the test server).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFleetStoreTests(PostgresServer server) : FleetStoreContractTests
{
    private readonly string _database = server.CreateDatabase();

    private protected override string AuditTable => "fleet.audit";

    private protected override IFleetStore CreateStore() => new PostgresFleetStore(_database, TimeProvider.System);

    private protected override void ExecuteSql(string sql)
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private protected override void DisposeBackend() => server.DropDatabase(_database);
}

using EdgeCloud.Hub.Alerts.Incidents;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Tests.TestSupport;

namespace EdgeCloud.Hub.Tests.Alerts;

/// <summary>What both alert store backends must do; each backend runs these through a subclass.</summary>
public abstract class IncidentStoreBehaviourTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private AlertStore? _store;

    private AlertStore Store => _store!;

    public async Task InitializeAsync() => _store = await OpenAsync();

    public async Task DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        DisposeBackend();
    }

    [Fact]
    public async Task RaiseAsync_SameKeyTwice_OneIncidentRefreshed()
    {
        var (first, opened) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "too hot"), default);
        var (second, openedAgain) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "hotter", Now.AddMinutes(1)), default);

        Assert.True(opened);
        Assert.False(openedAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(("hotter", Now.AddMinutes(1), Now), (second.Message, second.LastEventAt, second.OpenedAt));
        Assert.True(second.Revision > first.Revision);
        Assert.Single(await Store.ListAsync("t1", null, null, 10, default));
    }

    [Fact]
    public async Task RaiseAsync_AfterResolved_OpensANewIncident()
    {
        var (first, _) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "too hot"), default);
        var resolved = await Store.UpdateAsync(first with { State = IncidentStates.Resolved, ResolvedAt = Now }, default);
        var (second, opened) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "again"), default);

        Assert.NotNull(resolved);
        Assert.True(opened);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Null(await Store.FindUnresolvedAsync("t1", "a1", "alarm:other", default));
        Assert.Equal(second.Id, (await Store.FindUnresolvedAsync("t1", "a1", "alarm:hot", default))!.Id);
    }

    [Fact]
    public async Task UpdateAsync_StaleRevision_ChangesNothing()
    {
        var (incident, _) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "too hot"), default);
        var acknowledged = await Store.UpdateAsync(incident with { State = IncidentStates.Acknowledged, AcknowledgedAt = Now, AcknowledgedBy = "ops" }, default);
        var stale = await Store.UpdateAsync(incident with { State = IncidentStates.Resolved, ResolvedAt = Now }, default);

        Assert.Equal((IncidentStates.Acknowledged, "ops", (DateTimeOffset?)Now), (acknowledged!.State, acknowledged.AcknowledgedBy, acknowledged.AcknowledgedAt));
        Assert.Null(stale);
        Assert.Equal(IncidentStates.Acknowledged, (await Store.GetAsync("t1", incident.Id, default))!.State);
    }

    [Fact]
    public async Task ListAndGet_OtherTenant_SeeNothingOfIt()
    {
        var (mine, _) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "mine"), default);
        var (theirs, _) = await Store.RaiseAsync(Draft("b1", "alarm:hot", "theirs") with { Tenant = "t2" }, default);

        Assert.Null(await Store.GetAsync("t1", theirs.Id, default));
        Assert.Equal([mine.Id], (await Store.ListAsync("t1", null, null, 10, default)).Select(i => i.Id));
        Assert.Equal([mine.Id], (await Store.ListChangedAsync("t1", 0, 10, default)).Select(i => i.Id));
        Assert.Equal(mine.Revision, await Store.GetLatestRevisionAsync("t1", default));
    }

    [Fact]
    public async Task ListAsync_Filters_NewestFirstWithinLimit()
    {
        var (older, _) = await Store.RaiseAsync(Draft("a1", "alarm:1", "one"), default);
        var (newer, _) = await Store.RaiseAsync(Draft("a2", "alarm:2", "two", Now.AddMinutes(5)), default);
        await Store.UpdateAsync(older with { State = IncidentStates.Resolved, ResolvedAt = Now }, default);

        Assert.Equal([newer.Id, older.Id], (await Store.ListAsync("t1", null, null, 10, default)).Select(i => i.Id));
        Assert.Equal([newer.Id], (await Store.ListAsync("t1", null, null, 1, default)).Select(i => i.Id));
        Assert.Equal([older.Id], (await Store.ListAsync("t1", IncidentStates.Resolved, null, 10, default)).Select(i => i.Id));
        Assert.Equal([newer.Id], (await Store.ListAsync("t1", IncidentStates.Open, "a2", 10, default)).Select(i => i.Id));
        Assert.Empty(await Store.ListAsync("t1", IncidentStates.Open, "a1", 10, default));
        Assert.Equal([newer.Id], (await Store.ListUnresolvedAsync(default)).Select(i => i.Id));
    }

    [Fact]
    public async Task ListChangedAsync_AfterARevision_EachChangeInOrder()
    {
        var (a, _) = await Store.RaiseAsync(Draft("a1", "alarm:1", "one"), default);
        var (b, _) = await Store.RaiseAsync(Draft("a1", "alarm:2", "two"), default);
        var mark = b.Revision;
        var acknowledged = await Store.UpdateAsync(a with { State = IncidentStates.Acknowledged }, default);

        var changed = await Store.ListChangedAsync("t1", mark, 10, default);

        Assert.Equal([(a.Id, acknowledged!.Revision)], changed.Select(i => (i.Id, i.Revision)));
        Assert.True(acknowledged.Revision > mark);
    }

    [Fact]
    public async Task AlarmCursor_MovesPerAgent()
    {
        Assert.Equal(0UL, await Store.GetAlarmCursorAsync("a1", default));
        await Store.SetAlarmCursorAsync("a1", 7, default);
        await Store.SetAlarmCursorAsync("a1", 9, default);
        await Store.SetAlarmCursorAsync("a2", 3, default);

        Assert.Equal((9UL, 3UL), (await Store.GetAlarmCursorAsync("a1", default), await Store.GetAlarmCursorAsync("a2", default)));
    }

    [Fact]
    public async Task Configs_PutGetListDelete_PerTenant()
    {
        Assert.True(await Store.PutConfigAsync("t1", "rule", "r1", "{\"v\":1}", Now, default));
        Assert.False(await Store.PutConfigAsync("t1", "rule", "r1", "{\"v\":2}", Now, default));
        await Store.PutConfigAsync("t2", "rule", "r1", "{\"v\":3}", Now, default);
        await Store.PutConfigAsync("t1", "channel", "c1", "{}", Now, default);

        Assert.Equal("{\"v\":2}", await Store.GetConfigAsync("t1", "rule", "r1", default));
        Assert.Equal(["r1"], (await Store.ListConfigsAsync("t1", "rule", default)).Select(d => d.Id));
        Assert.Equal(["t1", "t2"], (await Store.ListAllConfigsAsync("rule", default)).Select(d => d.Tenant));
        Assert.True(await Store.DeleteConfigAsync("t1", "rule", "r1", default));
        Assert.False(await Store.DeleteConfigAsync("t1", "rule", "r1", default));
        Assert.Null(await Store.GetConfigAsync("t1", "rule", "r1", default));
        Assert.Equal("{\"v\":3}", await Store.GetConfigAsync("t2", "rule", "r1", default));
    }

    [Fact]
    public async Task MigrateAsync_Again_AppliesNothingAndKeepsData()
    {
        var (incident, _) = await Store.RaiseAsync(Draft("a1", "alarm:hot", "too hot"), default);

        Assert.Empty(await Store.MigrateAsync(Now, default));
        Assert.Equal(incident.Id, (await Store.GetAsync("t1", incident.Id, default))!.Id);
    }

    [Fact]
    public async Task RaiseAsync_ConcurrentSameKey_OneIncident()
    {
        var raises = Enumerable.Range(0, 16).Select(i => Store.RaiseAsync(Draft("a1", "alarm:storm", $"hit {i}"), default)).ToList();
        var results = await Task.WhenAll(raises);

        Assert.Single(results, r => r.Opened);
        Assert.Single(results.Select(r => r.Incident.Id).Distinct());
        Assert.Equal(16, results.Select(r => r.Incident.Revision).Distinct().Count());
    }

    private protected abstract Task<AlertStore> OpenAsync();

    protected abstract void DisposeBackend();

    private static IncidentRecord Draft(string agent, string key, string message, DateTimeOffset? at = null) => new(
        0, "t1", agent, IncidentSources.AgentAlarm, key, "rule-1", "plc/t", 700, IncidentStates.Open, 1, message, at ?? Now, at ?? Now, null, null, null, null, 0);
}

/// <summary>The alert store on SQLite (<c>alerts.db</c> in a temp folder).</summary>
public sealed class SqliteIncidentStoreTests : IncidentStoreBehaviourTests, IDisposable
{
    private readonly TempDirectory _folder = new();

    private protected override async Task<AlertStore> OpenAsync() => await SqliteAlertStore.OpenAsync(_folder.Path, DateTimeOffset.UnixEpoch, default);

    protected override void DisposeBackend() => _folder.Dispose();

    public void Dispose() => _folder.Dispose();
}

/// <summary>The alert store on the real PostgreSQL 15 of the test run (a database per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIncidentStoreTests(PostgresServer server) : IncidentStoreBehaviourTests
{
    private string? _database;

    private protected override async Task<AlertStore> OpenAsync()
    {
        _database = server.CreateDatabase();
        return await PostgresAlertStore.OpenAsync(_database, DateTimeOffset.UnixEpoch, default);
    }

    protected override void DisposeBackend()
    {
        if (_database is not null)
        {
            server.DropDatabase(_database);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.Rollouts;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Npgsql;

namespace EdgeCloud.Hub.Fleet.Tests.Replicas;

/// <summary>
/// Two real hubs (Kestrel, mTLS sync endpoint) sharing one PostgreSQL database and one fleet folder (the CA),
/// as two replicas behind a load balancer. The agent is a real gRPC client over mTLS, enrolled through the REST
/// API with the agent's own enrollment code (<see cref="TestAgent"/>). Its stream lands on replica A; the admin
/// talks to replica B. Short leases (heartbeat 300 ms, lease 1.5 s) keep the presence checks quick.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class TwoReplicaFleetTests(PostgresServer server) : IAsyncLifetime, IDisposable
{
    private const string ValidSite = """
        { "devices": [ { "name": "plc1", "protocol": "modbus-tcp", "host": "10.0.0.5", "port": 502, "unitId": 1, "pollIntervalMs": 1000, "timeoutMs": 500,
            "tags": [ { "name": "temperature", "area": "holding", "address": 0, "type": "float32" } ] } ] }
        """;

    private readonly TempDirectory _fleet = new();
    private string _database = "";
    private SecureHub _a = null!;
    private SecureHub _b = null!;

    public async Task InitializeAsync()
    {
        _database = server.CreateDatabase();

        // A first: it makes the CA that B then loads from the shared fleet folder. A's bus waits 4 s before it
        // listens again after losing its connection, which gives the catch-up test a window that cannot close early.
        _a = await StartReplicaAsync("hub-a", "--Storage:ReplicaBusReconnectDelay=00:00:04");
        _b = await StartReplicaAsync("hub-b");
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        server.DropDatabase(_database);
    }

    public void Dispose() => _fleet.Dispose();

    [Fact]
    public async Task Command_SentThroughB_ReachesAgentStreamingToA_AndBReportsItsResult()
    {
        using var agent = await _a.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await OnlineAsync(_b, "gw-1", true);

            // Not queued on purpose: B must see that the agent is online (on A) and route it there.
            var id = await SendCommandAsync(_b, "gw-1", new { kind = "write-tag", arguments = new { device = "plc1", tag = "setpoint", value = "21.5" }, timeoutSeconds = 30 });
            var command = (await TestAgent.ReadAsync(call)).Command;
            Assert.Equal((id, "write-tag", "21.5"), (command.CommandId, command.Kind, command.Arguments["value"]));
            await call.RequestStream.WriteAsync(new AgentMessage { CommandResult = new CommandResult { CommandId = id, Success = true, Detail = "Confirmed" } });
            await Eventually.TrueAsync(async () => (await CommandAsync(_b, id)) is ("succeeded", "Confirmed"), "replica B to report the result");

            using var push = await _b.Admin.PutAsJsonAsync("/api/v1/fleet/configs/agent/gw-1", new { siteConfig = JsonDocument.Parse(ValidSite).RootElement });
            var pushed = await push.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(1, pushed.GetProperty("deliveredNow").GetInt32());
            Assert.Equal("agent:gw-1:v1", (await TestAgent.ReadAsync(call)).DesiredConfig.ConfigVersion);
        }

        await OnlineAsync(_b, "gw-1", false);
        await OnlineAsync(_a, "gw-1", false);
    }

    [Fact]
    public async Task Revoke_ThroughB_ClosesStreamOnAAtOnce_AndAThenRefusesTheAgent()
    {
        using var agent = await _a.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await OnlineAsync(_b, "gw-1", true);

            using var revoke = await _b.Admin.PostAsync("/api/v1/fleet/agents/gw-1/revoke", null);
            revoke.EnsureSuccessStatusCode();

            var (closedBy, status) = await TestAgent.ReadToEndAsync(call);
            Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
            Assert.Contains("revoked", closedBy?.Reason, StringComparison.Ordinal);
        }

        using var again = agent.Channel(agent.Credential);
        using var retry = await TestAgent.HelloAsync(again, "gw-1");
        var (refusal, retryStatus) = await TestAgent.ReadToEndAsync(retry);
        Assert.Equal(StatusCode.PermissionDenied, retryStatus.StatusCode);
        Assert.Contains("was revoked at", refusal?.Reason ?? retryStatus.Detail, StringComparison.Ordinal);
        await OnlineAsync(_b, "gw-1", false);
    }

    [Fact]
    public async Task Reconnect_ToB_GetsCommandQueuedMeanwhileAndEachBatchStoredOnce()
    {
        using var agent = await _a.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            for (ulong seq = 1; seq <= 3; seq++)
            {
                await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(seq) });
                Assert.Equal(seq, (await TestAgent.ReadAsync(call)).Ack.Sequence);
            }
        }

        await OnlineAsync(_b, "gw-1", false);
        var id = await SendCommandAsync(_a, "gw-1", new { kind = "diagnostics", timeoutSeconds = 60, queueIfOffline = true });
        Assert.Equal("queued", (await CommandAsync(_b, id)).Status);

        // The load balancer sends the agent to B now; it replays 2 and 3, whose acks it never trusted.
        using var channelB = TestAgent.OpenChannel(_b, agent.Ca, agent.Credential);
        using var callB = await TestAgent.HelloAsync(channelB, "gw-1");
        Assert.Equal(3UL, (await TestAgent.ReadAsync(callB)).Welcome.HighestDurableSequence);
        Assert.Equal(id, (await TestAgent.ReadAsync(callB)).Command.CommandId);
        for (ulong seq = 2; seq <= 5; seq++)
        {
            await callB.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(seq) });
            Assert.Equal(seq, (await TestAgent.ReadAsync(callB)).Ack.Sequence);
        }

        await OnlineAsync(_a, "gw-1", true);
        var stored = await _a.Admin.GetFromJsonAsync<JsonElement>("/api/v1/agents/gw-1");
        Assert.Equal((5UL, 5L, 5L), (stored.GetProperty("highestSequence").GetUInt64(), stored.GetProperty("batches").GetInt64(), stored.GetProperty("points").GetInt64()));
        Assert.Equal("sent", (await CommandAsync(_a, id)).Status);
    }

    [Fact]
    public async Task CatchUp_AWasNotListeningWhenBRoutedACommand_DeliveredWhenAListensAgain()
    {
        using var agent = await _a.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await OnlineAsync(_b, "gw-1", true);
            Assert.Equal(1, await ListenersOfAsync("hub-a", terminate: true));
            await Eventually.TrueAsync(async () => await ListenersOfAsync("hub-a") == 0, "replica A's listening connection to be gone");

            var id = await SendCommandAsync(_b, "gw-1", new { kind = "restart", timeoutSeconds = 60 });

            // B's hint went out while A was deaf (it waits 4 s to listen again): only the catch-up can deliver it.
            Assert.True(await ListenersOfAsync("hub-a") == 0, "replica A listened again before the command was sent; the test proves nothing");
            Assert.Equal("queued", (await CommandAsync(_b, id)).Status);
            Assert.Equal(id, (await TestAgent.ReadAsync(call)).Command.CommandId);
            Assert.Equal(1, await ListenersOfAsync("hub-a"));
            Assert.Equal("sent", (await CommandAsync(_b, id)).Status);
        }
    }

    [Fact]
    public async Task Presence_ReplicaDiesWithoutAWord_ItsAgentReadsOfflineOnceTheLeaseExpires()
    {
        using var agent = await _a.EnrollAsync("gw-ghost");

        // Imitates a replica process that accepted gw-ghost's stream and then crashed: its rows stay, its heartbeat stops.
        await ExecuteAsync(
            "INSERT INTO fleet.replicas VALUES ('crashed-replica', now(), now());" +
            $"INSERT INTO fleet.presence VALUES ('gw-ghost', 'crashed-replica', 'test', 'ipv4:10.0.0.9:50000', {DateTimeOffset.UtcNow.UtcTicks})");

        await OnlineAsync(_b, "gw-ghost", true);
        await OnlineAsync(_b, "gw-ghost", false);
        await OnlineAsync(_a, "gw-ghost", false);
    }

    [Fact]
    public async Task Campaign_CreatedThroughB_AgentsOnA_EachStepTakenOnceThoughBothReplicasSchedule()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_a, 20, "line-1");
        var artifactId = await fleet.UploadAsync();

        var id = await CampaignTests.CreateAsync(_b.Admin, artifactId, new { labels = new[] { "line-1" } }, [10, 50, 100]);
        var done = await CampaignTests.WaitForStateAsync(_a.Admin, id, "completed", TimeSpan.FromSeconds(30));

        Assert.All(done.GetProperty("agents").EnumerateArray(), a => Assert.Equal(("healthy", "1.2.3"), (a.GetProperty("state").GetString(), a.GetProperty("runningVersion").GetString())));
        Assert.All(fleet.Agents, a => Assert.Single(a.Directives));

        // Both schedulers ran over the shared store; the conditional updates let exactly one take each step.
        var audit = (await _b.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().Where(e => e.GetProperty("target").GetString() == id).ToList();
        Assert.Equal(2, audit.Count(e => e.GetProperty("action").GetString() == "campaign.promote"));
        Assert.Single(audit, e => e.GetProperty("action").GetString() == "campaign.complete");
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state FROM fleet.campaigns WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        Assert.Equal("completed", await command.ExecuteScalarAsync());
    }

    private async Task<SecureHub> StartReplicaAsync(string name, params string[] extra)
    {
        var connection = new NpgsqlConnectionStringBuilder(_database) { ApplicationName = name }.ToString();
        return await SecureHub.StartAsync(
        [
            "--Storage:Provider=Postgres",
            $"--Storage:ConnectionString={connection}",
            $"--Fleet:DataDirectory={_fleet.Path}",
            $"--Replicas:Id={name}",
            "--Replicas:HeartbeatInterval=00:00:00.300",
            "--Replicas:Lease=00:00:01.500",
            "--Retention:Enabled=false",
            "--Rollouts:TickInterval=00:00:00.100",
            "--LiveRelay:ForwardInterval=00:00:00.200",
            "--Rollouts:ChunkSize=4096",
            "--Fleet:RequestsPerMinute=100000",
            .. extra,
        ]);
    }

    /// <summary>How many connections of replica <paramref name="applicationName"/> are LISTENing; ends them first when asked (a lost connection).</summary>
    private async Task<int> ListenersOfAsync(string applicationName, bool terminate = false)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        var select = terminate ? "pg_terminate_backend(pid)" : "pid";
        await using var command = new NpgsqlCommand(
            $"SELECT {select} FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows++;
        }

        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task OnlineAsync(SecureHub hub, string agentId, bool online) =>
        Eventually.TrueAsync(
            async () => (await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/agents/{agentId}")).GetProperty("online").GetBoolean() == online,
            $"{agentId} to read {(online ? "online" : "offline")} on {hub.ApiUri}");

    private static async Task<string> SendCommandAsync(SecureHub hub, string agentId, object body)
    {
        using var response = await hub.Admin.PostAsJsonAsync($"/api/v1/fleet/agents/{agentId}/commands", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<(string Status, string? Detail)> CommandAsync(SecureHub hub, string id)
    {
        var command = await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/commands/{id}");
        return (command.GetProperty("status").GetString()!, command.GetProperty("detail").GetString());
    }
}

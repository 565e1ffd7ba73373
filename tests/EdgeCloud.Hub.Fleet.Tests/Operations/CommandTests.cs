using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Tests.Operations;

/// <summary>Commands: delivered to an online agent, queued for an offline one when asked, refused otherwise, timed out without a result.</summary>
public abstract class CommandTests
{
    /// <summary>Starts the hub on this class's fleet store backend.</summary>
    private protected abstract Task<SecureHub> StartHubAsync();

    [Fact]
    public async Task Command_OnlineAgent_DeliveredAndResultRecorded()
    {
        await using var hub = await StartHubAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            var id = await SendAsync(hub, "gw-1", new { kind = "write-tag", arguments = new { device = "plc1", tag = "setpoint", value = "21.5" }, timeoutSeconds = 30 });

            var command = (await TestAgent.ReadAsync(call)).Command;
            Assert.Equal((id, "write-tag", "21.5"), (command.CommandId, command.Kind, command.Arguments["value"]));
            await call.RequestStream.WriteAsync(new AgentMessage { CommandResult = new CommandResult { CommandId = id, Success = true, Detail = "Confirmed" } });

            await Eventually.TrueAsync(async () => await StatusAsync(hub, id) == "succeeded", "the result to be recorded");
        }
    }

    [Fact]
    public async Task Command_OfflineAgentQueued_DeliveredWhenItConnects()
    {
        await using var hub = await StartHubAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        var id = await SendAsync(hub, "gw-1", new { kind = "diagnostics", timeoutSeconds = 60, queueIfOffline = true });
        Assert.Equal("queued", await StatusAsync(hub, id));

        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            Assert.Equal(id, (await TestAgent.ReadAsync(call)).Command.CommandId);
            await Eventually.TrueAsync(async () => await StatusAsync(hub, id) == "sent", "the command to be marked sent");
        }
    }

    [Fact]
    public async Task Command_OfflineAgentNotQueued_Conflict()
    {
        await using var hub = await StartHubAsync();
        using var agent = await hub.EnrollAsync("gw-1");

        using var response = await hub.Admin.PostAsJsonAsync("/api/v1/fleet/agents/gw-1/commands", new { kind = "restart" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("queueIfOffline", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_NoResultBeforeDeadline_TimedOutAndLateResultIgnored()
    {
        await using var hub = await StartHubAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            var id = await SendAsync(hub, "gw-1", new { kind = "restart", timeoutSeconds = 1 });
            Assert.Equal(id, (await TestAgent.ReadAsync(call)).Command.CommandId);

            await Eventually.TrueAsync(async () => await StatusAsync(hub, id) == "timed-out", "the command to time out");
            await call.RequestStream.WriteAsync(new AgentMessage { CommandResult = new CommandResult { CommandId = id, Success = true } });
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(1) });
            Assert.Equal(1UL, (await TestAgent.ReadAsync(call)).Ack.Sequence);
            Assert.Equal("timed-out", await StatusAsync(hub, id));
        }
    }

    [Fact]
    public async Task Command_UnknownKind_BadRequestNamingTheField()
    {
        await using var hub = await StartHubAsync();
        using var agent = await hub.EnrollAsync("gw-1");

        using var response = await hub.Admin.PostAsJsonAsync("/api/v1/fleet/agents/gw-1/commands", new { kind = "format-disk", queueIfOffline = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("field 'kind'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> SendAsync(SecureHub hub, string agentId, object body)
    {
        using var response = await hub.Admin.PostAsJsonAsync($"/api/v1/fleet/agents/{agentId}/commands", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> StatusAsync(SecureHub hub, string id) =>
        (await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/commands/{id}")).GetProperty("status").GetString()!;
}

/// <summary>CommandTests on SQLite (<c>fleet.db</c>).</summary>
public sealed class SqliteCommandTests : CommandTests
{
    private protected override Task<SecureHub> StartHubAsync() => SecureHub.StartAsync();
}

/// <summary>CommandTests on PostgreSQL (schema <c>fleet</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCommandTests(PostgresServer server) : CommandTests
{
    private protected override Task<SecureHub> StartHubAsync() => SecureHub.StartOnPostgresAsync(server);
}

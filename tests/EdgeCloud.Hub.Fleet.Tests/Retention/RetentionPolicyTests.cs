using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Tests.Retention;

/// <summary>
/// Retention per tenant and label through a real hub on each backend: the retention job resolves each agent's
/// tiers from the fleet registry (configured policies and the tenant's API policies) while real gRPC agents
/// stream. The job runs every second with small steps, so a pass is quick and ingest goes on between steps.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionPolicyTests(PostgresServer server)
{
    private const string Tag = "plc/t";

    private static readonly string[] BerlinRawOneDay =
    [
        "--Retention:Interval=00:00:01",
        "--Retention:BatchSize=3",
        "--Retention:PauseBetweenBatches=00:00:00.010",
        "--Retention:Policies:0:Label=site=berlin",
        "--Retention:Policies:0:RawDays=1",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetentionJob_BerlinLabelRawOneDay_BerlinAgentLosesOldRawPoints_DefaultAgentKeepsThem(bool postgres)
    {
        await using var hub = postgres ? await SecureHub.StartOnPostgresAsync(server, BerlinRawOneDay) : await SecureHub.StartAsync(BerlinRawOneDay);
        using var berlin = await hub.EnrollAsync("gw-berlin", null, "site=berlin");
        using var paris = await hub.EnrollAsync("gw-paris", null, "site=paris");
        var old = (ulong)UnixNanos.From(DateTimeOffset.UtcNow.AddDays(-3));
        var store = hub.App.Services.GetRequiredService<ITelemetryStore>();

        var (berlinChannel, berlinCall) = await berlin.ConnectAsync();
        var (parisChannel, parisCall) = await paris.ConnectAsync();
        using (berlinChannel)
        using (berlinCall)
        using (parisChannel)
        using (parisCall)
        {
            foreach (var call in new[] { berlinCall, parisCall })
            {
                await SendAsync(call, Batch(1, old, 10));
                await SendAsync(call, Batch(2, (ulong)UnixNanos.From(DateTimeOffset.UtcNow), 1));
            }

            // Paris keeps streaming while the job deletes Berlin's old points, step by step.
            ulong sequence = 2;
            await Eventually.TrueAsync(
                async () =>
                {
                    await SendAsync(parisCall, Batch(++sequence, (ulong)UnixNanos.From(DateTimeOffset.UtcNow), 1));
                    return (await store.QueryPointsAsync("gw-berlin", Tag, 0, long.MaxValue, 100)).Count == 1;
                },
                "the retention job to delete gw-berlin's three-day-old raw points");

            Assert.Equal(10 + (int)sequence - 1, (await store.QueryPointsAsync("gw-paris", Tag, 0, long.MaxValue, 1000)).Count);
        }

        var berlinPolicy = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/gw-berlin/retention");
        Assert.Equal((1, "configuration Retention:Policies:0"), (berlinPolicy.GetProperty("rawDays").GetInt32(), berlinPolicy.GetProperty("sources").GetProperty("raw").GetString()));
        var parisPolicy = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/gw-paris/retention");
        Assert.Equal(30, parisPolicy.GetProperty("rawDays").GetInt32());
        Assert.StartsWith("defaults", parisPolicy.GetProperty("sources").GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SetPolicies_TenantAdmin_MostSpecificWinsPerTier_AuditedAndScopedToTheTenant(bool postgres)
    {
        await using var hub = postgres ? await SecureHub.StartOnPostgresAsync(server, BerlinRawOneDay) : await SecureHub.StartAsync(BerlinRawOneDay);
        using var berlin = await hub.EnrollAsync("gw-berlin", null, "site=berlin");

        // Tenant-wide raw 7 loses to the configured label policy (label beats tenant); tenant and label beats both.
        using (var set = await hub.Admin.PutAsJsonAsync("/api/v1/fleet/retention/policies", new
        {
            policies = new object[] { new { rawDays = 7, hourDays = 400 }, new { label = "site=berlin", minuteDays = 20 } },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var effective = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/gw-berlin/retention");
        Assert.Equal((1, 20, 400), (effective.GetProperty("rawDays").GetInt32(), effective.GetProperty("minuteDays").GetInt32(), effective.GetProperty("hourDays").GetInt32()));
        Assert.Equal("api tenant default policies[1]", effective.GetProperty("sources").GetProperty("minute").GetString());
        Assert.Equal("api tenant default policies[0]", effective.GetProperty("sources").GetProperty("hour").GetString());

        // A bad entry is refused whole, naming it; what was set stays.
        using (var bad = await hub.Admin.PutAsJsonAsync("/api/v1/fleet/retention/policies", new
        {
            policies = new object[] { new { rawDays = 3 }, new { label = "site=berlin", rawDays = -2, weeks = 1 } },
        }))
        {
            var problem = await bad.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("policies[1]", problem, StringComparison.Ordinal);
            Assert.Contains("weeks", problem, StringComparison.Ordinal);
        }

        Assert.Equal(400, (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/gw-berlin/retention")).GetProperty("hourDays").GetInt32());
        var audit = (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().Where(e => e.GetProperty("action").GetString() == "retention.policies").ToList();
        Assert.Equal(["ok", "refused"], audit.Select(e => e.GetProperty("result").GetString()));

        // Another tenant sees neither the policies nor the agent, and its own policies do not touch ours.
        var otherAdmin = hub.Client(await hub.CreateUserAsync("other", "other-admin", "admin"));
        using (otherAdmin)
        {
            Assert.Empty((await otherAdmin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/retention/policies")).GetProperty("policies").EnumerateArray());
            using var hidden = await otherAdmin.GetAsync("/api/v1/fleet/agents/gw-berlin/retention");
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            using var own = await otherAdmin.PutAsJsonAsync("/api/v1/fleet/retention/policies", new { policies = new object[] { new { label = "site=berlin", rawDays = 90 } } });
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        Assert.Equal(1, (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents/gw-berlin/retention")).GetProperty("rawDays").GetInt32());
    }

    [Fact]
    public async Task Start_BadPolicyInConfiguration_RefusedNamingTheEntry()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SecureHub.StartAsync(
            "--Retention:Policies:0:Label=site=berlin",
            "--Retention:Policies:0:RawDays=1",
            "--Retention:Policies:1:Label=line 3",
            "--Retention:Policies:1:RawDays=-1",
            "--Retention:Policies:2:Tenant=acme"));

        Assert.Contains("Retention:Policies:1: label 'line 3' must be 1 to 200 characters without spaces", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retention:Policies:1: rawDays -1 is outside 0..36500", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retention:Policies:2: set at least one of rawDays, minuteDays, hourDays", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Policies:0", error.Message, StringComparison.Ordinal);
    }

    private static TelemetryBatch Batch(ulong sequence, ulong startNanos, int count)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        for (var i = 0; i < count; i++)
        {
            batch.Points.Add(new Point { Tag = Tag, TimeUnixNano = startNanos + ((ulong)i * 1_000_000UL), Number = i });
        }

        return batch;
    }

    private static async Task SendAsync(Grpc.Core.AsyncDuplexStreamingCall<AgentMessage, HubMessage> call, TelemetryBatch batch)
    {
        await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = batch });
        Assert.Equal(batch.Sequence, (await TestAgent.ReadAsync(call)).Ack.Sequence);
    }
}

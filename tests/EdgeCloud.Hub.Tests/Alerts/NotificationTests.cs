using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeCloud.Hub.Alerts.Channels;
using EdgeCloud.Hub.Tests.TestSupport;

namespace EdgeCloud.Hub.Tests.Alerts;

/// <summary>Channels, escalation and hub rules end to end: a real hub, real webhook receivers, a real SMTP server, real gRPC streams.</summary>
public sealed class NotificationTests
{
    private const string Secret = "escalation-test-secret";

    [Fact]
    public async Task Escalation_UnacknowledgedPastLevelTime_NextLevelNotified_AcknowledgedOneNot()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var alerts = await AlertsHub.StartAsync();
        await alerts.PutAsync("/api/v1/alerts/channels/first", new { kind = "webhook", url = receiver.Url("/level1").ToString(), secret = Secret });
        await alerts.PutAsync("/api/v1/alerts/channels/second", new { kind = "webhook", url = receiver.Url("/level2").ToString(), secret = Secret });
        await alerts.PutAsync("/api/v1/alerts/rules/alarms", new
        {
            kind = "agent-alarm",
            escalation = new object[] { new { afterSeconds = 0, channels = new[] { "first" } }, new { afterSeconds = 3, channels = new[] { "second" } } },
        });
        using var agent = await alerts.Hub.ConnectAsync("gw-1");

        await AlertsHub.SendAlarmsAsync(agent, 1, AlertsHub.Alarm(1, "quiet", "active"));
        var quiet = (await alerts.WaitForIncidentAsync(i => i.GetProperty("message").GetString()!.StartsWith("quiet", StringComparison.Ordinal), "the first alarm opened")).GetProperty("id").GetInt64();
        using (var acknowledged = await alerts.Admin.PostAsJsonAsync($"/api/v1/incidents/{quiet}/acknowledge", new { }))
        {
            acknowledged.EnsureSuccessStatusCode();
        }

        await AlertsHub.SendAlarmsAsync(agent, 2, AlertsHub.Alarm(2, "loud", "active"));
        var loud = await alerts.WaitForIncidentAsync(i => i.GetProperty("level").GetInt32() == 2, "the unacknowledged incident escalated to level 2");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Received.Any(r => r.PathAndQuery == "/level2")), "level 2's channel was called");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var calls = receiver.Received.Select(r => (r.PathAndQuery, Json: JsonDocument.Parse(r.Body).RootElement)).ToList();
        Assert.Equal(
            [("/level1", "incident.opened", quiet), ("/level1", "incident.opened", loud.GetProperty("id").GetInt64()), ("/level2", "incident.escalated", loud.GetProperty("id").GetInt64())],
            calls.Select(c => (c.PathAndQuery, c.Json.GetProperty("event").GetString(), c.Json.GetProperty("incident").GetProperty("id").GetInt64())).OrderBy(c => c.PathAndQuery).ThenBy(c => c.Item3));
        Assert.Equal(1, (await alerts.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{quiet}")).GetProperty("level").GetInt32());
        var escalated = receiver.Received.First(r => r.PathAndQuery == "/level2");
        Assert.True(WebhookSignature.Verify(Secret, long.Parse(escalated.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(escalated.Body), escalated.Headers[WebhookSignature.SignatureHeader]));
    }

    [Fact]
    public async Task StalledWebhook_DoesNotHoldUpIngestNorOtherChannels()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var alerts = await AlertsHub.StartAsync("--Alerts:DeliveryTimeout=00:01:00");
        await alerts.PutAsync("/api/v1/alerts/channels/stalling", new { kind = "webhook", url = receiver.Url("/stall").ToString(), secret = Secret });
        await alerts.PutAsync("/api/v1/alerts/channels/healthy", new { kind = "webhook", url = receiver.Url("/healthy").ToString(), secret = Secret });
        await alerts.PutAsync("/api/v1/alerts/rules/alarms", new { kind = "agent-alarm", escalation = new[] { new { afterSeconds = 0, channels = new[] { "stalling", "healthy" } } } });
        using var agent = await alerts.Hub.ConnectAsync("gw-1");
        await AlertsHub.SendAlarmsAsync(agent, 1, AlertsHub.Alarm(1, "a", "active"));
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Stalled == 1), "the stalling webhook holds a delivery", TimeSpan.FromSeconds(20));

        // While the webhook stalls (30 s): more alarms and 200 batches go through ingest, each acknowledged.
        var watch = Stopwatch.StartNew();
        await AlertsHub.SendAlarmsAsync(agent, 2, AlertsHub.Alarm(2, "b", "active"));
        for (ulong sequence = 3; sequence < 203; sequence++)
        {
            await agent.SendBatchAsync(Batches.Numbers(sequence, "plc1/flow", Batches.BaseNanos + ((long)sequence * 1_000_000_000L), 10));
        }

        watch.Stop();
        Assert.Equal(1, receiver.Stalled);
        Assert.Equal(202UL, (await alerts.Hub.Store.GetAgentAsync("gw-1"))!.HighestSequence);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Received.Count(r => r.PathAndQuery == "/healthy") == 2), "the healthy channel got both incidents");
        Assert.Equal(1, receiver.Stalled);
        Console.WriteLine($"ingest of 201 batches while a webhook stalled: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task AgentOfflineRule_StreamStopsThenRestarts_IncidentOpensThenResolves()
    {
        await using var alerts = await AlertsHub.StartAsync();
        await alerts.PutAsync("/api/v1/alerts/rules/offline", new { kind = "agent-offline", seconds = 1, severity = 900 });
        var agent = await alerts.Hub.ConnectAsync("gw-offline");
        await agent.SendBatchAsync(Batches.Numbers(1, "plc1/flow", Batches.BaseNanos, 1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(await alerts.IncidentsAsync());

        await agent.CompleteAsync();
        agent.Dispose();
        var open = await alerts.WaitForIncidentAsync(i => i.GetProperty("state").GetString() == "open", "the offline rule opened an incident");
        using var back = await alerts.Hub.ConnectAsync("gw-offline");
        var resolved = await alerts.WaitForIncidentAsync(i => i.GetProperty("state").GetString() == "resolved", "the reconnect resolved it");

        Assert.Equal(("gw-offline", "hub-rule", "offline", 900), (open.GetProperty("agentId").GetString(), open.GetProperty("source").GetString(), open.GetProperty("rule").GetString(), open.GetProperty("severity").GetInt32()));
        Assert.Equal(open.GetProperty("id").GetInt64(), resolved.GetProperty("id").GetInt64());
        Assert.Single(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task NoDataAndBacklogRules_ConditionHoldsThenEnds_IncidentsOpenThenResolve()
    {
        await using var alerts = await AlertsHub.StartAsync();
        await alerts.PutAsync("/api/v1/alerts/rules/flow-silent", new { kind = "no-data", agentId = "gw-rules", tag = "plc1/flow", seconds = 60 });
        await alerts.PutAsync("/api/v1/alerts/rules/deep-backlog", new { kind = "backlog", batches = 10 });
        using var agent = await alerts.Hub.ConnectAsync("gw-rules");

        // Points of 2023 only, and a health report of 50 batches waiting: both rules hold.
        await agent.SendBatchAsync(Batches.Numbers(1, "plc1/flow", Batches.BaseNanos, 3));
        await agent.SendAsync(new Proto.Sync.V1.AgentMessage { Health = new Proto.Sync.V1.AgentHealth { BacklogBatches = 50 } });
        var silent = await alerts.WaitForIncidentAsync(i => i.GetProperty("rule").GetString() == "flow-silent" && i.GetProperty("state").GetString() == "open", "the no-data rule opened");
        var backlog = await alerts.WaitForIncidentAsync(i => i.GetProperty("rule").GetString() == "deep-backlog" && i.GetProperty("state").GetString() == "open", "the backlog rule opened");

        // A fresh point and a drained backlog: both end.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        await agent.SendBatchAsync(Batches.Numbers(2, "plc1/flow", now, 1));
        await agent.SendAsync(new Proto.Sync.V1.AgentMessage { Health = new Proto.Sync.V1.AgentHealth { BacklogBatches = 2 } });
        await alerts.WaitForIncidentAsync(i => i.GetProperty("rule").GetString() == "flow-silent" && i.GetProperty("state").GetString() == "resolved", "the no-data rule resolved");
        await alerts.WaitForIncidentAsync(i => i.GetProperty("rule").GetString() == "deep-backlog" && i.GetProperty("state").GetString() == "resolved", "the backlog rule resolved");

        Assert.Equal(("plc1/flow", "hub-rule"), (silent.GetProperty("tag").GetString(), silent.GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, backlog.GetProperty("tag").ValueKind);
        Assert.Equal(2, (await alerts.IncidentsAsync()).Length);
    }

    [Fact]
    public async Task PutRule_BadBody_RefusedWithEachProblemByPath()
    {
        await using var alerts = await AlertsHub.StartAsync();
        await alerts.PutAsync("/api/v1/alerts/channels/ops", new { kind = "email", to = new[] { "ops@example.com" } });

        using var rule = await alerts.Admin.PutAsJsonAsync("/api/v1/alerts/rules/bad", new
        {
            kind = "no-data",
            seconds = 0,
            colour = "red",
            escalation = new object[] { new { channels = new[] { "ops" } }, new { afterSeconds = 10, channels = new[] { "ops", "nowhere" } } },
        });
        using var channel = await alerts.Admin.PutAsJsonAsync("/api/v1/alerts/channels/hook", new { kind = "webhook", url = "ftp://example.com/x", secret = "short" });
        using var badId = await alerts.Admin.PutAsJsonAsync("/api/v1/alerts/rules/Bad%20Id", new { kind = "agent-offline", seconds = 5 });
        using var inUse = await alerts.Admin.PutAsJsonAsync("/api/v1/alerts/rules/uses-ops", new { kind = "agent-offline", seconds = 5, escalation = new[] { new { afterSeconds = 0, channels = new[] { "ops" } } } });
        using var deleteUsed = await alerts.Admin.DeleteAsync("/api/v1/alerts/channels/ops");
        var ruleText = await rule.Content.ReadAsStringAsync();
        var channelText = await channel.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (rule.StatusCode, channel.StatusCode, badId.StatusCode));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict), (inUse.StatusCode, deleteUsed.StatusCode));
        Assert.Contains("$.tag: required", ruleText, StringComparison.Ordinal);
        Assert.Contains("$.seconds: must be an integer from 1", ruleText, StringComparison.Ordinal);
        Assert.Contains("$.colour: unknown field", ruleText, StringComparison.Ordinal);
        Assert.Contains("$.escalation[1].channels[1]: no channel 'nowhere'", ruleText, StringComparison.Ordinal);
        Assert.DoesNotContain("channels[0]", ruleText, StringComparison.Ordinal);
        Assert.Contains("$.url: must be an absolute http", channelText, StringComparison.Ordinal);
        Assert.Contains("$.secret: must be at least 16", channelText, StringComparison.Ordinal);
        Assert.Empty(await alerts.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/alerts/rules") is { } rules ? rules.Where(r => r.GetProperty("id").GetString() == "bad") : []);
    }

    [Fact]
    public async Task EmailChannel_IncidentOpened_MailReachesSmtpServer()
    {
        var port = FreePort();
        using var smtp = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-u", "-m", "aiosmtpd", "-n", "-d", "-l", $"127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = new StringBuilder();
        smtp.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        smtp.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        smtp.BeginOutputReadLine();
        smtp.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(CanConnect(port)), "aiosmtpd listens", TimeSpan.FromSeconds(20));
            await using var alerts = await AlertsHub.StartAsync("--Alerts:SmtpHost=127.0.0.1", $"--Alerts:SmtpPort={port}", "--Alerts:SmtpFrom=hub@edgecloud.test");
            await alerts.PutAsync("/api/v1/alerts/channels/oncall", new { kind = "email", to = new[] { "oncall@edgecloud.test" } });
            await alerts.PutAsync("/api/v1/alerts/rules/alarms", new { kind = "agent-alarm", minSeverity = 500, escalation = new[] { new { afterSeconds = 0, channels = new[] { "oncall" } } } });
            using var agent = await alerts.Hub.ConnectAsync("gw-mail");

            await AlertsHub.SendAlarmsAsync(agent, 1, AlertsHub.Alarm(1, "low-severity", "active", severity: 100), AlertsHub.Alarm(2, "boiler-pressure", "active", severity: 800));

            await Eventually.TrueAsync(() => Task.FromResult(Seen(output, "boiler-pressure is active")), "the incident mail reached the SMTP server", TimeSpan.FromSeconds(20));
            var text = Text(output);
            Assert.Contains("oncall@edgecloud.test", text, StringComparison.Ordinal);
            Assert.Contains("hub@edgecloud.test", text, StringComparison.Ordinal);
            Assert.Contains("gw-mail", text, StringComparison.Ordinal);
            Assert.DoesNotContain("low-severity", text, StringComparison.Ordinal);
        }
        finally
        {
            smtp.Kill();
            await smtp.WaitForExitAsync();
        }
    }

    private static bool Seen(StringBuilder output, string text) => Text(output).Contains(text, StringComparison.Ordinal);

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

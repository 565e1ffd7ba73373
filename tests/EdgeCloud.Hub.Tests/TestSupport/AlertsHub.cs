using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// A <see cref="TestHub"/> (development mode, SQLite in a temp folder) with alert loops on short intervals,
/// webhooks allowed to 127.0.0.1 (the test receivers), and an admin API client of the root tenant.
/// </summary>
internal sealed class AlertsHub : IAsyncDisposable
{
    public const string AdminKey = "ecak_alerts-test-admin";

    private readonly TempDirectory _data;

    private AlertsHub(TestHub hub, TempDirectory data)
    {
        Hub = hub;
        _data = data;
        Admin = new HttpClient { BaseAddress = hub.ApiUri, Timeout = TimeSpan.FromSeconds(20) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    public TestHub Hub { get; }

    public HttpClient Admin { get; }

    public static async Task<AlertsHub> StartAsync(params string[] extraArgs)
    {
        var data = new TempDirectory();
        var hub = await TestHub.StartAsync(
            data.Path,
            null,
            [
                $"--Fleet:BootstrapAdminKey={AdminKey}",
                "--Alerts:MonitorInterval=00:00:00.200",
                "--Alerts:RuleInterval=00:00:00.250",
                "--Alerts:RetryDelay=00:00:00.100",
                "--Alerts:WebhookAllowedNetworks:0=127.0.0.1/32",
                "--Fleet:RequestsPerMinute=1000000",
                .. extraArgs,
            ]);
        return new AlertsHub(hub, data);
    }

    /// <summary>An alarm event as an agent's rule engine sends it.</summary>
    public static AlarmEvent Alarm(ulong number, string alarmId, string state, uint severity = 700) => new()
    {
        EventNumber = number,
        AlarmId = alarmId,
        Rule = "high-temp",
        Tag = "plc1/temperature",
        State = state,
        Kind = state == "active" ? "raised" : state,
        Severity = severity,
        TimeUnixNano = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000UL,
        Message = $"{alarmId} is {state}",
    };

    /// <summary>Sends one batch carrying <paramref name="alarms"/> and waits for its Ack.</summary>
    public static Task SendAlarmsAsync(AgentStream stream, ulong sequence, params AlarmEvent[] alarms)
    {
        var batch = Batches.Numbers(sequence, "plc1/temperature", Batches.BaseNanos + ((long)sequence * 1_000_000_000L), 1);
        batch.Alarms.Add(alarms);
        return stream.SendBatchAsync(batch);
    }

    public async Task PutAsync(string path, object body)
    {
        using var response = await Admin.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonElement[]> IncidentsAsync(string query = "") =>
        (await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/incidents" + query))!;

    /// <summary>Polls the incident list until one matches; returns it.</summary>
    public async Task<JsonElement> WaitForIncidentAsync(Func<JsonElement, bool> match, string what)
    {
        JsonElement found = default;
        await Eventually.TrueAsync(
            async () =>
            {
                var hit = (await IncidentsAsync()).Where(match).ToList();
                found = hit.FirstOrDefault();
                return hit.Count > 0;
            },
            what,
            TimeSpan.FromSeconds(20));
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Hub.DisposeAsync();
        _data.Dispose();
    }
}

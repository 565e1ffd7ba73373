using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using EdgeCloud.Edge.Updates.Slots;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>
/// One gateway for a rollout test: a data folder, an agent.json trusting a release key, the hub peer, and the
/// "packaged build" (/usr/lib/edge-agent/current/edge-agent in the .deb): a wrapper that runs this repository's
/// edge-agent build.
/// </summary>
internal sealed class RolloutSite : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Process _plc;
    private readonly int _plcPort = FreePort();

    private RolloutSite(HubPeer hub)
    {
        Hub = hub;
        // The PLC: the agent's own Modbus TCP simulator, so that data flows through the pipeline to the hub.
        var plc = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { RepoPaths.AgentDll, "simulate", "modbus", "--port", _plcPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            plc.ArgumentList.Add(argument);
        }

        _plc = Process.Start(plc)!;
        _plc.OutputDataReceived += (_, _) => { };
        _plc.ErrorDataReceived += (_, _) => { };
        _plc.BeginOutputReadLine();
        _plc.BeginErrorReadLine();
        Key = new ReleaseKey(_folder.Path, "release");
        Directory.CreateDirectory(Data);
        Packaged = _folder["packaged-edge-agent"];
        File.WriteAllText(Packaged, $"#!/bin/sh\nexec dotnet '{RepoPaths.AgentDll}' \"$@\"\n");
        File.SetUnixFileMode(Packaged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Config = WriteConfig("agent.json", hub.Url);
    }

    public HubPeer Hub { get; }

    public ReleaseKey Key { get; }

    public string Data => _folder["data"];

    public string Slots => Path.Combine(Data, "slots");

    public string Packaged { get; }

    public string Config { get; }

    /// <summary>The version of the packaged build (this repository's edge-agent).</summary>
    public static string PackagedVersion { get; } = Strip(typeof(EdgeCloud.Edge.Agent.Cli.ExitCodes).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion);

    public SlotState? State => SlotState.Read(Slots);

    public static async Task<RolloutSite> StartAsync() => new(await HubPeer.StartAsync());

    /// <summary>An agent.json for this site's data folder and key, talking to <paramref name="hub"/>.</summary>
    public string WriteConfig(string name, Uri hub)
    {
        var path = _folder[name];
        var config = new Dictionary<string, object>
        {
            ["agentId"] = "rollout-gw",
            ["dataDirectory"] = Data,
            ["hub"] = new Dictionary<string, object> { ["url"] = hub.ToString(), ["maxBackoffSeconds"] = 1 },
            ["outbox"] = new Dictionary<string, object> { ["maxBatchDelayMs"] = 200 },
            ["devices"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["name"] = "plc1", ["protocol"] = "modbus-tcp", ["host"] = "127.0.0.1", ["port"] = _plcPort, ["unitId"] = 1,
                    ["pollIntervalMs"] = 200, ["timeoutMs"] = 1000,
                    ["tags"] = new[] { new Dictionary<string, object> { ["name"] = "temperature", ["area"] = "holding", ["address"] = 0, ["type"] = "float32", ["byteOrder"] = "ABCD" } },
                },
            },
            ["status"] = new Dictionary<string, object> { ["listen"] = "off" },
            ["updates"] = new Dictionary<string, object>
            {
                ["releaseKeys"] = new[] { Key.PemPath },
                ["slotsDirectory"] = Slots,
                ["download"] = new Dictionary<string, object> { ["stallSeconds"] = 3, ["minBytesPerSecond"] = 100, ["attempts"] = 2 },
            },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    /// <summary>Serves <paramref name="bytes"/> and sends its directive (signed by the site's key) on every session.</summary>
    public RolloutDirective Offer(byte[] bytes, string kind, string name, string version, uint chunkSize = 16384, uint healthWindow = 20, TimeSpan pieceDelay = default, string campaign = "c1")
    {
        var directive = Key.Sign(bytes, kind, name, version, chunkSize, campaign, artifact: "art-" + campaign);
        directive.HealthWindowSeconds = healthWindow;
        Hub.Script.Artifacts[directive.Artifact] = new ServedArtifact(bytes) { PieceDelay = pieceDelay };
        Hub.Script.Directive = directive;
        return directive;
    }

    public string Describe(UnitSupervisor unit) =>
        $"reports: [{string.Join(", ", Hub.Script.Progress.Select(p => $"{p.State}/{p.Reason}/{p.RunningVersion}"))}]; exits: [{string.Join(", ", unit.Exits)}]; "
        + $"state: {State}; output tail: {string.Join(" | ", unit.Output.TakeLast(8))}";

    private static string Strip(string version) => version.Split('+')[0];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _plc.Kill();
        await _plc.WaitForExitAsync();
        _plc.Dispose();
        await Hub.DisposeAsync();
        Key.Dispose();
        _folder.Dispose();
    }
}

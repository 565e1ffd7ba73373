using System.Globalization;
using System.Net;
using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The <c>status</c> section of agent.json: where the local status endpoint listens.</summary>
public static partial class ConfigLoader
{
    /// <summary>Reads the optional <c>status</c> section into <paramref name="config"/> (errors go to the root's list).</summary>
    private static AgentConfig? ReadStatus(JsonObjectReader root, AgentConfig? config)
    {
        var element = root.Property("status", required: false);
        if (element is null)
        {
            return config;
        }

        var status = new JsonObjectReader(root.File, root.At("status"), element.Value, root.Errors);
        var listen = ReadListen(status, element.Value);
        status.RejectUnknown();
        return config is null || listen is null ? null : config with { Status = listen };
    }

    private static StatusEndpointConfig? ReadListen(JsonObjectReader status, JsonElement element)
    {
        // The reader treats null as absent, but here an explicit null means "off", unlike a missing key.
        var explicitNull = status.IsObject && element.TryGetProperty("listen", out var raw) && raw.ValueKind == JsonValueKind.Null;
        var text = status.String("listen", required: false);
        if (explicitNull || string.Equals(text, "off", StringComparison.Ordinal))
        {
            return new StatusEndpointConfig(null);
        }

        if (text is null)
        {
            return status.IsObject ? StatusEndpointConfig.Default : null;
        }

        var path = status.At("listen");
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 || !HasPort(text))
        {
            status.Error(path, $"'{text}' is not an address with a port (for example 127.0.0.1:{StatusEndpointConfig.DefaultPort} or [::1]:{StatusEndpointConfig.DefaultPort}), nor \"off\"");
            return null;
        }

        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            status.Error(path, $"'{text}' is not a loopback address: the status endpoint has no authentication, so it listens on 127.0.0.1 or ::1 only (scrape it through a local Prometheus agent or an SSH tunnel)");
            return null;
        }

        return new StatusEndpointConfig(endpoint);
    }

    /// <summary>IPEndPoint.TryParse accepts a bare address with port 0; a port must be given here.</summary>
    private static bool HasPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && colon > text.LastIndexOf(']') && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}

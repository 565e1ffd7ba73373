using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>An <c>opc.tcp://host:port/path</c> endpoint URL, parsed once; the port defaults to 4840.</summary>
internal sealed record UaEndpointUrl(string Url, string Host, int Port)
{
    /// <summary>Parses <paramref name="url"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static UaEndpointUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, "opc.tcp", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{url}' is not an OPC UA endpoint URL (expected opc.tcp://host:port/path)");
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{url}' names no host");
        }

        var port = uri.IsDefaultPort || uri.Port <= 0 ? 4840 : uri.Port;
        return new UaEndpointUrl(url, uri.Host, port);
    }

    /// <summary>The same endpoint with another host (servers often report a name the client cannot resolve).</summary>
    public string WithHost(string host) => string.Create(CultureInfo.InvariantCulture, $"opc.tcp://{host}:{Port}");

    public override string ToString() => Url;
}

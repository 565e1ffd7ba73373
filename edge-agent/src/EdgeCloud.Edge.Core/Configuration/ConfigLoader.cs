using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// Loads and validates <c>agent.json</c> and the site config it names. JSON with comments and
/// trailing commas is accepted. A config is refused as a whole: <see cref="Load"/> either returns
/// a complete <see cref="AgentConfig"/> or throws <see cref="ConfigurationException"/> listing
/// every error with its file and JSON path.
/// </summary>
public static partial class ConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
    };

    /// <summary>Loads the agent config at <paramref name="path"/>, or throws with every error found.</summary>
    public static AgentConfig Load(string path)
    {
        var errors = new List<ConfigError>();
        var config = TryLoad(path, errors);
        if (config is null || errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return config;
    }

    /// <summary>Loads the agent config, adding every problem to <paramref name="errors"/>; null when refused.</summary>
    public static AgentConfig? TryLoad(string path, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        using var document = Parse(path, errors);
        if (document is null)
        {
            return null;
        }

        var root = new JsonObjectReader(path, "$", document.RootElement, errors);
        var baseDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var config = ReadAgent(root, baseDirectory, errors);
        config = ReadStatus(root, config);
        config = ReadUpdates(root, config, baseDirectory);
        root.RejectUnknown();
        return errors.Count == 0 ? config : null;
    }

    /// <summary>Validates a site config given as JSON text (from a file or from the hub).</summary>
    public static SiteConfig? TryParseSite(string source, string json, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(new ConfigError(source, SyntaxPosition(ex), "not valid JSON: " + FirstSentence(ex.Message)));
            return null;
        }

        using (document)
        {
            var site = ReadSite(new JsonObjectReader(source, "$", document.RootElement, errors));
            return errors.Count == 0 ? site : null;
        }
    }

    private static JsonDocument? Parse(string path, List<ConfigError> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(path, "$", $"cannot be read: {ex.Message}"));
            return null;
        }

        try
        {
            return JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(new ConfigError(path, SyntaxPosition(ex), "not valid JSON: " + FirstSentence(ex.Message)));
            return null;
        }
    }

    private static AgentConfig? ReadAgent(JsonObjectReader root, string baseDirectory, List<ConfigError> errors)
    {
        var agentId = root.String("agentId", required: true) ?? "";
        if (agentId.Length > 0 && !IsName(agentId))
        {
            root.Error(root.At("agentId"), $"'{agentId}' is not a valid id (letters, digits, '-', '_', '.'; at most 64)");
        }

        var dataDirectory = root.String("dataDirectory", required: false, fallback: "/var/lib/edge-agent")!;
        dataDirectory = System.IO.Path.GetFullPath(dataDirectory, baseDirectory);
        var modelsDirectory = ReadModelsDirectory(root, dataDirectory, baseDirectory);

        var hub = ReadHub(Child(root, "hub", required: true));
        var outbox = ReadOutbox(Child(root, "outbox", required: false));

        SiteConfig? site = null;
        var siteFile = root.String("siteConfig", required: false);
        var hasInlineDevices = root.Has("devices");
        if (siteFile is not null && hasInlineDevices)
        {
            root.Error(root.At("siteConfig"), "give either 'siteConfig' (a file) or 'devices' (inline), not both");
        }
        else if (siteFile is not null)
        {
            var sitePath = System.IO.Path.GetFullPath(siteFile, baseDirectory);
            using var siteDocument = Parse(sitePath, errors);
            if (siteDocument is not null)
            {
                site = ReadSite(new JsonObjectReader(sitePath, "$", siteDocument.RootElement, errors));
            }
        }
        else
        {
            site = ReadDevicesInto(root);
        }

        if (hub is null || site is null || errors.Count > 0)
        {
            return null;
        }

        return new AgentConfig(agentId, dataDirectory, hub, outbox, site, root.File) { ModelsDirectory = modelsDirectory };
    }

    private static HubLinkConfig? ReadHub(JsonObjectReader? hub)
    {
        if (hub is null)
        {
            return null;
        }

        var url = hub.String("url", required: true);
        Uri? uri = null;
        if (!string.IsNullOrWhiteSpace(url))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                hub.Error(hub.At("url"), $"'{url}' is not an http:// or https:// address");
                uri = null;
            }
        }

        var inFlight = (int)hub.Integer("maxBatchesInFlight", 1, 1024, 32);
        var keepAlive = TimeSpan.FromSeconds(hub.Integer("keepAliveSeconds", 1, 3600, 15));
        var maxBackoff = TimeSpan.FromSeconds(hub.Integer("maxBackoffSeconds", 1, 3600, 30));
        var compression = hub.Enum("compression", Compression.Gzip, required: false, CompressionNames);

        // 0 = no cap; otherwise at least 1 KiB/s, so that one batch never waits for minutes.
        var backlogRate = hub.Integer("backlogBytesPerSecond", 0, 10_000_000_000, 0);
        if (backlogRate is > 0 and < 1024)
        {
            hub.Error(hub.At("backlogBytesPerSecond"), $"{backlogRate} is below 1024 bytes/s (use 0 for no cap)");
        }

        hub.RejectUnknown();
        return uri is null ? null : new HubLinkConfig(uri, inFlight, keepAlive, maxBackoff, compression == Compression.Gzip, backlogRate);
    }

    private enum Compression
    {
        None,
        Gzip,
    }

    private static readonly Dictionary<string, Compression> CompressionNames = new(StringComparer.Ordinal)
    {
        ["gzip"] = Compression.Gzip,
        ["none"] = Compression.None,
    };

    private static OutboxConfig ReadOutbox(JsonObjectReader? outbox)
    {
        // 5,000 points a batch: each batch costs one journal fsync, one stream message, one acknowledgement
        // and one hub transaction whatever its size, so at high rates larger batches cost both sides less
        // CPU (the load tool's gateway run with 1,000 and 5,000: README). At low rates maxBatchDelay seals
        // first, so latency is unchanged there; at 100k points/s a batch is 50 ms of data.
        var defaults = new OutboxConfig(5000, TimeSpan.FromSeconds(1), 1L << 30, TimeSpan.FromDays(7), TimeSpan.FromDays(30), 60);
        if (outbox is null)
        {
            return defaults;
        }

        var points = (int)outbox.Integer("maxBatchPoints", 1, 100_000, defaults.MaxBatchPoints);
        var delay = TimeSpan.FromMilliseconds(outbox.Integer("maxBatchDelayMs", 1, 600_000, (long)defaults.MaxBatchDelay.TotalMilliseconds));
        var bytes = outbox.Integer("maxBytes", 1L << 20, 1L << 42, defaults.MaxBytes);
        var telemetryTtl = outbox.Integer("telemetryTtlHours", 0, 100 * 8760, (long)defaults.TelemetryTtl!.Value.TotalHours);
        var eventTtl = outbox.Integer("eventTtlHours", 0, 100 * 8760, (long)defaults.EventTtl!.Value.TotalHours);
        var window = (int)outbox.Integer("compactWindowSeconds", 0, 60, defaults.CompactWindowSeconds);
        var tail = outbox.Integer("memoryTailBytes", 0, OutboxConfig.MaxMemoryTailBytes, defaults.MemoryTailBytes);
        if (window > 0 && 60 % window != 0)
        {
            outbox.Error(outbox.At("compactWindowSeconds"), $"{window} does not divide 60 (use 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60; 0 turns compaction off)");
        }

        outbox.RejectUnknown();
        return new OutboxConfig(
            points,
            delay,
            bytes,
            telemetryTtl == 0 ? null : TimeSpan.FromHours(telemetryTtl),
            eventTtl == 0 ? null : TimeSpan.FromHours(eventTtl),
            window,
            tail);
    }

    private static SiteConfig? ReadSite(JsonObjectReader site)
    {
        var result = ReadDevicesInto(site);
        site.RejectUnknown();
        return result;
    }

    private static JsonObjectReader? Child(JsonObjectReader parent, string name, bool required)
    {
        var element = parent.Property(name, required);
        return element is null ? null : new JsonObjectReader(parent.File, parent.At(name), element.Value, parent.Errors);
    }

    private static string SyntaxPosition(JsonException ex) =>
        ex.LineNumber is { } line ? $"line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}" : "$";

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    internal static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The OPC UA part of <see cref="ConfigLoader"/>: an <c>opcua</c> device, its security and its tags.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, bool> OpcUaPolicies = new(StringComparer.Ordinal)
    {
        ["None"] = false,
        ["Basic256Sha256"] = false,
        ["Aes128_Sha256_RsaOaep"] = false,
        ["Basic128Rsa15"] = true,
        ["Basic256"] = true,
    };

    private static readonly Dictionary<string, OpcUaSecurityMode> OpcUaModes = new(StringComparer.Ordinal)
    {
        ["None"] = OpcUaSecurityMode.None,
        ["Sign"] = OpcUaSecurityMode.Sign,
        ["SignAndEncrypt"] = OpcUaSecurityMode.SignAndEncrypt,
    };

    private static readonly Dictionary<string, OpcUaDeadband> OpcUaDeadbands = new(StringComparer.Ordinal)
    {
        ["none"] = OpcUaDeadband.None,
        ["absolute"] = OpcUaDeadband.Absolute,
        ["percent"] = OpcUaDeadband.Percent,
    };

    private static readonly Dictionary<string, OpcUaTrigger> OpcUaTriggers = new(StringComparer.Ordinal)
    {
        ["status"] = OpcUaTrigger.Status,
        ["statusValue"] = OpcUaTrigger.StatusValue,
        ["statusValueTimestamp"] = OpcUaTrigger.StatusValueTimestamp,
    };

    private static OpcUaDeviceConfig ReadOpcUa(JsonObjectReader device, string name)
    {
        var endpoint = device.String("endpoint", required: true) ?? "";
        if (endpoint.Length > 0 && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp" || uri.Host.Length == 0))
        {
            device.Error(device.At("endpoint"), $"'{endpoint}' is not an OPC UA endpoint URL (expected opc.tcp://host:port/path)");
        }

        var policy = device.String("securityPolicy", required: false, "None") ?? "None";
        if (!OpcUaPolicies.ContainsKey(policy))
        {
            device.Error(device.At("securityPolicy"), $"unknown value '{policy}' (expected one of: {string.Join(", ", OpcUaPolicies.Keys)})");
            policy = "None";
        }

        var mode = device.Enum("securityMode", policy == "None" ? OpcUaSecurityMode.None : OpcUaSecurityMode.SignAndEncrypt, required: false, OpcUaModes);
        var allowDeprecated = ReadFlag(device, "allowDeprecatedPolicy", false);
        if ((policy == "None") != (mode == OpcUaSecurityMode.None))
        {
            device.Error(device.At("securityMode"), $"security mode {mode} does not go with policy {policy} (None goes only with None)");
        }

        if (OpcUaPolicies[policy] && !allowDeprecated)
        {
            device.Error(device.At("securityPolicy"), $"{policy} is deprecated (it relies on SHA-1); use Basic256Sha256, or set allowDeprecatedPolicy: true for this endpoint");
        }

        var (user, password) = ReadOpcUaIdentity(device);
        var allowUnknown = ReadFlag(device, "allowUnknownServerCertificate", false);
        var publishing = TimeSpan.FromMilliseconds(device.Integer("publishingIntervalMs", 10, 3_600_000, 500));
        var session = TimeSpan.FromMilliseconds(device.Integer("sessionTimeoutMs", 1000, 3_600_000, 60_000));
        var tags = ReadOpcUaTags(device);
        return new OpcUaDeviceConfig(name, endpoint, policy, mode, user, password, allowUnknown, allowDeprecated, publishing, session, tags);
    }

    private static (string? User, string? Password) ReadOpcUaIdentity(JsonObjectReader device)
    {
        var element = device.Property("identity", required: false);
        if (element is null)
        {
            return (null, null);
        }

        var identity = new JsonObjectReader(device.File, device.At("identity"), element.Value, device.Errors);
        if (!identity.IsObject)
        {
            identity.Error(identity.Path, $"expected an object with userName and password, found {JsonObjectReader.Describe(element.Value)}");
            return (null, null);
        }

        var user = identity.String("userName", required: true);
        var password = identity.String("password", required: true);
        identity.RejectUnknown();
        return (user, password);
    }

    private static List<OpcUaTagConfig> ReadOpcUaTags(JsonObjectReader device)
    {
        var tags = new List<OpcUaTagConfig>();
        var element = device.Property("tags", required: true);
        if (element is null)
        {
            return tags;
        }

        if (element.Value.ValueKind != JsonValueKind.Array || element.Value.GetArrayLength() == 0)
        {
            device.Error(device.At("tags"), "expected a non-empty array of tags");
            return tags;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var tag = new JsonObjectReader(device.File, $"{device.At("tags")}[{index++}]", item, device.Errors);
            if (tag.IsObject)
            {
                tags.Add(ReadOpcUaTag(tag, names));
                tag.RejectUnknown();
            }
        }

        return tags;
    }

    private static OpcUaTagConfig ReadOpcUaTag(JsonObjectReader tag, HashSet<string> names)
    {
        var tagName = tag.String("name", required: true) ?? "";
        if (tagName.Length > 0 && !IsName(tagName))
        {
            tag.Error(tag.At("name"), $"'{tagName}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
        }
        else if (tagName.Length > 0 && !names.Add(tagName))
        {
            tag.Error(tag.At("name"), $"tag name '{tagName}' is used twice in this device");
        }

        var nodeId = tag.String("nodeId", required: false);
        var browsePath = tag.String("browsePath", required: false);
        if ((nodeId is null) == (browsePath is null))
        {
            tag.Error(tag.Path, "give exactly one of nodeId (for example \"ns=2;s=Plant.Temperature\") and browsePath (for example \"2:Plant/2:Temperature\")");
        }
        else if (nodeId is not null && !NodeIdText().IsMatch(nodeId))
        {
            tag.Error(tag.At("nodeId"), $"'{nodeId}' is not a node id (expected i=, s=, g= or b=, optionally after ns=N; or nsu=URI;, for example \"ns=2;s=Plant.Temperature\" or \"nsu=urn:plant;s=Plant.Temperature\")");
        }
        else if (browsePath is not null && !BrowsePathText().IsMatch(browsePath))
        {
            tag.Error(tag.At("browsePath"), $"'{browsePath}' is not a browse path (names separated by '/', each optionally prefixed 'N:', for example \"2:Plant/2:Temperature\")");
        }

        var sampling = TimeSpan.FromMilliseconds(tag.Integer("samplingIntervalMs", 0, 3_600_000, 500));
        var queue = (uint)tag.Integer("queueSize", 1, 10_000, 10);
        var deadband = tag.Enum("deadband", OpcUaDeadband.None, required: false, OpcUaDeadbands);
        var deadbandValue = tag.Number("deadbandValue", 0, v => v < 0 ? "must not be negative"
            : deadband == OpcUaDeadband.Percent && v > 100 ? "a percent deadband is at most 100" : null);
        if (deadband != OpcUaDeadband.None && !tag.Has("deadbandValue"))
        {
            tag.Error(tag.At("deadbandValue"), $"is required when deadband is {deadband.ToString().ToLowerInvariant()}");
        }

        var trigger = tag.Enum("trigger", OpcUaTrigger.StatusValue, required: false, OpcUaTriggers);
        var watchdogMs = tag.Integer("watchdogMs", 0, 86_400_000, 0);
        return new OpcUaTagConfig(tagName, nodeId, browsePath, sampling, queue, deadband, deadbandValue, trigger,
            watchdogMs > 0 ? TimeSpan.FromMilliseconds(watchdogMs) : null);
    }

    private static bool ReadFlag(JsonObjectReader reader, string name, bool fallback)
    {
        var value = reader.Property(name, required: false);
        if (value is null)
        {
            return fallback;
        }

        if (value.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            reader.Error(reader.At(name), $"expected true or false, found {JsonObjectReader.Describe(value.Value)}");
            return fallback;
        }

        return value.Value.GetBoolean();
    }

    [GeneratedRegex(@"^(ns=\d{1,5};|nsu=[^;]+;)?(i=\d{1,10}|s=.+|g=[0-9a-fA-F-]{36}|b=[A-Za-z0-9+/=]+)$")]
    private static partial Regex NodeIdText();

    [GeneratedRegex(@"^(\d{1,5}:)?[^/:]+(/(\d{1,5}:)?[^/:]+)*$")]
    private static partial Regex BrowsePathText();
}

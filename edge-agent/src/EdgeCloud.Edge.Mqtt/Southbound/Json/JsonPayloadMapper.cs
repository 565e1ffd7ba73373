using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Southbound.Json;

/// <summary>
/// Maps the JSON messages of one subscription to tags: one point per configured tag per message,
/// read at the tag's JSON pointer, stamped with the message's timestamp (or the arrival time).
/// A payload that is not JSON makes every tag bad; a pointer that does not resolve or a value of
/// the wrong kind makes that tag bad; a missing or unreadable timestamp makes the points uncertain
/// at the arrival time. Nothing here throws on bad input.
/// </summary>
internal sealed class JsonPayloadMapper : IPayloadMapper
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    private readonly MqttJsonSubscriptionConfig _config;
    private readonly MqttTopicFilter _filter;
    private readonly (MqttJsonTagConfig Tag, JsonPointer Pointer, string Key)[] _tags;
    private readonly JsonPointer? _timestamp;
    private readonly PayloadProblems _problems;

    public JsonPayloadMapper(MqttJsonSubscriptionConfig config, PayloadProblems problems)
    {
        _config = config;
        _problems = problems;
        _filter = new MqttTopicFilter(config.Topic);
        _tags = [.. config.Tags.Select(t => (t, new JsonPointer(t.Pointer), $"{config.Path} tag '{t.Name}'"))];
        _timestamp = config.Timestamp is null ? null : new JsonPointer(config.Timestamp.Pointer);
        TagNames = [.. config.Tags.Select(t => t.Name)];
    }

    public IReadOnlyList<string> TopicFilters => _config.TopicFilters;

    public int Qos => _config.Qos;

    public IReadOnlyList<string> TagNames { get; }

    public bool Accepts(string topic) => _filter.IsMatch(topic);

    public void Map(string topic, in ReadOnlySequence<byte> payload, DateTimeOffset receivedAt, List<DataPoint> points, List<MqttApplicationMessage> replies)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, Options);
        }
        catch (JsonException ex)
        {
            foreach (var (tag, _, _) in _tags)
            {
                _problems.Bad(points, _config.Path, tag.Name, receivedAt, MqttBadReason.PayloadNotParsed, $"payload on '{topic}' is not JSON: {ex.Message}");
            }

            return;
        }

        using (document)
        {
            _problems.Clear(_config.Path);
            var (at, quality) = Timestamp(document.RootElement, receivedAt);
            foreach (var (tag, pointer, key) in _tags)
            {
                if (!pointer.TryResolve(document.RootElement, out var element))
                {
                    _problems.Bad(points, key, tag.Name, at, MqttBadReason.PointerNotFound, $"pointer '{pointer.Text}' does not resolve in the message on '{topic}'");
                    continue;
                }

                if (!TryConvert(element, tag.Kind, out var value))
                {
                    _problems.Bad(points, key, tag.Name, at, MqttBadReason.WrongType, $"expected {tag.Kind.ToString().ToLowerInvariant()} at '{pointer.Text}', found {element.ValueKind.ToString().ToLowerInvariant()} on '{topic}'");
                    continue;
                }

                _problems.Clear(key);
                points.Add(new DataPoint(_problems.Device, tag.Name, at, value, quality, quality == PointQuality.Good ? 0 : (uint)MqttBadReason.BadTimestamp));
            }
        }
    }

    private (DateTimeOffset At, PointQuality Quality) Timestamp(JsonElement root, DateTimeOffset receivedAt)
    {
        if (_timestamp is null)
        {
            return (receivedAt, PointQuality.Good);
        }

        var key = _config.Path + " timestamp";
        if (_timestamp.TryResolve(root, out var element) && TryReadTime(element, _config.Timestamp!.Format, out var at))
        {
            _problems.Clear(key);
            return (at, PointQuality.Good);
        }

        _problems.Note(key, MqttBadReason.BadTimestamp, $"no {_config.Timestamp!.Format} timestamp at '{_timestamp.Text}'; using the arrival time, points are uncertain");
        return (receivedAt, PointQuality.Uncertain);
    }

    internal static bool TryReadTime(JsonElement element, MqttTimestampFormat format, out DateTimeOffset at)
    {
        at = default;
        switch (format)
        {
            case MqttTimestampFormat.Iso8601 when element.ValueKind == JsonValueKind.String:
                // An ISO-8601 time without an offset is refused: guessing the zone would shift data silently.
                var text = TryGetString(element) ?? "";
                return (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10)
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at)
                    && (at = at.ToUniversalTime()) != default;
            case MqttTimestampFormat.EpochMilliseconds when element.TryGetDouble(out var ms) && ms is >= 0 and < 253_402_300_800_000:
                at = DateTimeOffset.UnixEpoch.AddTicks((long)(ms * TimeSpan.TicksPerMillisecond));
                return true;
            case MqttTimestampFormat.EpochSeconds when element.TryGetDouble(out var s) && s is >= 0 and < 253_402_300_800:
                at = DateTimeOffset.UnixEpoch.AddTicks((long)(s * TimeSpan.TicksPerSecond));
                return true;
            default:
                return false;
        }
    }

    internal static bool TryConvert(JsonElement element, MqttValueKind kind, out TagValue value)
    {
        value = TagValue.None;
        switch (kind)
        {
            case MqttValueKind.Number when element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var d):
                value = TagValue.FromNumber(d);
                return true;
            case MqttValueKind.Integer when element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var l):
                value = TagValue.FromInteger(l);
                return true;
            case MqttValueKind.Bool when element.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = TagValue.FromFlag(element.GetBoolean());
                return true;
            case MqttValueKind.Text when element.ValueKind == JsonValueKind.String:
                if (TryGetString(element) is not { } text)
                {
                    return false;
                }

                value = TagValue.FromText(text);
                return true;
            case MqttValueKind.Auto:
                return TryConvert(element, element.ValueKind switch
                {
                    JsonValueKind.String => MqttValueKind.Text,
                    JsonValueKind.True or JsonValueKind.False => MqttValueKind.Bool,
                    _ => MqttValueKind.Number,
                }, out value);
            default:
                return false;
        }
    }

    // JsonDocument accepts invalid UTF-8 inside strings and only fails when one is read (found by
    // MapperFuzzTests): such a string is a wrong value, not a crash.
    private static string? TryGetString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

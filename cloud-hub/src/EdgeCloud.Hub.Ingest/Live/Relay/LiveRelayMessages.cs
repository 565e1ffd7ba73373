using System.Text;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Storage.Replicas;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Hub.Ingest.Live.Relay;

/// <summary>
/// The relay's messages on the replica bus, as lines of text (a NOTIFY payload is text):
/// interest "replica\nkind\nagent\n1|0" (1 follow or renew, 0 release); values "replica\nagent\n" then one
/// line per point, 's' or 'l' (stored or live) and the protobuf point in base64; alarm "replica\nagent\nsequence\nbase64".
/// Values are split into messages of at most <see cref="MaxValuesPayloadBytes"/>.
/// </summary>
internal static class LiveRelayMessages
{
    public const string InterestTopic = "live.interest";
    public const string ValuesTopic = "live.values";
    public const string AlarmsTopic = "live.alarm";

    /// <summary>Interest in an agent's values.</summary>
    public const string ValuesKind = "values";

    /// <summary>Interest in every agent's alarm events (the agent field is <see cref="AnyAgent"/>); the serving replica filters by scope.</summary>
    public const string AlarmsKind = "alarms";

    public const string AnyAgent = "*";

    /// <summary>Under the bus limit with room for the topic.</summary>
    public const int MaxValuesPayloadBytes = IReplicaBus.MaxPayloadBytes - 100;

    public static string Interest(string replica, string kind, string agentId, bool follow) => $"{replica}\n{kind}\n{agentId}\n{(follow ? '1' : '0')}";

    public static bool TryReadInterest(string payload, out (string Replica, string Kind, string AgentId, bool Follow) interest)
    {
        var parts = payload.Split('\n');
        interest = parts.Length == 4 ? (parts[0], parts[1], parts[2], parts[3] == "1") : default;
        return parts.Length == 4;
    }

    /// <summary>The values as messages under the size limit; a point too large for one message alone is skipped and counted in <paramref name="skipped"/>.</summary>
    public static List<string> Values(string replica, string agentId, IReadOnlyList<LatestValue> values, out int skipped)
    {
        var messages = new List<string>();
        var header = $"{replica}\n{agentId}";
        var current = new StringBuilder(header);
        var bytes = Encoding.UTF8.GetByteCount(header);
        skipped = 0;
        foreach (var value in values)
        {
            var line = (value.Stored ? 's' : 'l') + Convert.ToBase64String(value.Point.ToByteArray());
            if (bytes + 1 + line.Length > MaxValuesPayloadBytes)
            {
                if (current.Length == header.Length || Encoding.UTF8.GetByteCount(header) + 1 + line.Length > MaxValuesPayloadBytes)
                {
                    skipped++;
                    continue;
                }

                messages.Add(current.ToString());
                current.Clear().Append(header);
                bytes = Encoding.UTF8.GetByteCount(header);
            }

            current.Append('\n').Append(line);
            bytes += 1 + line.Length;
        }

        if (current.Length > header.Length)
        {
            messages.Add(current.ToString());
        }

        return messages;
    }

    public static bool TryReadValues(string payload, out string replica, out string agentId, out List<(Point Point, bool Stored)> points)
    {
        var lines = payload.Split('\n');
        replica = lines[0];
        agentId = lines.Length > 1 ? lines[1] : "";
        points = [];
        if (lines.Length < 3)
        {
            return false;
        }

        foreach (var line in lines.Skip(2))
        {
            if (line.Length < 2 || line[0] is not ('s' or 'l') || TryParse(line[1..], Point.Parser) is not { } point)
            {
                return false;
            }

            points.Add((point, line[0] == 's'));
        }

        return true;
    }

    public static string Alarm(string replica, StoredAlarmEvent stored) =>
        $"{replica}\n{stored.AgentId}\n{stored.Sequence}\n{Convert.ToBase64String(stored.Event.ToByteArray())}";

    public static bool TryReadAlarm(string payload, out string replica, out StoredAlarmEvent? stored)
    {
        var parts = payload.Split('\n');
        replica = parts[0];
        stored = parts.Length == 4 && ulong.TryParse(parts[2], out var sequence) && TryParse(parts[3], AlarmEvent.Parser) is { } alarm
            ? new StoredAlarmEvent(parts[1], sequence, alarm)
            : null;
        return stored is not null;
    }

    /// <summary>A protobuf message from base64, or null when either layer is malformed (a message from a replica of another version).</summary>
    private static T? TryParse<T>(string base64, MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(Convert.FromBase64String(base64));
        }
        catch (Exception ex) when (ex is FormatException or InvalidProtocolBufferException)
        {
            return null;
        }
    }
}

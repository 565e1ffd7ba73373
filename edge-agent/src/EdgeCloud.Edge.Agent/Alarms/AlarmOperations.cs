using System.Globalization;
using System.Text.Json;
using EdgeCloud.Edge.Rules.Alarms;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Agent.Alarms;

/// <summary>
/// What an operator does to an alarm, from the local CLI (through the status endpoint) or from the
/// hub (commands <c>alarm.ack</c> and <c>alarm.shelve</c>), with one set of arguments for both:
/// <c>alarmId</c> and <c>user</c> (required), <c>comment</c>, and for a shelve <c>expiry</c>, either
/// a time (ISO-8601 with offset) or a duration (<c>90s</c>, <c>30m</c>, <c>8h</c>, <c>2d</c>), at most
/// <see cref="MaxShelve"/> ahead. Every refusal names the argument and the reason; the resulting
/// alarm events go to the hub like any other. The alarms live in the site in force (a live config
/// change swaps it), so each operation asks <see cref="ISiteServices"/> for the current site's alarm service.
/// </summary>
internal sealed class AlarmOperations(ISiteServices sites, TimeProvider time)
{
    /// <summary>The longest shelving: a shelved alarm must come back on its own.</summary>
    public static readonly TimeSpan MaxShelve = TimeSpan.FromDays(30);

    public AlarmOperationResult Acknowledge(IReadOnlyDictionary<string, string> arguments)
    {
        if (Current is not { } alarms)
        {
            return NoSite;
        }

        if (Find(alarms, arguments, out var user, out var comment) is not { } alarm)
        {
            return Missing(arguments);
        }

        if (user is null)
        {
            return AlarmOperationResult.Refused("argument 'user' is required: who acknowledges");
        }

        return alarms.Acknowledge(alarm.Id, user, comment)
            ? AlarmOperationResult.Done($"alarm {alarm.Id} ({alarm.Rule} on {alarm.Tag}) acknowledged by {user}")
            : AlarmOperationResult.Refused($"alarm {alarm.Id} ({alarm.Rule} on {alarm.Tag}) is acknowledged already");
    }

    public AlarmOperationResult Shelve(IReadOnlyDictionary<string, string> arguments)
    {
        if (Current is not { } alarms)
        {
            return NoSite;
        }

        if (Find(alarms, arguments, out var user, out var comment) is not { } alarm)
        {
            return Missing(arguments);
        }

        if (user is null)
        {
            return AlarmOperationResult.Refused("argument 'user' is required: who shelves");
        }

        var now = time.GetUtcNow();
        if (!arguments.TryGetValue("expiry", out var expiry) || ParseExpiry(expiry, now) is not { } until)
        {
            return AlarmOperationResult.Refused("argument 'expiry' must be a time with offset (2026-11-24T18:00:00Z) or a duration (90s, 30m, 8h, 2d)");
        }

        if (until <= now || until - now > MaxShelve)
        {
            return AlarmOperationResult.Refused($"argument 'expiry' {until:O} must be in the future and at most {MaxShelve.TotalDays} days ahead");
        }

        alarms.Shelve(alarm.Rule, alarm.Tag, until - now, suppression: false, user, comment);
        return AlarmOperationResult.Done($"{alarm.Rule} on {alarm.Tag} shelved by {user} until {until:O}");
    }

    /// <summary>The open alarms and shelvings in force, as JSON for <c>GET /alarms</c>.</summary>
    public byte[] ListJson()
    {
        var alarms = Current;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("alarms");
            foreach (var alarm in (alarms?.GetAlarms() ?? []).OrderByDescending(a => a.Severity).ThenBy(a => a.RaisedAt))
            {
                json.WriteStartObject();
                json.WriteString("id", alarm.Id);
                json.WriteString("rule", alarm.Rule);
                json.WriteString("tag", alarm.Tag);
                json.WriteString("state", JsonNamingPolicy.CamelCase.ConvertName(alarm.State.ToString()));
                json.WriteNumber("severity", alarm.Severity);
                json.WriteString("message", alarm.Message);
                json.WriteString("raisedAt", alarm.RaisedAt.UtcDateTime);
                json.WriteString("acknowledgedBy", alarm.AcknowledgedBy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("shelves");
            foreach (var shelf in alarms?.GetShelves() ?? [])
            {
                json.WriteStartObject();
                json.WriteString("rule", shelf.Rule);
                json.WriteString("tag", shelf.Tag);
                json.WriteString("kind", shelf.Suppression ? "suppressed" : "shelved");
                json.WriteString("until", shelf.Until.UtcDateTime);
                json.WriteString("user", shelf.User);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A time with offset, or a number with s, m, h or d; null when neither.</summary>
    internal static DateTimeOffset? ParseExpiry(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? span = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(Math.Min(amount, 3650)),
                _ => null,
            };
            return span is { } s ? now + s : null;
        }

        return text.Contains('T', StringComparison.Ordinal) && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
    }

    private static AlarmOperationResult NoSite => AlarmOperationResult.Refused("no site is running on this agent yet, so it has no alarms");

    private IAlarmService? Current => sites.Current?.GetService<IAlarmService>();

    private static Alarm? Find(IAlarmService alarms, IReadOnlyDictionary<string, string> arguments, out string? user, out string? comment)
    {
        user = arguments.TryGetValue("user", out var u) && !string.IsNullOrWhiteSpace(u) ? u.Trim() : null;
        comment = arguments.TryGetValue("comment", out var c) ? c : null;
        return arguments.TryGetValue("alarmId", out var id) ? alarms.GetAlarms().FirstOrDefault(a => a.Id == id) : null;
    }

    private static AlarmOperationResult Missing(IReadOnlyDictionary<string, string> arguments) =>
        arguments.TryGetValue("alarmId", out var id)
            ? AlarmOperationResult.Refused($"argument 'alarmId': no open alarm '{id}' on this agent (edge-agent alarms list shows the open ones)")
            : AlarmOperationResult.Refused("argument 'alarmId' is required");
}

/// <summary>The outcome of an alarm operation: done or refused, with a line for the operator.</summary>
internal sealed record AlarmOperationResult(bool Succeeded, string Message)
{
    public static AlarmOperationResult Done(string message) => new(true, message);

    public static AlarmOperationResult Refused(string message) => new(false, message);
}

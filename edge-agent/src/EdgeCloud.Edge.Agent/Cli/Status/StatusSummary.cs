using System.Globalization;
using EdgeCloud.Edge.Agent.Status;

namespace EdgeCloud.Edge.Agent.Cli.Status;

/// <summary>
/// Turns a status report into the installer's short summary and a verdict. Unhealthy means: the
/// outbox writer failed, or the hub link is down (points then pile up in the backlog). A clock
/// without synchronization and dropped points are shown as warnings: the agent still works.
/// Durations are measured on the agent's clock (<see cref="AgentStatusReport.Now"/>), not this one's.
/// </summary>
internal static class StatusSummary
{
    public static (IReadOnlyList<string> Lines, IReadOnlyList<string> Problems) Summarize(AgentStatusReport report)
    {
        var lines = new List<string>();
        var problems = new List<string>();
        var now = report.Now;
        lines.Add($"agent     {report.AgentId} {report.Version}, up {Duration(TimeSpan.FromSeconds(report.UptimeSeconds))}");

        lines.Add("outbox    " + (report.Health.Healthy ? "ok" : "FAILED: " + report.Health.Reason));
        if (!report.Health.Healthy)
        {
            problems.Add(report.Health.Reason ?? "the outbox is unhealthy");
        }

        var sync = report.Sync;
        var since = sync.Since is { } at ? $" since {Stamp(at)} ({Duration(now - at)} ago)" : "";
        if (sync.Connected)
        {
            lines.Add($"hub       connected to {sync.Hub}{since}");
        }
        else
        {
            lines.Add($"hub       NOT connected to {sync.Hub}{since}" + (sync.LastError is null ? "" : $": {sync.LastError}"));
            problems.Add($"not connected to the hub {sync.Hub}" + (sync.LastError is null ? "" : $" ({sync.LastError})"));
        }

        var outbox = report.Outbox;
        var eta = outbox.Batches == 0 ? "empty"
            : sync.BacklogEtaSeconds is { } seconds ? $"draining at {sync.AcksPerSecond.ToString("0.##", CultureInfo.InvariantCulture)} batches/s, ETA {Duration(TimeSpan.FromSeconds(seconds))}"
            : "not draining";
        lines.Add($"backlog   {outbox.Batches} batches ({outbox.Points} points, {Bytes(outbox.Bytes)}), {eta}");
        lines.Add($"last ack  sequence {sync.LastAcknowledged}" + (sync.LastAckAt is { } ack ? $" at {Stamp(ack)} ({Duration(now - ack)} ago)" : " (none since start)")
            + $"; durable up to {outbox.LastDurableSequence}");
        lines.Add($"dropped   {outbox.DroppedPoints} points in {outbox.DroppedBatches} batches" + (outbox.DroppedPoints > 0 ? " (WARNING: the disk budget was reached)" : ""));
        lines.Add("clock     " + (report.ClockSynchronized ? "synchronized" : "NOT synchronized (WARNING: timestamps come from a free-running clock)"));
        foreach (var device in report.Devices)
        {
            lines.Add($"device    {device.Name} ({device.Protocol}): {device.Polls} polls, {device.Errors} errors");
        }

        if (report.Update is { } update)
        {
            lines.AddRange(UpdateLines(update));
        }

        lines.Add(problems.Count == 0 ? "status    healthy" : "status    UNHEALTHY: " + string.Join("; ", problems));
        return (lines, problems);
    }

    /// <summary>The build line, and the latest rollout with a progress bar while it downloads.</summary>
    public static IEnumerable<string> UpdateLines(AgentStatusReport.UpdatePart update)
    {
        var build = update.Slot is null ? "packaged build" : $"slot {update.Slot}";
        yield return $"build     {update.RunningVersion} ({build}{(update.Trial ? ", ON TRIAL until its health gate passes" : "")})";
        if (update.State is null)
        {
            yield break;
        }

        var line = $"rollout   {update.Artifact} (campaign {update.Campaign}): {update.State}";
        if (update.State is "downloading" or "downloaded" && update.Size > 0)
        {
            line += " " + ProgressBar(update.BytesDone, update.Size);
        }

        if (update.Reason is { Length: > 0 } reason)
        {
            line += $" [{reason}]";
        }

        if (update.Detail is { Length: > 0 } detail)
        {
            line += ": " + detail;
        }

        yield return line;
    }

    /// <summary><c>[#########-----------]  45% 4.5 MiB/10 MiB</c>: 20 cells.</summary>
    public static string ProgressBar(ulong done, ulong total)
    {
        const int Cells = 20;
        var fraction = total == 0 ? 1 : Math.Min(1, (double)done / total);
        var filled = (int)Math.Floor(fraction * Cells);
        return $"[{new string('#', filled)}{new string('-', Cells - filled)}] {(int)Math.Floor(fraction * 100),3}% {Bytes((long)done)}/{Bytes((long)total)}";
    }

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds}s"
            : $"{(int)span.TotalSeconds}s";
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) =>
        bytes >= 1 << 20 ? $"{(bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB"
        : bytes >= 1 << 10 ? $"{(bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KiB"
        : $"{bytes} B";
}

using System.Text.Json;
using EdgeCloud.Edge.Files;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// The alarm journal on disk: one JSON file replaced atomically (write a temp file, fsync it,
/// rename it over the old one, fsync the folder), so after a crash or a power loss the file is
/// either the previous state or the new one, never a mix. A file that cannot be read is moved
/// aside (kept for inspection, never deleted) and the agent starts without alarms, saying so.
/// </summary>
internal sealed partial class AlarmJournalFile(string directory, ILogger<AlarmJournalFile> logger)
{
    public const string FileName = "alarms.json";

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public AlarmJournalState Load()
    {
        if (!File.Exists(Path))
        {
            return AlarmJournalState.Empty;
        }

        try
        {
            using var stream = File.OpenRead(Path);
            var state = JsonSerializer.Deserialize(stream, AlarmJournalJson.Default.AlarmJournalState);
            if (state is null || state.Version != AlarmJournalState.CurrentVersion)
            {
                throw new JsonException($"unsupported version {state?.Version}");
            }

            return state;
        }
        catch (JsonException ex)
        {
            var aside = Path + ".unreadable-" + Guid.NewGuid().ToString("N")[..8];
            File.Move(Path, aside);
            LogUnreadable(logger, Path, aside, ex.Message);
            return AlarmJournalState.Empty;
        }
    }

    public void Save(AlarmJournalState state)
    {
        Directory.CreateDirectory(directory);
        DurableFile.Write(Path, stream => JsonSerializer.Serialize(stream, state, AlarmJournalJson.Default.AlarmJournalState));
    }

    [LoggerMessage(EventId = 6610, Level = LogLevel.Error, Message = "Alarm journal {Path} cannot be read ({Reason}); moved to {Aside}, starting without open alarms")]
    private static partial void LogUnreadable(ILogger logger, string path, string aside, string reason);
}

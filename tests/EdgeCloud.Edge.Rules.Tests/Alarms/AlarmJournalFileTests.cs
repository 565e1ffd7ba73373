using EdgeCloud.Edge.Rules.Alarms;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Rules.Tests.Alarms;

public sealed class AlarmJournalFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("alarm-journal-");

    [Fact]
    public void SaveThenLoad_RoundTripsAlarmsShelvesAndPendingEvents()
    {
        var file = new AlarmJournalFile(_folder.FullName, NullLogger<AlarmJournalFile>.Instance);
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new AlarmJournalState(
            AlarmJournalState.CurrentVersion,
            8,
            [new Alarm("a1", "hot", "plc/temperature", AlarmState.Acknowledged, 700, "too hot", 26.5, at, "ann")],
            [new AlarmShelf("hot", "plc/temperature", false, at.AddHours(1), "ann")],
            [new AlarmEventRecord(7, AlarmEventKind.Acknowledged, "a1", "hot", "plc/temperature", AlarmState.Acknowledged, 700, at, "ack", double.NaN, at.AddHours(1), null, "ann")]);

        file.Save(state);
        var loaded = file.Load();

        Assert.Equal(8UL, loaded.NextEventNumber);
        Assert.Equal(state.Alarms, loaded.Alarms);
        Assert.Equal(state.Shelves, loaded.Shelves);
        Assert.Equal(state.Pending[0] with { Value = 0 }, loaded.Pending[0] with { Value = 0 });
        Assert.True(double.IsNaN(loaded.Pending[0].Value));
        Assert.False(File.Exists(file.Path + ".tmp"));
    }

    [Fact]
    public void Load_Missing_Empty()
    {
        var file = new AlarmJournalFile(_folder.FullName, NullLogger<AlarmJournalFile>.Instance);

        Assert.Empty(file.Load().Alarms);
    }

    [Fact]
    public void Load_Unreadable_MovedAsideAndEmpty()
    {
        var file = new AlarmJournalFile(_folder.FullName, NullLogger<AlarmJournalFile>.Instance);
        File.WriteAllText(file.Path, "{ \"version\": 1, \"alarms\": [ trunc");

        var loaded = file.Load();

        Assert.Empty(loaded.Alarms);
        Assert.False(File.Exists(file.Path));
        var aside = Assert.Single(_folder.GetFiles("alarms.json.unreadable-*"));
        Assert.Contains("trunc", File.ReadAllText(aside.FullName), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

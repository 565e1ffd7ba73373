using EdgeCloud.Edge.Rules.Alarms;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// The alarms of the site in force, for the agent's own container (hub commands, status endpoint): the rule
/// engine and its <see cref="IAlarmService"/> live in the <see cref="SiteRuntime"/>, which the supervisor swaps.
/// Without a running site there are no alarms to act on.
/// </summary>
internal sealed class SiteAlarms(SiteSupervisor sites) : IAlarmService
{
    public IReadOnlyList<Alarm> GetAlarms() => Current?.GetAlarms() ?? [];

    public IReadOnlyList<AlarmShelf> GetShelves() => Current?.GetShelves() ?? [];

    public bool Acknowledge(string alarmId, string user, string? comment = null) => Current?.Acknowledge(alarmId, user, comment) ?? false;

    public void Shelve(string rule, string tag, TimeSpan duration, bool suppression, string user, string? comment = null) =>
        (Current ?? throw new InvalidOperationException("no site is running: nothing to shelve")).Shelve(rule, tag, duration, suppression, user, comment);

    public bool Unshelve(string rule, string tag, bool suppression, string user) => Current?.Unshelve(rule, tag, suppression, user) ?? false;

    private IAlarmService? Current => sites.Current?.Services.GetService<IAlarmService>();
}

using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Hosting.Journal;

/// <summary>One category's logger for <see cref="JournalLoggerProvider"/>.</summary>
internal sealed class JournalLogger(JournalLoggerProvider provider, string category) : ILogger
{
    private static readonly HashSet<string> OwnFields = new(StringComparer.Ordinal)
    {
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "EVENT_ID", "EVENT_NAME", "LOGGER", "EXCEPTION", "ORIGINAL_FORMAT",
    };

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        var entry = new JournalEntry()
            .Add("MESSAGE", message)
            .Add("PRIORITY", Priority(logLevel).ToString(CultureInfo.InvariantCulture))
            .Add("SYSLOG_IDENTIFIER", provider.Identifier)
            .Add("LOGGER", category);
        if (eventId.Id != 0)
        {
            entry.Add("EVENT_ID", eventId.Id.ToString(CultureInfo.InvariantCulture)).Add("EVENT_NAME", eventId.Name);
        }

        if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            foreach (var (key, value) in fields)
            {
                if (JournalEntry.FieldName(key) is { } name && !OwnFields.Contains(name))
                {
                    entry.Add(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
        }

        entry.Add("EXCEPTION", exception?.ToString());
        provider.Send(entry, $"<{Priority(logLevel)}>{category}[{eventId.Id}] {message}{(exception is null ? string.Empty : " " + exception)}");
    }

    /// <summary>syslog(3) priorities, as journald reads PRIORITY.</summary>
    private static int Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };
}

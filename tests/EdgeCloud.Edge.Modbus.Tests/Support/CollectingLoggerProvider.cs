using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Tests.Support;

/// <summary>Records every log event (id, level, message) to check what is logged and how often.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Events { get; } = new();

    public int Count(int eventId) => Events.Count(e => e.EventId == eventId);

    public IReadOnlyList<string> Messages(int eventId) => [.. Events.Where(e => e.EventId == eventId).Select(e => e.Message)];

    /// <summary>Polls until an event with <paramref name="eventId"/> was logged; fails after <paramref name="deadline"/>.</summary>
    public async Task WaitUntilAsync(int eventId, TimeSpan deadline)
    {
        var until = DateTimeOffset.UtcNow + deadline;
        while (Count(eventId) == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < until, $"no log event {eventId} within {deadline}");
            await Task.Delay(10);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>A logger provider that keeps every entry, so tests can assert what an operator would read.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Collector(_entries);

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<(LogLevel, EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}

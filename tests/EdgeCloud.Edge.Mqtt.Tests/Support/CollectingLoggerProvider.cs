using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>Records every log event (id, level, message) to check what is logged and how often.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Events { get; } = new();

    public int Count(int eventId) => Events.Count(e => e.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
}

/// <summary>Turns a plain logger into the typed one a component asks for.</summary>
internal static class LoggerExtensions
{
    public static ILogger<T> AsGeneric<T>(this ILogger logger) => new Typed<T>(logger);

    private sealed class Typed<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}

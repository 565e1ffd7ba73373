using EdgeCloud.Edge.Writes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Actions;

/// <summary>
/// Carries out rule writes one at a time, off the data path, through the <see cref="ITagWriter"/>
/// that serves the device (which goes through that device's own scheduler and reads back). Every
/// result is logged; a failed write is not retried (the rule fires again if the condition returns).
/// </summary>
internal sealed partial class TagWriteService(TagWriteQueue queue, IEnumerable<ITagWriter> writers, ILogger<TagWriteService> logger) : BackgroundService
{
    private readonly ITagWriter[] _writers = [.. writers];

    /// <summary>Writes completed (any result), for tests and health.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    private long _completed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await WriteAsync(request, stoppingToken);
                Interlocked.Increment(ref _completed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; queued writes are dropped with the process, as a rule re-fires on restart.
        }
    }

    private async Task WriteAsync(TagWriteRequest request, CancellationToken cancellationToken)
    {
        var writer = Array.Find(_writers, w => w.Serves(request.Device));
        if (writer is null)
        {
            LogNoWriter(logger, request.Rule, request.Device, request.Tag);
            return;
        }

        var result = await writer.WriteAsync(request.Device, request.Tag, request.Value, cancellationToken);
        if (result.Succeeded)
        {
            LogWritten(logger, request.Rule, request.Device, request.Tag, request.Value.ToString());
        }
        else
        {
            LogWriteFailed(logger, request.Rule, request.Device, request.Tag, request.Value.ToString(), result.Status, result.Message);
        }
    }

    [LoggerMessage(EventId = 6700, Level = LogLevel.Information, Message = "Rule {Rule} wrote {Device}/{Tag} = {Value} (read back)")]
    private static partial void LogWritten(ILogger logger, string rule, string device, string tag, string value);

    [LoggerMessage(EventId = 6701, Level = LogLevel.Warning, Message = "Rule {Rule} could not write {Device}/{Tag} = {Value}: {Status}, {Message}")]
    private static partial void LogWriteFailed(ILogger logger, string rule, string device, string tag, string value, TagWriteStatus status, string message);

    [LoggerMessage(EventId = 6702, Level = LogLevel.Error, Message = "Rule {Rule} wants to write {Device}/{Tag}, but no tag writer serves device {Device}")]
    private static partial void LogNoWriter(ILogger logger, string rule, string device, string tag);
}

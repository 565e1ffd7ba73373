using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Models;

/// <summary>The models component's log events; ids 6800-6999 are stable (operators filter on them).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6800, Level = LogLevel.Information, Message = "Model {Model} loaded from {File} ({Inputs} input(s), {Outputs} output tag(s), {Schedule})")]
    public static partial void ModelLoaded(ILogger logger, string model, string file, int inputs, int outputs, string schedule);

    [LoggerMessage(EventId = 6801, Level = LogLevel.Error, Message = "Model {Model} refused; {Previous}: {Errors}")]
    public static partial void ModelRefused(ILogger logger, string model, string previous, string errors);

    [LoggerMessage(EventId = 6802, Level = LogLevel.Information, Message = "Model {Model} unloaded: its manifest was removed")]
    public static partial void ModelUnloaded(ILogger logger, string model);

    [LoggerMessage(EventId = 6803, Level = LogLevel.Information, Message = "Model {Model} replaced without a restart (input windows {Windows})")]
    public static partial void ModelSwapped(ILogger logger, string model, string windows);

    [LoggerMessage(EventId = 6804, Level = LogLevel.Warning, Message = "Shadow model {Model} is idle: {Reason}")]
    public static partial void ShadowIdle(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 6805, Level = LogLevel.Error, Message = "Model {Model} failed a run of {Samples} sample(s); they are dropped")]
    public static partial void RunFailed(ILogger logger, string model, int samples, Exception error);

    [LoggerMessage(EventId = 6806, Level = LogLevel.Warning, Message = "Model {Model} is behind: {Dropped} input sample(s) dropped since the last report (queue full)")]
    public static partial void SamplesDropped(ILogger logger, string model, long dropped);

    [LoggerMessage(EventId = 6807, Level = LogLevel.Warning, Message = "Models folder {Folder}: {Problem}")]
    public static partial void FolderProblem(ILogger logger, string folder, string problem);

    [LoggerMessage(EventId = 6808, Level = LogLevel.Information, Message = "Watching models folder {Folder}")]
    public static partial void Watching(ILogger logger, string folder);

    [LoggerMessage(EventId = 6809, Level = LogLevel.Information, Message = "Shadow model {Model} runs beside {Primary}; divergence is published as {Tag}")]
    public static partial void ShadowAttached(ILogger logger, string model, string primary, string tag);
}

namespace EdgeCloud.Edge.Agent.Hosting.Systemd;

/// <summary>
/// What the watchdog looks at to tell a working agent from a wedged one. Invariant: <see cref="Mark"/>
/// only grows, and it grows whenever points reach durable storage.
/// </summary>
internal interface IPipelineProgress
{
    /// <summary>A counter that moves forward with real progress (the outbox's durable sequence).</summary>
    ulong Mark { get; }

    /// <summary>False when nothing is configured to produce points: then no progress is expected.</summary>
    bool ExpectsPoints { get; }

    /// <summary>
    /// How long points may legitimately take to show progress: the slowest device's poll interval
    /// plus the batcher's longest delay.
    /// </summary>
    TimeSpan ExpectedLatency { get; }
}

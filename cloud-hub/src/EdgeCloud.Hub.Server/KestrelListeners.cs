using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EdgeCloud.Hub.Server;

/// <summary>Collects Kestrel's listen options as Kestrel configures each endpoint, for <see cref="HubEndpoints"/>.</summary>
internal sealed class KestrelListeners
{
    private readonly Lock _lock = new();
    private readonly List<ListenOptions> _listeners = [];

    public void Track(ListenOptions listener)
    {
        lock (_lock)
        {
            _listeners.Add(listener);
        }
    }

    public IReadOnlyList<ListenOptions> Snapshot()
    {
        lock (_lock)
        {
            return [.. _listeners];
        }
    }
}

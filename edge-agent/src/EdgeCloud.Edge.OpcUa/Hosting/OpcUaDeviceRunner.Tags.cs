using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Subscriptions;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Hosting;

/// <summary>Resolving tags to node ids and turning notifications into points.</summary>
internal sealed partial class OpcUaDeviceRunner
{
    /// <summary>
    /// Resolves every tag (<c>nsu=</c> node ids through one NamespaceArray read, browse paths in one
    /// call); a tag that cannot be resolved gets a BadConfiguration point and is left out.
    /// </summary>
    private async Task<UaSubscription> BuildSubscriptionAsync(UaSession session, CancellationToken cancellationToken)
    {
        var resolved = new List<(OpcUaTagConfig Tag, NodeId Node)>();
        var bad = new List<DataPoint>();
        var byId = _device.Tags.Where(t => t.NodeId is not null).Select(t => (Tag: t, Reference: NodeIdReference.Parse(t.NodeId!))).ToArray();
        var namespaces = byId.Any(t => t.Reference.NeedsNamespaceArray) ? await session.ReadNamespaceArrayAsync(cancellationToken).ConfigureAwait(false) : [];
        foreach (var (tag, reference) in byId)
        {
            try
            {
                resolved.Add((tag, reference.Resolve(namespaces)));
            }
            catch (UaStatusException ex)
            {
                LogUnresolved(_logger, _device.Name, tag.Name, tag.NodeId!, ex.Message);
                bad.Add(UaPointMapper.Unreachable(_device.Name, tag.Name, _time.GetUtcNow(), ex.StatusCode));
            }
        }

        var byPath = _device.Tags.Where(t => t.NodeId is null).ToArray();
        if (byPath.Length > 0)
        {
            var paths = byPath.Select(t => new BrowsePath(UaSession.ObjectsFolder, ParseBrowsePath(t.BrowsePath!))).ToArray();
            var results = await session.TranslateAsync(paths, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < byPath.Length; i++)
            {
                if (StatusCodes.IsBad(results[i].StatusCode) || results[i].Targets.Length == 0)
                {
                    var status = StatusCodes.IsBad(results[i].StatusCode) ? results[i].StatusCode : StatusCodes.BadNoMatch;
                    LogUnresolved(_logger, _device.Name, byPath[i].Name, byPath[i].BrowsePath!, StatusCodes.Name(status));
                    bad.Add(UaPointMapper.Unreachable(_device.Name, byPath[i].Name, _time.GetUtcNow(), status));
                    continue;
                }

                resolved.Add((byPath[i], results[i].Targets[0].NodeId));
            }
        }

        if (bad.Count > 0)
        {
            await _sink.PublishAsync(bad, cancellationToken).ConfigureAwait(false);
        }

        _subscribedTags = resolved.Select(r => r.Tag).ToArray();
        var specs = resolved.Select(r => new MonitoredItemSpec(
            r.Node, r.Tag.SamplingInterval.TotalMilliseconds, r.Tag.QueueSize, (DataChangeTrigger)r.Tag.Trigger,
            (DeadbandType)r.Tag.Deadband, r.Tag.DeadbandValue, r.Tag.Watchdog)).ToArray();
        var options = _options.Subscription with { PublishingInterval = _device.PublishingInterval, MaxKeepAliveCount = _options.MaxKeepAliveCount };
        return new UaSubscription(specs, options, _time, _logger);
    }

    /// <summary>Parses <c>2:Plant/2:Temperature</c>; a name without a prefix is in namespace 0.</summary>
    internal static QualifiedName[] ParseBrowsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && ushort.TryParse(part.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ns)
                ? new QualifiedName(ns, part[(colon + 1)..])
                : new QualifiedName(0, part);
        }).ToArray();
    }

    private ValueTask OnDataAsync(IReadOnlyList<(int Item, DataValue Value)> batch)
    {
        var now = _time.GetUtcNow();
        var points = new DataPoint[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            points[i] = UaPointMapper.ToPoint(_device.Name, _subscribedTags[batch[i].Item].Name, batch[i].Value, now);
        }

        return _sink.PublishAsync(points, CancellationToken.None);
    }

    private async Task PublishUnreachableAsync(uint status, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var tags = _subscribedTags.Length > 0 ? _subscribedTags : [.. _device.Tags];
        var code = StatusCodes.IsBad(status) ? status : StatusCodes.BadCommunicationError;
        await _sink.PublishAsync(tags.Select(t => UaPointMapper.Unreachable(_device.Name, t.Name, now, code)).ToArray(), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "OPC UA device {Device}: tag {Tag} ('{Path}') does not resolve: {Status}")]
    private static partial void LogUnresolved(ILogger logger, string device, string tag, string path, string status);
}

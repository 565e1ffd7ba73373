using System.Runtime.CompilerServices;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Rollups;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// Reads a long range from the store page by page, so an export streams with bounded memory. Raw pages
/// continue at the last time seen and skip the points of that time already returned: times are not unique,
/// and the store orders equal times by arrival, so the skipped ones are exactly those.
/// </summary>
internal static class TelemetryPages
{
    public const int PageSize = 10_000;

    public static async IAsyncEnumerable<StoredPoint> ReadPointsAsync(
        ITelemetryStore store, TelemetryQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (from, skip, remaining) = (query.FromUnixNano, 0, query.Limit);
        while (remaining > 0)
        {
            var asked = Math.Min(PageSize, remaining) + skip;
            var page = await store.QueryPointsAsync(query.Agent, query.Tag, from, query.ToUnixNano, asked, cancellationToken);
            for (var i = skip; i < page.Count && remaining > 0; i++, remaining--)
            {
                yield return page[i];
            }

            if (page.Count < asked)
            {
                yield break;
            }

            from = page[^1].TimeUnixNano;
            skip = page.Count(p => p.TimeUnixNano == from);
        }
    }

    public static async IAsyncEnumerable<RollupBucket> ReadBucketsAsync(
        ITelemetryRollups rollups, TelemetryQuery query, RollupResolution level, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (from, remaining) = (query.FromUnixNano, query.Limit);
        while (remaining > 0)
        {
            var asked = Math.Min(PageSize, remaining);
            var page = await rollups.QueryRollupsAsync(query.Agent, query.Tag, level, from, query.ToUnixNano, asked, cancellationToken);
            foreach (var bucket in page)
            {
                remaining--;
                yield return bucket;
            }

            if (page.Count < asked)
            {
                yield break;
            }

            // Bucket starts are unique per series: the next page starts just after the last one.
            from = page[^1].BucketUnixNano + 1;
        }
    }
}

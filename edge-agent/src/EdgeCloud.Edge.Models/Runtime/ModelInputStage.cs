using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// The models' pipeline stage: hands every point of a bound tag to the input windows of the
/// models that read it, and nothing else (inference runs on <see cref="ModelRunnerService"/>). A
/// lookup is one frozen-dictionary probe on (device, tag); a push is a few stores under the
/// state's short lock. Derives no points itself: model outputs come back through the sink.
/// </summary>
internal sealed class ModelInputStage(ModelRegistry registry) : IPointStage
{
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        if (!registry.Current.Routes.TryGetValue((point.Device, point.Tag), out var routes))
        {
            return;
        }

        Span<bool> accepted = routes.Length <= 32 ? stackalloc bool[routes.Length] : new bool[routes.Length];
        var all = true;
        for (var i = 0; i < routes.Length; i++)
        {
            accepted[i] = routes[i].State.Offer(routes[i].Slot, point);
            all &= accepted[i];
        }

        if (!all)
        {
            Retry(point, routes, accepted);
        }
    }

    /// <summary>
    /// Rare: a model was swapped between our lookup and our push, and its state closed. The new set
    /// is already published (the registry publishes before it closes), so the point goes to the
    /// slots of the new set it has not reached yet, and to no slot twice.
    /// </summary>
    private void Retry(in DataPoint point, InputRoute[] routes, ReadOnlySpan<bool> accepted)
    {
        var served = new HashSet<InputRoute>();
        for (var i = 0; i < routes.Length; i++)
        {
            if (accepted[i])
            {
                served.Add(routes[i]);
            }
        }

        var rejected = true;
        while (rejected && registry.Current.Routes.TryGetValue((point.Device, point.Tag), out var fresh))
        {
            rejected = false;
            foreach (var route in fresh)
            {
                if (served.Contains(route))
                {
                    continue;
                }

                if (route.State.Offer(route.Slot, point))
                {
                    served.Add(route);
                }
                else
                {
                    rejected = true;
                }
            }
        }
    }
}

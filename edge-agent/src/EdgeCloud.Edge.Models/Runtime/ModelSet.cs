using System.Collections.Frozen;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// An immutable snapshot of the models in force and of the routes from tags to their input slots.
/// Replaced as a whole (one reference write) on every install or removal, so the stage and the
/// runner each see either the old set or the new one, never half of a change.
/// </summary>
internal sealed class ModelSet
{
    public ModelSet(IReadOnlyList<ActiveModel> models)
    {
        Models = models;
        var routes = new Dictionary<(string, string), List<InputRoute>>();
        foreach (var model in models)
        {
            for (var slot = 0; slot < model.State.SlotTags.Count; slot++)
            {
                var key = model.State.SlotTags[slot];
                if (!routes.TryGetValue(key, out var list))
                {
                    routes[key] = list = [];
                }

                list.Add(new InputRoute(model.State, slot));
            }
        }

        Routes = routes.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray());
    }

    public static ModelSet Empty { get; } = new([]);

    public IReadOnlyList<ActiveModel> Models { get; }

    /// <summary>From (device, tag) to the slots it feeds; a tuple key so that a lookup allocates no address string.</summary>
    public FrozenDictionary<(string Device, string Tag), InputRoute[]> Routes { get; }
}

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>A model in force: its session, its input state and the shadow candidates compared with it. Immutable.</summary>
/// <param name="Session">The model that acts: its outputs are published.</param>
/// <param name="State">Its input windows (and queue, on change).</param>
/// <param name="Shadows">Candidates run on the same samples; their outputs are only compared.</param>
internal sealed record ActiveModel(ModelSession Session, ModelInputState State, IReadOnlyList<ShadowModel> Shadows);

/// <summary>A shadow candidate attached to a primary.</summary>
/// <param name="Session">The candidate.</param>
/// <param name="Pairs">Output bindings compared: (index in the primary's results, index in the candidate's), one pair per shared output tag.</param>
/// <param name="Device">Device of the divergence tag (that of the first shared output).</param>
/// <param name="Tag">The divergence tag: <c>candidate.divergence</c>.</param>
internal sealed record ShadowModel(ModelSession Session, (int Primary, int Shadow)[] Pairs, string Device, string Tag);

/// <summary>A model taken out of force: the runner runs what is left in <paramref name="State"/> (when it was not handed to the successor) with it, then disposes it.</summary>
/// <param name="Session">The retired model.</param>
/// <param name="State">Its closed input state, or null when the successor kept it.</param>
internal sealed record RetiredModel(ModelSession Session, ModelInputState? State);

/// <summary>Where a tag's points go: one slot of one input state.</summary>
/// <param name="State">The input state.</param>
/// <param name="Slot">The feature slot within it.</param>
internal readonly record struct InputRoute(ModelInputState State, int Slot);

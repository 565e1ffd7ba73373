namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// Pearson's r between the tag and <see cref="With"/> over <see cref="Pairs"/> paired values (null when fewer than
/// 3 or one side is constant). Raw values pair each point with the other tag's latest point at or before
/// it; rollups pair bucket averages of the same bucket.
/// </summary>
internal sealed record CorrelationView(string With, int Pairs, double? R);

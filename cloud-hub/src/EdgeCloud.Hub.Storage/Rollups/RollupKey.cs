namespace EdgeCloud.Hub.Storage.Rollups;

/// <summary>One tag's bucket at one resolution: what a rollup row is keyed by (with the agent).</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Resolution">The level.</param>
/// <param name="BucketUnixNano">Start of the bucket.</param>
public readonly record struct RollupKey(string Tag, RollupResolution Resolution, long BucketUnixNano);

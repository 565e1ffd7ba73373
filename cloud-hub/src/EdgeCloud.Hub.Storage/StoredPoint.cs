using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Storage;

/// <summary>
/// One stored point of a tag. <see cref="Value"/> is a <see cref="double"/>, a <see cref="long"/>, a
/// <see cref="bool"/>, a <see cref="string"/>, or null for a point that carried no value (bad quality).
/// </summary>
/// <param name="TimeUnixNano">Source timestamp, nanoseconds since the Unix epoch, UTC.</param>
/// <param name="Value">The value (see the type's remarks for the allowed types).</param>
/// <param name="Quality">The point's quality as sent by the agent.</param>
/// <param name="StatusDetail">Device-specific detail for a bad point, else 0.</param>
public readonly record struct StoredPoint(long TimeUnixNano, object? Value, Quality Quality, uint StatusDetail);

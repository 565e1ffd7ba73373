namespace EdgeCloud.Edge.Points;

/// <summary>
/// Quality of a point, after OPC UA's major classes (good, uncertain, bad) with the bad reasons
/// an installer needs to tell apart. Numeric values equal the wire enum <c>edgecloud.sync.v1.Quality</c>.
/// </summary>
public enum PointQuality : byte
{
    /// <summary>The value was read and decoded as configured.</summary>
    Good = 0,

    /// <summary>A value exists but may be wrong (for example a stale or clamped value).</summary>
    Uncertain = 1,

    /// <summary>No usable value, reason not more specific.</summary>
    Bad = 2,

    /// <summary>The device could not be reached (connection refused, reset, unreachable).</summary>
    BadCommunication = 3,

    /// <summary>The device did not answer in time.</summary>
    BadTimeout = 4,

    /// <summary>The device answered with a protocol exception (detail carries the code).</summary>
    BadDeviceException = 5,

    /// <summary>The tag's configuration cannot be served by the device.</summary>
    BadConfiguration = 6,

    /// <summary>The source is not connected yet.</summary>
    BadNotConnected = 7,
}

/// <summary>Helpers over <see cref="PointQuality"/>.</summary>
public static class PointQualityExtensions
{
    /// <summary>True for <see cref="PointQuality.Good"/> only.</summary>
    public static bool IsGood(this PointQuality quality) => quality == PointQuality.Good;

    /// <summary>True for every bad reason.</summary>
    public static bool IsBad(this PointQuality quality) => quality >= PointQuality.Bad;
}

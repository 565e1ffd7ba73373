namespace EdgeCloud.Hub.Storage.Rollups;

/// <summary>The rollup levels the hub keeps per tag. The numeric value is the bucket width in seconds.</summary>
public enum RollupResolution
{
    /// <summary>One bucket per minute (UTC, aligned to the Unix epoch).</summary>
    OneMinute = 60,

    /// <summary>One bucket per hour (UTC, aligned to the Unix epoch).</summary>
    OneHour = 3600,
}

namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>The tables retention deletes from, each with its own age limit.</summary>
public enum RetentionTier
{
    /// <summary>Raw points.</summary>
    Raw = 0,

    /// <summary>1-minute rollups.</summary>
    OneMinute = 1,

    /// <summary>1-hour rollups.</summary>
    OneHour = 2,
}

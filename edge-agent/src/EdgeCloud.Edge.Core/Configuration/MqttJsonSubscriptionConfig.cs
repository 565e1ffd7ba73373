namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// A topic filter whose messages are JSON documents: each tag is read at a JSON pointer (RFC 6901)
/// of every message; the source timestamp is read at <see cref="Timestamp"/> when given, else it is
/// the time of arrival.
/// </summary>
/// <param name="Topic">Topic filter; may hold <c>+</c> and <c>#</c> wildcards (all matching topics feed the same tags).</param>
/// <param name="Qos">Quality of service asked for.</param>
/// <param name="Timestamp">Where the source timestamp is and how it is written, or null.</param>
/// <param name="Tags">Tags read from each message; at least one.</param>
/// <param name="Path">Where it was configured, for messages.</param>
public sealed record MqttJsonSubscriptionConfig(
    string Topic,
    int Qos,
    MqttJsonTimestampConfig? Timestamp,
    IReadOnlyList<MqttJsonTagConfig> Tags,
    string Path) : MqttSubscriptionConfig(Qos, Path)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> TopicFilters => [Topic];
}

/// <summary>One tag of a JSON subscription.</summary>
/// <param name="Name">Tag name, unique in its device.</param>
/// <param name="Pointer">JSON pointer as configured (<c>/sensors/0/temp</c>; empty for the whole document).</param>
/// <param name="Kind">The kind of value expected there.</param>
public sealed record MqttJsonTagConfig(string Name, string Pointer, MqttValueKind Kind);

/// <summary>Where a JSON message's source timestamp is.</summary>
/// <param name="Pointer">JSON pointer of the timestamp.</param>
/// <param name="Format">How it is written.</param>
public sealed record MqttJsonTimestampConfig(string Pointer, MqttTimestampFormat Format);

/// <summary>The kind of value a JSON tag holds; a value of another kind gives a bad point.</summary>
public enum MqttValueKind
{
    /// <summary>A JSON number, kept as a double.</summary>
    Number,

    /// <summary>A JSON number without a fraction, kept exact as a 64-bit integer.</summary>
    Integer,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>Whatever scalar is there (number, boolean or string).</summary>
    Auto,
}

/// <summary>How a JSON timestamp is written.</summary>
public enum MqttTimestampFormat
{
    /// <summary>An ISO-8601 string with an offset or <c>Z</c> (a time without one is refused, not guessed).</summary>
    Iso8601,

    /// <summary>Milliseconds since the Unix epoch, a number.</summary>
    EpochMilliseconds,

    /// <summary>Seconds since the Unix epoch, a number (fractions allowed).</summary>
    EpochSeconds,
}

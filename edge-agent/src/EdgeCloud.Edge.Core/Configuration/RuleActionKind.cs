namespace EdgeCloud.Edge.Configuration;

/// <summary>What a rule does when it becomes active (and, with a clear value, when it clears).</summary>
public enum RuleActionKind
{
    /// <summary><c>alarm</c>: raise an alarm for rule + tag, clear it when the rule clears.</summary>
    Alarm,

    /// <summary><c>setTag</c>: publish a derived tag value.</summary>
    SetTag,

    /// <summary><c>write</c>: write a device tag through its writer, off the data path.</summary>
    Write,

    /// <summary><c>mqtt</c>: publish a JSON message about the rule to the local broker (site <c>mqtt.publish</c>).</summary>
    Mqtt,
}

using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Splits a device into its poll groups: the tags without a group at the device's interval, and
/// each named group's tags at the group's interval. Each part is polled by its own loop over the
/// device's one master, so a fast group is never held back by a slow one's schedule, while every
/// request still takes its turn on the same connection or bus.
/// </summary>
internal static class PollGroups
{
    /// <summary>The device's parts, each with the tags it polls and its interval; groups without tags are left out.</summary>
    public static IReadOnlyList<ModbusDeviceConfig> Split(ModbusDeviceConfig device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Tags.All(t => t.Group is null))
        {
            return [device];
        }

        var parts = new List<ModbusDeviceConfig>();
        var ungrouped = device.Tags.Where(t => t.Group is null).ToList();
        if (ungrouped.Count > 0)
        {
            parts.Add(device with { Tags = ungrouped });
        }

        foreach (var (name, interval) in device.Planning.Groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var tags = device.Tags.Where(t => string.Equals(t.Group, name, StringComparison.Ordinal)).ToList();
            if (tags.Count > 0)
            {
                parts.Add(device with { Tags = tags, PollInterval = interval });
            }
        }

        return parts;
    }
}

using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The read-planning part of a Modbus device: <c>maxGap</c>, <c>maxBlock</c> and <c>pollGroups</c>, and each tag's group.</summary>
public static partial class ConfigLoader
{
    /// <summary>Read before the tags, so each tag's group can be checked where it is named.</summary>
    private static ModbusPlanningConfig ReadPlanning(JsonObjectReader device)
    {
        var maxGap = (int)device.Integer("maxGap", 0, 124, ModbusPlanningConfig.Default.MaxGap);
        var maxBlock = (int)device.Integer("maxBlock", 1, 125, ModbusPlanningConfig.Default.MaxBlock);
        var groups = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var element = device.Property("pollGroups", required: false);
        if (element is { ValueKind: JsonValueKind.Object } value)
        {
            foreach (var group in value.EnumerateObject())
            {
                var path = $"{device.At("pollGroups")}.{group.Name}";
                if (!IsName(group.Name))
                {
                    device.Error(path, $"'{group.Name}' is not a valid group name (letters, digits, '-', '_', '.'; at most 64)");
                }
                else if (group.Value.ValueKind != JsonValueKind.Number || !group.Value.TryGetInt64(out var ms) || ms is < 10 or > 86_400_000)
                {
                    device.Error(path, $"expected a poll interval in milliseconds, 10-86400000, found {JsonObjectReader.Describe(group.Value)}");
                }
                else
                {
                    groups[group.Name] = TimeSpan.FromMilliseconds(ms);
                }
            }
        }
        else if (element is not null)
        {
            device.Error(device.At("pollGroups"), $"expected an object of group name -> poll interval in ms, found {JsonObjectReader.Describe(element.Value)}");
        }

        return groups.Count == 0 && maxGap == ModbusPlanningConfig.Default.MaxGap && maxBlock == ModbusPlanningConfig.Default.MaxBlock
            ? ModbusPlanningConfig.Default
            : new ModbusPlanningConfig(maxGap, maxBlock, groups);
    }
}

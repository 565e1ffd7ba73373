using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Models.Loading;

/// <summary>
/// The tags a model may read (those of the site config's devices) and the device names a model
/// may not write to (the same devices: a model's outputs are derived tags of a device of its own).
/// </summary>
internal sealed class SiteTagCatalog
{
    private readonly Dictionary<string, HashSet<string>> _tags = new(StringComparer.Ordinal);

    public SiteTagCatalog(SiteConfig site)
    {
        ArgumentNullException.ThrowIfNull(site);
        foreach (var device in site.Devices)
        {
            var tags = new HashSet<string>(StringComparer.Ordinal);
            if (device is ModbusDeviceConfig modbus)
            {
                foreach (var tag in modbus.Tags)
                {
                    tags.Add(tag.Name);
                }
            }

            _tags[device.Name] = tags;
        }
    }

    /// <summary>Null when <paramref name="device"/>/<paramref name="tag"/> is a tag of the site, else why not.</summary>
    public string? CheckInput(string device, string tag)
    {
        if (!_tags.TryGetValue(device, out var tags))
        {
            return $"no device '{device}' in the site config (devices: {string.Join(", ", _tags.Keys.Order(StringComparer.Ordinal))})";
        }

        return tags.Contains(tag) ? null : $"device '{device}' has no tag '{tag}' (tags: {string.Join(", ", tags.Order(StringComparer.Ordinal))})";
    }

    /// <summary>Null when a model may publish derived tags of <paramref name="device"/>, else why not.</summary>
    public string? CheckOutput(string device) =>
        _tags.ContainsKey(device) ? $"'{device}' is a device of the site config; a model publishes derived tags of a device of its own, such as 'model'" : null;
}

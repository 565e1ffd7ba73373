using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Tests.Configuration;

/// <summary>
/// The config-loader tests' scaffolding: a site config made of device objects (JSON text), parsed from a file
/// named <c>test</c>, accepted or refused as a whole.
/// </summary>
internal static class SiteParsing
{
    /// <summary>Parses the devices as one site and asserts that nothing was refused.</summary>
    public static SiteConfig Parse(params string[] devices)
    {
        var errors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite("test", Site(devices), errors);
        Assert.Empty(errors);
        return site!;
    }

    /// <summary>Parses the devices as one site, asserts that the whole site was refused, and returns why.</summary>
    public static List<ConfigError> Errors(params string[] devices)
    {
        var errors = new List<ConfigError>();
        Assert.Null(ConfigLoader.TryParseSite("test", Site(devices), errors));
        return errors;
    }

    /// <summary>
    /// Replaces <paramref name="good"/> (which must be in <paramref name="device"/>) with <paramref name="bad"/>,
    /// asserts that the site is refused with an error at <paramref name="path"/> whose message contains
    /// <paramref name="reason"/>, and returns that error.
    /// </summary>
    public static ConfigError ErrorAt(string device, string good, string bad, string path, string reason)
    {
        Assert.Contains(good, device, StringComparison.Ordinal);
        var error = Assert.Single(Errors(device.Replace(good, bad, StringComparison.Ordinal)), e => e.Path == path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        return error;
    }

    private static string Site(string[] devices) => $$"""{ "devices": [ {{string.Join(", ", devices)}} ] }""";
}

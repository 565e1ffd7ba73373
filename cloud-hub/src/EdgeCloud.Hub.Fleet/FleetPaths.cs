using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet;

/// <summary>The fleet data folder (made owner-only on first use): <see cref="FleetOptions.DataDirectory"/> or <c>fleet</c> inside the storage folder.</summary>
internal sealed class FleetPaths
{
    public FleetPaths(IOptions<FleetOptions> fleet, IOptions<HubStorageOptions> storage, IHostEnvironment environment)
    {
        Folder = fleet.Value.DataDirectory is { Length: > 0 } configured
            ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured))
            : Path.Combine(storage.Value.ResolveDataDirectory(environment), "fleet");
        SecretFiles.EnsureFolder(Folder);
    }

    public string Folder { get; }

    public string Database => Path.Combine(Folder, "fleet.db");
}

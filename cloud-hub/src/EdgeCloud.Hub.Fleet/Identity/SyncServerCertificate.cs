using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>
/// The sync endpoint's TLS certificate, issued by the hub's CA for localhost, 127.0.0.1, ::1, the sync URL's
/// host and <see cref="FleetOptions.ServerNames"/>. Kept in memory only and issued again once two thirds of
/// its 90-day lifetime have passed, so a long-running hub never serves an expired one. Thread-safe.
/// </summary>
internal sealed class SyncServerCertificate(HubCertificateAuthority ca, IOptions<FleetOptions> options, IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);
    private readonly Lock _lock = new();
    private X509Certificate2? _current;

    public X509Certificate2 Current
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (_current is null || now > _current.NotBefore.ToUniversalTime() + (Lifetime * 2 / 3))
                {
                    // The previous one is not disposed: handshakes in flight may still hold it.
                    _current = ca.IssueServerCertificate(Names(), now, Lifetime);
                }

                return _current;
            }
        }
    }

    private IEnumerable<string> Names()
    {
        yield return "localhost";
        yield return "127.0.0.1";
        yield return "::1";
        if (Uri.TryCreate(configuration["Kestrel:Endpoints:Sync:Url"], UriKind.Absolute, out var sync) && sync.Host is not ("0.0.0.0" or "[::]" or "+" or "*" or ""))
        {
            yield return sync.Host.Trim('[', ']');
        }

        foreach (var name in options.Value.ServerNames)
        {
            yield return name;
        }
    }
}

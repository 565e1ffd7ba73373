using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>
/// Which addresses a webhook may connect to. Refused unless inside an allowed network: unspecified, loopback,
/// private (RFC 1918), carrier-grade NAT (100.64.0.0/10), link-local (169.254.0.0/16 with the cloud metadata
/// address 169.254.169.254; fe80::/10), unique local (fc00::/7), site-local (fec0::/10), multicast, broadcast and
/// reserved IPv4 (240.0.0.0/4), "this network" (0.0.0.0/8), and those IPv4 ranges in IPv6 clothing
/// (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16).
/// </summary>
internal sealed class WebhookAddressPolicy(IReadOnlyList<IPNetwork> allowed)
{
    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
    ];

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    /// <summary>Null when <paramref name="address"/> may be called, else why not.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (allowed.Any(n => n.Contains(address)))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Find(RefusedV4, address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"{address} is not an IP address";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded(address, address.MapToIPv4());
        }

        if (Find(RefusedV6, address) is { } refused)
        {
            return refused;
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || V4Compatible.Contains(address))
        {
            return Embedded(address, new IPAddress(bytes.AsSpan(12, 4)));
        }

        return SixToFour.Contains(address) ? Embedded(address, new IPAddress(bytes.AsSpan(2, 4))) : null;
    }

    private static string? Find(IPNetwork[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return $"{address} is in the refused network {network}";
            }
        }

        return null;
    }

    private string? Embedded(IPAddress outer, IPAddress inner) =>
        Refusal(inner) is { } why ? $"{outer} embeds {inner}: {why}" : null;
}

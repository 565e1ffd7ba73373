using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>
/// Posts signed JSON to a webhook without letting it reach what the hub can reach. The check sits in the
/// socket handler's <c>ConnectCallback</c>: the host is resolved once there, every address it resolves to is
/// checked against <see cref="WebhookAddressPolicy"/> (one refused address refuses the host, so a name with a
/// public and a private record cannot pick the private one), and the socket connects to the checked address:
/// no second lookup can swap it (DNS rebinding). No proxy (it would connect for us, unchecked), no automatic
/// redirects: at most <see cref="AlertsOptions.WebhookMaxRedirects"/> are followed by hand, each new target
/// going through the same callback.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly WebhookAddressPolicy _policy;
    private readonly AlertsOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<AlertsOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _policy = new WebhookAddressPolicy(_options.AllowedNetworks());
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = _options.DeliveryTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="url"/> signed with <paramref name="secret"/>; throws when it is refused or not answered with 2xx.</summary>
    public async Task SendAsync(string url, string secret, byte[] body, CancellationToken cancellationToken)
    {
        var target = new Uri(url);
        for (var redirects = 0; ; redirects++)
        {
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
            using var response = await SendCheckedAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects >= _options.WebhookMaxRedirects)
                {
                    throw new WebhookRefusedException($"{target} redirected more than {_options.WebhookMaxRedirects} times");
                }

                target = location.IsAbsoluteUri ? location : new Uri(target, location);
                if (target.Scheme is not ("http" or "https"))
                {
                    throw new WebhookRefusedException($"redirect to {target.Scheme}: refused (only http and https)");
                }

                continue;
            }

            if (status is < 200 or >= 300)
            {
                throw new HttpRequestException($"{target} answered {status} {response.ReasonPhrase}", null, response.StatusCode);
            }

            return;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException error) when (error.InnerException is WebhookRefusedException refused)
        {
            throw refused;
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new WebhookRefusedException($"{host} resolves to no address");
        }

        foreach (var address in addresses)
        {
            if (_policy.Refusal(address) is { } why)
            {
                throw new WebhookRefusedException($"webhook host {host} refused: {why}");
            }
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                last = error;
            }
        }

        throw last!;
    }
}

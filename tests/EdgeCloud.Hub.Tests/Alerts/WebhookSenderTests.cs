using System.Globalization;
using System.Net;
using System.Text;
using EdgeCloud.Hub.Alerts;
using EdgeCloud.Hub.Alerts.Channels;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Tests.Alerts;

/// <summary>Signed, SSRF-safe webhook delivery against real Kestrel receivers on loopback.</summary>
public sealed class WebhookSenderTests
{
    private const string Secret = "a-webhook-secret-of-tests";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"event\":\"incident.opened\"}");

    [Fact]
    public async Task SendAsync_AllowedReceiver_SignatureVerifiesWithSecretOnly()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sender = Sender("127.0.0.1/32");

        await sender.SendAsync(receiver.Url("/hook").ToString(), Secret, Body, CancellationToken.None);

        var got = Assert.Single(receiver.Received);
        var timestamp = long.Parse(got.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        var signature = got.Headers[WebhookSignature.SignatureHeader];
        Assert.StartsWith("sha256=", signature, StringComparison.Ordinal);
        Assert.Equal("application/json", got.Headers["Content-Type"]);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, Encoding.UTF8.GetBytes(got.Body), signature));
        Assert.False(WebhookSignature.Verify("another-secret-entirely", timestamp, Encoding.UTF8.GetBytes(got.Body), signature));
        Assert.False(WebhookSignature.Verify(Secret, timestamp + 1, Encoding.UTF8.GetBytes(got.Body), signature));
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -5, 60);
    }

    [Fact]
    public async Task SendAsync_DefaultPolicy_InternalTargetsRefusedAndNeverCalled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var receiverV6 = await WebhookReceiver.StartAsync("::1");
        using var sender = Sender();
        var port = receiver.Address.Port;
        string[] targets =
        [
            $"http://127.0.0.1:{port}/hook",
            $"http://localhost:{port}/hook",
            $"http://[::1]:{receiverV6.Address.Port}/hook",
            $"http://[::ffff:127.0.0.1]:{port}/hook",
            "http://10.1.2.3/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/hook",
        ];

        foreach (var target in targets)
        {
            var refused = await Assert.ThrowsAsync<WebhookRefusedException>(() => sender.SendAsync(target, Secret, Body, CancellationToken.None));
            Assert.Contains("refused", refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty(receiver.Received);
        Assert.Empty(receiverV6.Received);
    }

    [Fact]
    public async Task SendAsync_AllowedTargetRedirectsToRefusedOne_RedirectNotFollowed()
    {
        await using var allowed = await WebhookReceiver.StartAsync("127.0.0.1");
        await using var internalOnly = await WebhookReceiver.StartAsync("127.0.0.2");
        using var sender = Sender("127.0.0.1/32");
        var redirect = allowed.Url("/redirect?to=" + Uri.EscapeDataString(internalOnly.Url("/secret").ToString()));

        var refused = await Assert.ThrowsAsync<WebhookRefusedException>(() => sender.SendAsync(redirect.ToString(), Secret, Body, CancellationToken.None));

        Assert.Contains("127.0.0.2", refused.Message, StringComparison.Ordinal);
        Assert.Single(allowed.Received);
        Assert.Empty(internalOnly.Received);
    }

    [Fact]
    public async Task SendAsync_AllowedRedirectChain_FollowedUpToTheLimit()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sender = Sender("127.0.0.1/32");
        var final = receiver.Url("/final");
        var once = receiver.Url("/redirect?to=" + Uri.EscapeDataString(final.ToString()));
        var twice = receiver.Url("/redirect?to=" + Uri.EscapeDataString(once.ToString()));
        var thrice = receiver.Url("/redirect?to=" + Uri.EscapeDataString(twice.ToString()));
        var fourTimes = receiver.Url("/redirect?to=" + Uri.EscapeDataString(thrice.ToString()));

        await sender.SendAsync(thrice.ToString(), Secret, Body, CancellationToken.None);
        await Assert.ThrowsAsync<WebhookRefusedException>(() => sender.SendAsync(fourTimes.ToString(), Secret, Body, CancellationToken.None));

        Assert.Equal(1, receiver.Received.Count(r => r.PathAndQuery == "/final"));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void Refusal_DefaultPolicy_RefusesInternalAddressesOnly(string address, bool allowed)
    {
        var policy = new WebhookAddressPolicy([]);

        Assert.Equal(allowed, policy.Refusal(IPAddress.Parse(address)) is null);
    }

    [Fact]
    public void Refusal_AllowList_OpensOnlyItsNetworks()
    {
        var policy = new WebhookAddressPolicy([IPNetwork.Parse("10.20.0.0/16")]);

        Assert.Null(policy.Refusal(IPAddress.Parse("10.20.3.4")));
        Assert.Null(policy.Refusal(IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("10.21.3.4")));
    }

    private static WebhookSender Sender(params string[] allowed)
    {
        var options = new AlertsOptions { DeliveryTimeout = TimeSpan.FromSeconds(5) };
        foreach (var network in allowed)
        {
            options.WebhookAllowedNetworks.Add(network);
        }

        return new WebhookSender(Options.Create(options), TimeProvider.System);
    }
}

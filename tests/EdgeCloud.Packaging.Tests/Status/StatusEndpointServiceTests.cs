using System.Net;

namespace EdgeCloud.Packaging.Tests.Status;

public sealed class StatusEndpointServiceTests
{
    [Theory]
    [InlineData(false, "unhealthy: the outbox failed: No space left on device")]
    [InlineData(true, "unhealthy: the outbox writer did not answer within 3 s")]
    public async Task GetHealthz_OutboxFailedOrWedged_503WithTheReason(bool wedged, string expected)
    {
        await using var harness = new StatusEndpointHarness(new FailedOutbox(wedged));
        using var service = harness.NewService();
        await service.StartAsync(CancellationToken.None);
        try
        {
            var http = harness.Http;
            await harness.ListeningAsync();

            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(expected + "\n", await response.Content.ReadAsStringAsync());
            var status = await http.GetStringAsync(new Uri("/status", UriKind.Relative));
            Assert.Contains("\"healthy\": false", status, StringComparison.Ordinal);
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("\nedge_outbox_batches 2\n", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}

using EdgeCloud.Edge.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Sync.Identity;

/// <summary>
/// Renews the agent's certificate two thirds into its validity period, over the existing identity (the
/// current certificate is the proof), and makes the new one current for the next connections; the open
/// stream is left alone, so data keeps flowing. A failed renewal is retried after a quarter of the time
/// left (at most a minute, at least a second). Idle while the agent is not enrolled or syncs in cleartext.
/// </summary>
internal sealed partial class CertificateRenewalService(
    AgentIdentity identity, AgentConfig config, TimeProvider time, ILogger<CertificateRenewalService> logger) : BackgroundService
{
    private static readonly TimeSpan NotEnrolledPoll = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.Hub.Url.Scheme != Uri.UriSchemeHttps)
        {
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = identity.Current;
            var hubApi = identity.Files.HubApi();
            if (current is null || hubApi is null)
            {
                await Task.Delay(NotEnrolledPoll, time, stoppingToken);
                continue;
            }

            var notBefore = new DateTimeOffset(current.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(current.NotAfter.ToUniversalTime());
            var due = notBefore + ((notAfter - notBefore) * 2 / 3);
            var now = time.GetUtcNow();
            if (now < due)
            {
                await Task.Delay(due - now, time, stoppingToken);
                continue;
            }

            try
            {
                var renewed = await EnrollmentClient.RenewAsync(http, hubApi, current, identity.Files, stoppingToken);
                identity.Replace(renewed.Credential, renewed.Ca);
                LogRenewed(logger, current.SerialNumber, renewed.Credential.SerialNumber, renewed.Credential.NotAfter.ToUniversalTime());
            }
            catch (EnrollmentException error)
            {
                var retry = TimeSpan.FromTicks(Math.Clamp((notAfter - now).Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
                LogRenewalFailed(logger, error.Message, notAfter, retry);
                await Task.Delay(retry, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 7600, Level = LogLevel.Information, Message = "Certificate renewed: {OldSerial} -> {NewSerial}, valid until {NotAfter:O}; used from the next connection")]
    private static partial void LogRenewed(ILogger logger, string oldSerial, string newSerial, DateTime notAfter);

    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "Certificate renewal failed: {Reason}; the current one expires at {NotAfter:O}; retrying in {Retry}")]
    private static partial void LogRenewalFailed(ILogger logger, string reason, DateTimeOffset notAfter, TimeSpan retry);
}

using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>
/// Sends incident mail through the hub's SMTP server (<see cref="AlertsOptions.SmtpHost"/>) with MailKit:
/// STARTTLS whenever the server offers it (<see cref="SecureSocketOptions.StartTlsWhenAvailable"/>), login only
/// when a user is configured. One connection per mail: incident mail is rare, and a held connection would
/// only time out in between.
/// </summary>
internal sealed class MailSender(IOptions<AlertsOptions> options)
{
    public async Task SendAsync(IReadOnlyList<string> to, string subject, string text, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            throw new InvalidOperationException($"{AlertsOptions.SectionName}:{nameof(AlertsOptions.SmtpHost)} is not set, so email channels cannot send");
        }

        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.SmtpFrom));
        foreach (var recipient in to)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        using var client = new SmtpClient();
        await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

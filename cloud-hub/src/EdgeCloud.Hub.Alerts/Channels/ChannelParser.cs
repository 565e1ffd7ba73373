using System.Net.Mail;
using System.Text.Json;
using EdgeCloud.Hub.Alerts.Rules;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>
/// Validates a channel body from the API, naming each problem by its JSON path:
/// <c>{"kind":"webhook","url":"https://..","secret":"at least 16 characters"}</c> or <c>{"kind":"email","to":["ops@example.com"]}</c>.
/// Whether a webhook's address may be called is decided at each delivery (DNS can change), not here.
/// </summary>
internal static class ChannelParser
{
    public const int MinSecretLength = 16;

    public static NotificationChannel? Parse(string tenant, string id, JsonElement body, List<string> problems)
    {
        var fields = JsonFields.Of(body, "$", problems, "kind", "url", "secret", "to");
        if (fields is null)
        {
            return null;
        }

        var kind = fields.String("kind", required: true);
        string? url = null, secret = null;
        IReadOnlyList<string> to = [];
        switch (kind)
        {
            case ChannelKinds.Webhook:
                url = fields.String("url", required: true, maxLength: 2000);
                if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0))
                {
                    problems.Add("$.url: must be an absolute http:// or https:// URL without user info");
                }

                secret = fields.String("secret", required: true, maxLength: 500);
                if (secret is not null && secret.Length < MinSecretLength)
                {
                    problems.Add($"$.secret: must be at least {MinSecretLength} characters");
                }

                if (fields.Has("to"))
                {
                    problems.Add("$.to: only an email channel takes recipients");
                }

                break;
            case ChannelKinds.Email:
                to = fields.Strings("to", maxItems: 20);
                if (to.Count == 0)
                {
                    problems.Add("$.to: at least one recipient is required");
                }

                for (var i = 0; i < to.Count; i++)
                {
                    if (!MailAddress.TryCreate(to[i], out _))
                    {
                        problems.Add($"$.to[{i}]: not an e-mail address");
                    }
                }

                if (fields.Has("url") || fields.Has("secret"))
                {
                    problems.Add("$: an email channel takes no url or secret");
                }

                break;
            case null:
                break;
            default:
                problems.Add($"$.kind: must be {ChannelKinds.Webhook} or {ChannelKinds.Email}, not '{kind}'");
                break;
        }

        return problems.Count > 0 || kind is null ? null : new NotificationChannel(id, tenant, kind, url, secret, to);
    }
}

using System.Text.Encodings.Web;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// Authenticates <c>X-Api-Key: ecak_...</c> (or <c>Authorization: ApiKey ecak_...</c>) by the key's hash.
/// In <see cref="FleetSecurityMode.InsecureDevelopment"/> a caller without credentials becomes the admin of
/// the default tenant; in the secure mode it stays anonymous (and every /api route refuses it).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IFleetStore store,
    IOptions<FleetOptions> fleet) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[HeaderName].ToString();
        var authorization = Request.Headers.Authorization.ToString();
        if (key.Length == 0 && authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["ApiKey ".Length..].Trim();
        }

        if (key.Length == 0)
        {
            if (fleet.Value.Mode == FleetSecurityMode.InsecureDevelopment && authorization.Length == 0)
            {
                return AuthenticateResult.Success(new AuthenticationTicket(
                    FleetClaims.Principal("dev-admin", FleetOptions.RootTenant, FleetRoles.Admin, SchemeName), SchemeName));
            }

            return AuthenticateResult.NoResult();
        }

        var user = await store.FindUserByApiKeyAsync(Secrets.Hash(key), Context.RequestAborted);
        return user is null
            ? AuthenticateResult.Fail("unknown API key")
            : AuthenticateResult.Success(new AuthenticationTicket(FleetClaims.Principal(user.Id, user.Tenant, user.Role, SchemeName), SchemeName));
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// Issues and describes the hub's JWT bearer tokens: HS256 with a 256-bit key kept in the fleet data folder
/// (<c>jwt.key</c>, mode 0600, made on the first start), issuer <see cref="Issuer"/>, audience
/// <see cref="Audience"/>, claims sub/tenant/role, lifetime <see cref="FleetOptions.JwtLifetime"/>.
/// </summary>
internal sealed class JwtIssuer
{
    public const string Issuer = "edgecloud-hub";
    public const string Audience = "edgecloud-api";

    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public JwtIssuer(FleetPaths paths, IOptions<FleetOptions> options, TimeProvider time)
    {
        _time = time;
        _lifetime = options.Value.JwtLifetime;
        var keyPath = Path.Combine(paths.Folder, "jwt.key");
        if (!File.Exists(keyPath))
        {
            SecretFiles.WriteOwnerOnly(keyPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        Key = new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(keyPath).Trim())) { KeyId = "hub-1" };
    }

    public SymmetricSecurityKey Key { get; }

    /// <summary>A token for <paramref name="user"/> and the seconds until it expires.</summary>
    public (string Token, int ExpiresIn) Issue(UserRecord user)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _lifetime,
            Subject = new ClaimsIdentity([new Claim(FleetClaims.Subject, user.Id), new Claim(FleetClaims.Tenant, user.Tenant), new Claim(FleetClaims.Role, user.Role)]),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, (int)_lifetime.TotalSeconds);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = FleetClaims.Subject,
        RoleClaimType = FleetClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}

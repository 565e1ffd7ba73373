using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Replicas;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>
/// Agent identity at the hub: single-use enrollment tokens (hash stored, tenant and labels attached),
/// enrollment from a CSR, renewal proved by the current certificate, and revocation that also ends a live
/// stream at once. Every outcome that changes state, or is refused for a known tenant, is audited.
/// </summary>
internal sealed class EnrollmentService(
    HubCertificateAuthority ca,
    IFleetStore store,
    IAgentSessions sessions,
    ReplicaHints hints,
    AuditLog audit,
    IOptions<FleetOptions> options,
    TimeProvider time)
{
    /// <summary>Makes a token for the caller's tenant; returns the secret (shown once) and its record.</summary>
    public async Task<(string Token, EnrollmentTokenRecord Record)> CreateTokenAsync(
        System.Security.Claims.ClaimsPrincipal caller, IReadOnlyList<string> labels, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > options.Value.MaxEnrollmentTokenLifetime)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid enrollment token", $"'lifetimeSeconds' must be between 1 and {options.Value.MaxEnrollmentTokenLifetime.TotalSeconds:0}");
        }

        var token = Secrets.New(Secrets.EnrollmentTokenPrefix);
        var hash = Secrets.Hash(token);
        var record = new EnrollmentTokenRecord(hash, Secrets.PublicId(hash), FleetClaims.TenantOf(caller)!, labels, time.GetUtcNow() + lifetime, null, FleetClaims.ActorOf(caller));
        await store.AddEnrollmentTokenAsync(record, cancellationToken);
        await audit.RecordAsync(caller, "enrollment-token.create", record.Id, AuditLog.Ok, null, cancellationToken);
        return (token, record);
    }

    /// <summary>Checks the token, signs the CSR for <paramref name="agentId"/> and registers the agent in the token's tenant.</summary>
    public async Task<EnrollmentResult> EnrollAsync(string token, string agentId, string csrPem, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = Secrets.Hash(token);
        var record = await store.GetEnrollmentTokenAsync(hash, cancellationToken)
            ?? throw Refused(StatusCodes.Status401Unauthorized, "the enrollment token is not known to this hub");
        var actor = "token:" + record.Id;
        if (record.UsedAt is { } usedAt)
        {
            throw await RefuseAsync(actor, record.Tenant, agentId, StatusCodes.Status401Unauthorized, $"the enrollment token was already used at {usedAt:O}; tokens are single-use", cancellationToken);
        }

        if (now >= record.ExpiresAt)
        {
            throw await RefuseAsync(actor, record.Tenant, agentId, StatusCodes.Status401Unauthorized, $"the enrollment token expired at {record.ExpiresAt:O}", cancellationToken);
        }

        if (!NameRules.IsValidAgentId(agentId))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Enrollment refused", $"'agentId' '{NameRules.Excerpt(agentId)}' is not a valid agent id ({NameRules.NameRuleText})");
        }

        var csr = LoadCsr(csrPem);
        if (await store.GetAgentAsync(agentId, cancellationToken) is { RevokedAt: null })
        {
            throw await RefuseAsync(actor, record.Tenant, agentId, StatusCodes.Status409Conflict, $"agent '{agentId}' is enrolled already; revoke it first to enroll it again", cancellationToken);
        }

        // Consume the token before anything is issued: of two concurrent uses, exactly one passes here.
        if (!await store.MarkEnrollmentTokenUsedAsync(hash, now, cancellationToken))
        {
            throw await RefuseAsync(actor, record.Tenant, agentId, StatusCodes.Status401Unauthorized, "the enrollment token was already used; tokens are single-use", cancellationToken);
        }

        using var certificate = ca.IssueAgentCertificate(csr, agentId, now, options.Value.CertificateLifetime);
        var agent = new FleetAgentRecord(agentId, record.Tenant, record.Labels, [], AgentCertificateCheck.Serial(certificate), certificate.Thumbprint, certificate.NotAfter.ToUniversalTime(), now, null);
        if (!await store.EnrollAgentAsync(agent, cancellationToken))
        {
            throw await RefuseAsync(actor, record.Tenant, agentId, StatusCodes.Status409Conflict, $"agent '{agentId}' is enrolled already", cancellationToken);
        }

        await audit.RecordAsync(actor, record.Tenant, "agent.enroll", agentId, AuditLog.Ok, $"certificate {agent.CertificateSerial}", cancellationToken);
        return Result(agent, certificate);
    }

    /// <summary>
    /// Issues a new certificate to an agent that proves its current identity: its current certificate
    /// (from this CA, valid, not revoked) and an ECDSA signature by that certificate's key over the new CSR.
    /// </summary>
    public async Task<EnrollmentResult> RenewAsync(string certificatePem, string csrPem, string signatureBase64, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        X509Certificate2 current;
        try
        {
            current = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException error)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Renewal refused", $"'certificate' is not a PEM certificate: {error.Message}");
        }

        using (current)
        {
            var agentId = AgentCertificateCheck.Verify(ca, current, now, out var reason)
                ?? throw Refused(StatusCodes.Status401Unauthorized, reason!);
            var agent = await store.GetAgentAsync(agentId, cancellationToken);
            if (agent is null || agent.RevokedAt is not null || !await store.IsCertificateOfAsync(agentId, AgentCertificateCheck.Serial(current), cancellationToken))
            {
                throw await RefuseAsync("agent:" + agentId, agent?.Tenant ?? FleetOptions.RootTenant, agentId, StatusCodes.Status401Unauthorized,
                    $"agent '{agentId}' is revoked, unknown, or this certificate is not its own", cancellationToken);
            }

            var csr = LoadCsr(csrPem);
            if (!VerifyProof(current, csrPem, signatureBase64))
            {
                throw await RefuseAsync("agent:" + agentId, agent.Tenant, agentId, StatusCodes.Status401Unauthorized, "'signature' is not the current certificate key's signature over the CSR", cancellationToken);
            }

            using var renewed = ca.IssueAgentCertificate(csr, agentId, now, options.Value.CertificateLifetime);
            var serial = AgentCertificateCheck.Serial(renewed);
            await store.AddCertificateAsync(agentId, serial, renewed.Thumbprint, renewed.NotAfter.ToUniversalTime(), cancellationToken);
            await audit.RecordAsync("agent:" + agentId, agent.Tenant, "agent.renew", agentId, AuditLog.Ok, $"certificate {serial} replaces {AgentCertificateCheck.Serial(current)}", cancellationToken);
            return Result(agent, renewed);
        }
    }

    /// <summary>Revokes an agent of the caller's tenant and ends its open stream; false when it is not one of the tenant's agents.</summary>
    public async Task<bool> RevokeAsync(System.Security.Claims.ClaimsPrincipal caller, string agentId, CancellationToken cancellationToken)
    {
        var agent = await store.GetAgentAsync(agentId, cancellationToken);
        if (agent is null || !string.Equals(agent.Tenant, FleetClaims.TenantOf(caller), StringComparison.Ordinal))
        {
            return false;
        }

        var changed = await store.RevokeAgentAsync(agentId, time.GetUtcNow(), cancellationToken);
        if (!sessions.Disconnect(agentId, $"agent '{agentId}' was revoked"))
        {
            // Its stream may be open on another replica, which closes it on this hint (after reading the store).
            await hints.RevokedAsync(agentId, cancellationToken);
        }

        await audit.RecordAsync(caller, "agent.revoke", agentId, AuditLog.Ok, changed ? null : "already revoked", cancellationToken);
        return true;
    }

    /// <summary>The proof of a renewal: ECDSA (SHA-256) over the CSR's PEM text, by the current certificate's key.</summary>
    internal static bool VerifyProof(X509Certificate2 current, string csrPem, string signatureBase64)
    {
        using var key = current.GetECDsaPublicKey();
        if (key is null)
        {
            return false;
        }

        try
        {
            return key.VerifyData(System.Text.Encoding.UTF8.GetBytes(csrPem), Convert.FromBase64String(signatureBase64), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static CertificateRequest LoadCsr(string csrPem)
    {
        CertificateRequest csr;
        try
        {
            // Loading checks the CSR's self-signature: the requester holds the private key.
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid CSR", $"'csr' is not a valid PEM certificate signing request: {error.Message}");
        }

        using var key = csr.PublicKey.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid CSR", "'csr' must carry an ECDSA P-256 public key");
        }

        return csr;
    }

    private EnrollmentResult Result(FleetAgentRecord agent, X509Certificate2 certificate) => new(
        agent.AgentId, agent.Tenant, agent.Labels, certificate.ExportCertificatePem(), ca.CertificatePem,
        certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static FleetRequestException Refused(int status, string reason) => new(status, "Enrollment refused", reason);

    private async Task<FleetRequestException> RefuseAsync(string actor, string tenant, string agentId, int status, string reason, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(actor, tenant, "agent.enroll", agentId, AuditLog.Refused, reason, cancellationToken);
        return Refused(status, reason);
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace EdgeCloud.Edge.Sync.Identity;

/// <summary>
/// The agent's side of enrollment and renewal against the hub's REST API: makes an ECDSA P-256 key pair and
/// a CSR naming the agent, sends it, and returns the issued certificate joined with its key. The private key
/// never leaves the agent.
/// </summary>
public static class EnrollmentClient
{
    /// <summary>Enrolls <paramref name="agentId"/> with a single-use <paramref name="token"/> and stores the identity.</summary>
    /// <exception cref="EnrollmentException">The hub refused (its reason is the message) or could not be reached.</exception>
    public static async Task<EnrollmentOutcome> EnrollAsync(HttpClient http, Uri hubApi, string token, string agentId, AgentIdentityFiles files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(files);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = CreateCsr(agentId, key);
        var answer = await PostAsync(http, new Uri(hubApi, "/api/v1/enroll"), new { token, agentId, csr }, cancellationToken);
        return Store(answer, key, files, hubApi);
    }

    /// <summary>Renews the certificate of an enrolled agent, proving its identity with the current certificate's key.</summary>
    /// <exception cref="EnrollmentException">The hub refused or could not be reached.</exception>
    public static async Task<EnrollmentOutcome> RenewAsync(HttpClient http, Uri hubApi, X509Certificate2 current, AgentIdentityFiles files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(current);
        using var currentKey = current.GetECDsaPrivateKey() ?? throw new EnrollmentException("the current certificate has no ECDSA private key");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var agentId = current.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var csr = CreateCsr(agentId, key);
        var signature = Convert.ToBase64String(currentKey.SignData(Encoding.UTF8.GetBytes(csr), HashAlgorithmName.SHA256));
        var answer = await PostAsync(http, new Uri(hubApi, "/api/v1/enroll/renew"), new { certificate = current.ExportCertificatePem(), csr, signature }, cancellationToken);
        return Store(answer, key, files, null);
    }

    private static string CreateCsr(string agentId, ECDsa key) =>
        new CertificateRequest($"CN={agentId}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

    private static async Task<JsonElement> PostAsync(HttpClient http, Uri address, object body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(address, body, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw new EnrollmentException($"cannot reach the hub at {address}: {error.Message}", error);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new EnrollmentException($"the hub refused ({(int)response.StatusCode}): {Detail(text)}");
            }

            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }

    private static EnrollmentOutcome Store(JsonElement answer, ECDsa key, AgentIdentityFiles files, Uri? hubApi)
    {
        var certificatePem = answer.GetProperty("certificate").GetString()!;
        var caPem = answer.GetProperty("caCertificate").GetString()!;
        var tenant = answer.GetProperty("tenant").GetString()!;
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var credential = certificate.CopyWithPrivateKey(key);
        files.Save(credential, key, caPem, hubApi, tenant);
        return new EnrollmentOutcome(credential, X509Certificate2.CreateFromPem(caPem), tenant);
    }

    private static string Detail(string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? problem : problem;
        }
        catch (JsonException)
        {
            return problem.Length > 300 ? problem[..300] : problem;
        }
    }
}

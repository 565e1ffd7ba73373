using EdgeCloud.Edge.OpcUa.Security;

namespace EdgeCloud.Edge.OpcUa.Commissioning;

/// <summary>
/// <c>edge-agent opcua trust</c>: lists the trusted and pending server certificates, or approves
/// a pending one by thumbprint (the refusal message of a connection names it).
/// </summary>
internal static class UaTrustTool
{
    public static async Task<int> RunAsync(string pkiFolder, string? thumbprint, TextWriter output, TextWriter error, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var store = new UaCertificateStore(pkiFolder, "urn:edgecloud:edge-agent", time);
        if (thumbprint is null)
        {
            foreach (var (title, pending) in new[] { ("trusted", false), ("pending (refused until trusted)", true) })
            {
                await output.WriteLineAsync($"{title}:").ConfigureAwait(false);
                foreach (var certificate in store.List(pending))
                {
                    using (certificate)
                    {
                        await output.WriteLineAsync($"  {certificate.Thumbprint}  {certificate.Subject}  valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}").ConfigureAwait(false);
                    }
                }
            }

            return 0;
        }

        if (!store.Trust(thumbprint))
        {
            await error.WriteLineAsync($"error: no pending certificate {thumbprint} in {store.PendingFolder} (see 'edge-agent opcua trust --list')").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"trusted {thumbprint.ToUpperInvariant()}; the agent uses it on its next connection attempt").ConfigureAwait(false);
        return 0;
    }
}

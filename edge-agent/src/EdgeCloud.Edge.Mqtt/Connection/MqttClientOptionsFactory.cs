using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.Configuration;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeCloud.Edge.Mqtt.Connection;

/// <summary>Turns an <see cref="MqttConnectionConfig"/> into MQTTnet client options (MQTT 5).</summary>
internal static class MqttClientOptionsFactory
{
    public static MqttClientOptions Create(MqttConnectionConfig config)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(config.Host, config.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(config.ClientId)
            .WithKeepAlivePeriod(config.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithCleanStart(config.CleanSession);

        // MQTT 5 (3.1.2.11.2): with a session expiry of 0 the broker drops the session at
        // disconnect even without a clean start, so a persistent session needs a non-zero expiry.
        if (!config.CleanSession)
        {
            builder.WithSessionExpiryInterval((uint)config.SessionExpiry.TotalSeconds);
        }

        if (config.Username is not null)
        {
            builder.WithCredentials(config.Username, config.Password ?? "");
        }

        if (config.Tls is { } tls)
        {
            var trusted = tls.CaFile is null ? null : LoadCa(tls.CaFile);
            builder.WithTlsOptions(o => o
                .UseTls()
                .WithTargetHost(config.Host)
                .WithCertificateValidationHandler(e => Validate(e.Certificate, e.SslPolicyErrors, tls.AllowUntrusted, trusted)));
        }

        return builder.Build();
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }

    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, bool allowUntrusted, X509Certificate2Collection? trusted)
    {
        if (allowUntrusted)
        {
            return true;
        }

        if (trusted is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        // A name mismatch is never excused by a private CA; only the chain is checked against it.
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}

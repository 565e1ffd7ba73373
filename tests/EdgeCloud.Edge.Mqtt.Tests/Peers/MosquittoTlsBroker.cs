using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Edge.Mqtt.Tests.Peers;

/// <summary>
/// mosquitto with a TLS listener (a server certificate for 127.0.0.1 signed by a throw-away CA
/// made here) and a password file (made with mosquitto_passwd): user <see cref="User"/>,
/// password <see cref="Password"/>, no anonymous access.
/// </summary>
public sealed class MosquittoTlsBroker : MosquittoBroker
{
    public const string User = "agent";
    public const string Password = "s3cret-pass";

    public string CaFile => Path.Combine(Folder, "ca.crt");

    protected override async Task<string> ConfigureAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EdgeCloud test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, 4]);

        await File.WriteAllTextAsync(CaFile, ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(Folder, "server.crt"), server.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(Folder, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        var passwords = Path.Combine(Folder, "passwords");
        using (var passwd = Process.Start("/usr/bin/mosquitto_passwd", ["-c", "-b", passwords, User, Password])!)
        {
            await passwd.WaitForExitAsync();
        }

        return $"""
            listener {Port} 127.0.0.1
            cafile {CaFile}
            certfile {Path.Combine(Folder, "server.crt")}
            keyfile {Path.Combine(Folder, "server.key")}
            allow_anonymous false
            password_file {passwords}
            # Started as root, mosquitto would drop to user 'mosquitto' before reading the files of
            # this private (0700) folder; stay the user that started it.
            user {Environment.UserName}
            persistence false
            """;
    }
}

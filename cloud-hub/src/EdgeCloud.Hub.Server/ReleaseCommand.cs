using System.Security.Cryptography;
using EdgeCloud.Hub.Fleet.Rollouts;

namespace EdgeCloud.Hub.Server;

/// <summary>
/// <c>cloud-hub release keygen --out key.pem</c> makes a release key pair (private key PKCS#8 PEM, owner-only;
/// public key beside it as <c>key.pem.pub</c>, the PEM to register with the hub) and prints the key id;
/// <c>cloud-hub release sign --key key.pem --kind K --name N --version V FILE</c> prints the base64 signature
/// of FILE's release statement (docs/rollouts.md). Runs without starting a hub.
/// </summary>
public static class ReleaseCommand
{
    private const string Usage = """
        usage: cloud-hub release keygen --out key.pem
               cloud-hub release sign --key key.pem --kind agent|firmware|model --name NAME --version VERSION FILE
        """;

    /// <summary>Runs the verb in <paramref name="args"/> (the words after <c>release</c>); returns the exit code (2: bad usage, 1: failed).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var (options, files) = Parse(args.Skip(1));
            return (args.Count > 0 ? args[0] : null) switch
            {
                "keygen" when files.Count == 0 => Keygen(Required(options, "out"), output),
                "sign" when files.Count == 1 => Sign(options, files[0], output),
                _ => Fail(error, Usage, 2),
            };
        }
        catch (Exception failure) when (failure is ArgumentException or IOException or UnauthorizedAccessException or FormatException or CryptographicException)
        {
            return Fail(error, $"cloud-hub release: {failure.Message}", failure is ArgumentException ? 2 : 1);
        }
    }

    private static int Keygen(string path, TextWriter output)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new StreamWriter(file);
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(path + ".pub", ReleaseSignature.PublicPem(key));
        output.WriteLine($"private key: {path} (keep it off the hub)");
        output.WriteLine($"public key:  {path}.pub (register it: POST /api/v1/release-keys)");
        output.WriteLine($"key id:      {ReleaseSignature.KeyId(key)}");
        return 0;
    }

    private static int Sign(Dictionary<string, string> options, string path, TextWriter output)
    {
        var kind = Required(options, "kind");
        var name = Required(options, "name");
        var version = Required(options, "version");
        if (!ReleaseSignature.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            throw new ArgumentException($"--kind must be one of {string.Join(", ", ReleaseSignature.Kinds)}, not '{kind}'");
        }

        if (ArtifactVersion.TryParse(version) is null)
        {
            throw new ArgumentException($"--version '{version}' is not a version (dotted numbers like 1.2.3, optional -suffix)");
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Required(options, "key")));
        long size;
        byte[] hash;
        using (var file = File.OpenRead(path))
        {
            size = file.Length;
            hash = SHA256.HashData(file);
        }

        var statement = ReleaseSignature.Statement(kind, name, version, size, Convert.ToHexStringLower(hash));
        output.WriteLine(Convert.ToBase64String(ReleaseSignature.Sign(key, statement)));
        return 0;
    }

    private static (Dictionary<string, string> Options, List<string> Files) Parse(IEnumerable<string> words)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string>();
        using var e = words.GetEnumerator();
        while (e.MoveNext())
        {
            if (e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                var name = e.Current[2..];
                options[name] = e.MoveNext() ? e.Current : throw new ArgumentException($"--{name} needs a value");
            }
            else
            {
                files.Add(e.Current);
            }
        }

        return (options, files);
    }

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException($"--{name} is required");

    private static int Fail(TextWriter error, string message, int code)
    {
        error.WriteLine(message);
        return code;
    }
}

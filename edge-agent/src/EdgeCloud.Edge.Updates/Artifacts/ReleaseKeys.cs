using System.Security.Cryptography;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Updates.Artifacts;

/// <summary>
/// The release public keys from the agent's own config (<c>updates.releaseKeys</c>), by key id. The agent never
/// trusts a key the hub hands it: a hub that is taken over still cannot make an agent install what no release key signed.
/// </summary>
public sealed class ReleaseKeys : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    /// <summary>Reads every configured key (the config loader already checked each one).</summary>
    public ReleaseKeys(UpdatesConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var path in config.ReleaseKeys)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(path));
            _keys[ArtifactStatement.KeyId(key)] = key;
        }
    }

    /// <summary>Ids of the keys.</summary>
    public IReadOnlyCollection<string> Ids => _keys.Keys;

    /// <summary>The key with <paramref name="keyId"/>, when configured.</summary>
    public ECDsa? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>Every key.</summary>
    public IEnumerable<ECDsa> All => _keys.Values;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}

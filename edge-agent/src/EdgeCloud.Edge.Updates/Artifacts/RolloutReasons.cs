namespace EdgeCloud.Edge.Updates.Artifacts;

/// <summary>The machine-readable causes of a failed or rolled-back rollout (RolloutProgress.reason in sync.proto).</summary>
public static class RolloutReasons
{
    /// <summary>The artifact is not the declared size (or the server sent more).</summary>
    public const string SizeMismatch = "size_mismatch";

    /// <summary>The whole artifact's SHA-256 differs from the directive's.</summary>
    public const string HashMismatch = "hash_mismatch";

    /// <summary>A chunk's SHA-256 differs from the directive's.</summary>
    public const string ChunkHashMismatch = "chunk_hash_mismatch";

    /// <summary>The signature does not verify with the release key.</summary>
    public const string BadSignature = "bad_signature";

    /// <summary>No release key in the agent's config signed it.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>The version is older than the installed one and the campaign is no downgrade.</summary>
    public const string OlderVersion = "older_version";

    /// <summary>The download stalled or trickled below the minimum rate.</summary>
    public const string DownloadStalled = "download_stalled";

    /// <summary>The download failed otherwise (refused, link errors) after every attempt.</summary>
    public const string DownloadFailed = "download_failed";

    /// <summary>The installer failed (bad package, installer exit code, timeout).</summary>
    public const string InstallFailed = "install_failed";

    /// <summary>A new agent build did not reach the hub and move data within its health window.</summary>
    public const string HealthWindowExpired = "health_window_expired";

    /// <summary>A new agent build kept crashing: the launcher abandoned it.</summary>
    public const string CrashLoop = "crash_loop";

    /// <summary>The models component refused the model; the previous one runs.</summary>
    public const string ModelInvalid = "model_invalid";
}

/// <summary>A rollout step that refused the artifact; <see cref="Reason"/> is one of <see cref="RolloutReasons"/>.</summary>
public sealed class RolloutRefusedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public RolloutRefusedException(string reason, string message)
        : base(message) => Reason = reason;

    /// <summary>Creates the refusal with its cause.</summary>
    public RolloutRefusedException(string reason, string message, Exception innerException)
        : base(message, innerException) => Reason = reason;

    /// <summary>Creates an empty refusal.</summary>
    public RolloutRefusedException() => Reason = RolloutReasons.InstallFailed;

    /// <summary>Creates a refusal without a reason code.</summary>
    public RolloutRefusedException(string message)
        : base(message) => Reason = RolloutReasons.InstallFailed;

    /// <summary>Creates a refusal without a reason code, with its cause.</summary>
    public RolloutRefusedException(string message, Exception innerException)
        : base(message, innerException) => Reason = RolloutReasons.InstallFailed;

    /// <summary>The reason code.</summary>
    public string Reason { get; }
}

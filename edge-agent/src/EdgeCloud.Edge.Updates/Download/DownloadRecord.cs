using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Updates.Download;

/// <summary>
/// How much of <c>artifact.part</c> is verified: the first <see cref="Chunks"/> chunks were hashed, matched the
/// directive and were flushed to disk before this record said so. Written with <see cref="DurableFile"/> after
/// each chunk, so a kill -9 or a power loss resumes at the last verified chunk and never trusts unverified bytes.
/// </summary>
/// <param name="Artifact">The hub's artifact id.</param>
/// <param name="Sha256">The whole artifact's SHA-256 (a new artifact under the same id starts over).</param>
/// <param name="Size">Declared size.</param>
/// <param name="ChunkSize">Chunk size in bytes.</param>
/// <param name="Chunks">Chunks verified.</param>
internal sealed record DownloadRecord(string Artifact, string Sha256, ulong Size, uint ChunkSize, int Chunks)
{
    public const string FileName = "progress.json";

    public static DownloadRecord? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), DownloadJson.Default.DownloadRecord) : null;
        }
        catch (JsonException)
        {
            // DurableFile never leaves a torn record; an unreadable one was edited by hand: start over.
            return null;
        }
    }

    public void Write(string folder) =>
        DurableFile.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, DownloadJson.Default.DownloadRecord));
}

/// <summary>Source-generated JSON for <see cref="DownloadRecord"/> (a trimmed build keeps working).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DownloadRecord))]
internal sealed partial class DownloadJson : JsonSerializerContext;

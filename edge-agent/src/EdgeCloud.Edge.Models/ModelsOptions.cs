using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Edge.Models;

/// <summary>
/// Settings of the models component. <see cref="Directory"/> comes from the agent config
/// (<c>modelsDirectory</c>, default <c>models</c> under the data folder); the rest are defaults that
/// suit small models on a gateway.
/// </summary>
public sealed class ModelsOptions
{
    /// <summary>The watched folder holding <c>name.onnx</c> + <c>name.model.json</c> pairs. Created when missing.</summary>
    [Required]
    public string Directory { get; set; } = "";

    /// <summary>A full rescan of the folder this often, in case a file-system event was lost (default 5 s).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A changed model is loaded once its two files have stayed the same (size and time) this long (default 500 ms), so a half-written file is not loaded.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Input samples waiting for an on-change model, at most (default 4096); past that new samples are dropped and counted.</summary>
    [Range(1, 1 << 20)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Samples run in one call when the model's batch dimension is dynamic (default 32).</summary>
    [Range(1, 4096)]
    public int MaxBatch { get; set; } = 32;

    /// <summary>Threads ONNX Runtime uses inside one model run (default 1: a gateway's cores belong to the data path first).</summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;
}

using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Models.Loading;

/// <summary>A model was refused; <see cref="Errors"/> names every file and field that was wrong.</summary>
internal sealed class ModelLoadException : Exception
{
    public ModelLoadException(string model, IReadOnlyList<ConfigError> errors)
        : base($"model '{model}' refused: " + string.Join("; ", errors))
    {
        Model = model;
        Errors = errors;
    }

    public string Model { get; }

    public IReadOnlyList<ConfigError> Errors { get; }
}

namespace EdgeCloud.Edge.Updates.Install;

/// <summary>
/// What the models component made of the files now in the models folder under a name. Implemented by the agent
/// over its watched models folder; absent in the command-line installer (no models component runs there).
/// </summary>
public interface IModelLoadVerdicts
{
    /// <summary>Waits until the model's current files were loaded (true, null) or refused (false, the errors); (false, null) when <paramref name="timeout"/> passed first.</summary>
    Task<(bool Loaded, string? Errors)> WaitAsync(string name, TimeSpan timeout, CancellationToken cancellationToken);
}

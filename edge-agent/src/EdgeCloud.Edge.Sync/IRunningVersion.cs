namespace EdgeCloud.Edge.Sync;

/// <summary>
/// The version the agent announces in its Hello: the build that runs now. The update component fills it with the
/// running slot's version (the one its signed artifact declared), the same value its rollout reports carry as
/// <c>running_version</c>; without one registered it is this assembly's version.
/// </summary>
public interface IRunningVersion
{
    /// <summary>The running build's version.</summary>
    string Version { get; }
}

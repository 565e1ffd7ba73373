using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox.Store;

namespace EdgeCloud.Edge.Agent.Cli.Doctor;

/// <summary>The outbox's own state on disk, beyond the data folder's room.</summary>
internal sealed partial class AgentDoctor
{
    /// <summary>
    /// A warning while a damaged store recovery set aside is kept (no line otherwise): the data is
    /// whole (it was rebuilt from the journal), but something damaged the store, usually a power loss.
    /// </summary>
    private static CheckResult? CheckSetAsideStore(AgentConfig config)
    {
        var kept = SetAsideStore.Find(Path.Combine(config.DataDirectory, "outbox"));
        if (kept.Count == 0)
        {
            return null;
        }

        var newest = kept[0];
        var older = kept.Count > 1 ? $"; {kept.Count - 1} older ones go at the agent's next start" : "";
        return new CheckResult(
            CheckOutcome.Warn,
            "outbox store",
            $"{newest.Path} ({Mib(newest.Bytes)}) was set aside at {newest.SetAsideAt:yyyy-MM-dd HH:mm:ss} UTC: the store was found damaged (usually by a power loss; event 2005 in the agent log says why) "
            + $"and rebuilt from the outbox journal, nothing was lost. Check the gateway's power supply; delete the file once inspected, or leave it: it counts against outbox.maxBytes and the outbox deletes it first when it needs room{older}");
    }
}

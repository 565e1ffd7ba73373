using EdgeCloud.Edge.Metrics;
using EdgeCloud.Edge.Sync;

namespace EdgeCloud.Edge.Agent.Hosting.Rollouts;

/// <summary>
/// The AgentHealth counters, read from the instruments the pipeline, the Modbus sources and the model runner
/// already keep (summed over their labels): nothing on the hot path counts twice.
/// </summary>
internal sealed class MetricHealthCounters(PrometheusExporter exporter) : IAgentHealthCounters
{
    public ulong PointsProduced => Sum("edge_pipeline_points_published");

    public ulong PollErrors => Sum("edge_modbus_poll_errors");

    public ulong InferenceErrors => Sum("edge_model_run_failures");

    private ulong Sum(string instrument) => (ulong)Math.Max(0, exporter.Read(instrument).Sum(r => r.Value));
}

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

/// <summary>
/// Tests whose fakes must answer within a few tens of milliseconds of a deadline (a late reply
/// just after the master's timeout). They run alone, after the parallel tests, so that a busy
/// thread pool does not stretch "just after" into "much later", which no RTU master can survive.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTimingCollection
{
    public const string Name = "serial-timing";
}

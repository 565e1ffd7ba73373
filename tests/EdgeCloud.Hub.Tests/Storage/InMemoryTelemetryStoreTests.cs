using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.InMemory;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>The shared store behaviour over the in-memory twin.</summary>
public sealed class InMemoryTelemetryStoreTests : TelemetryStoreBehaviourTests
{
    private protected override ITelemetryStore CreateStore() => new InMemoryTelemetryStore();
}

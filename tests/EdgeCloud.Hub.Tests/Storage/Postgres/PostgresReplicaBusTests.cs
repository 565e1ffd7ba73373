using System.Collections.Concurrent;
using EdgeCloud.Hub.Storage.Replicas;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Hub.Tests.Storage.Postgres;

/// <summary>The replica bus over a real PostgreSQL: what one replica publishes, the others' subscribers receive.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresReplicaBusTests(PostgresServer server)
{
    [Fact]
    public async Task PublishAsync_OtherReplicaSubscribed_ReceivesOnlyItsTopic()
    {
        var database = server.CreateDatabase();
        try
        {
            using var a = new PostgresReplicaBus(database, NullLogger<PostgresReplicaBus>.Instance);
            using var b = new PostgresReplicaBus(database, NullLogger<PostgresReplicaBus>.Instance);
            await a.StartAsync(CancellationToken.None);
            await b.StartAsync(CancellationToken.None);
            await Task.WhenAll(a.Listening, b.Listening).WaitAsync(TimeSpan.FromSeconds(10));
            var received = new ConcurrentQueue<string>();
            using var subscription = b.Subscribe("commands", (payload, _) =>
            {
                received.Enqueue(payload);
                return ValueTask.CompletedTask;
            });

            await a.PublishAsync("other-topic", "ignored");
            await a.PublishAsync("commands", "agent-7\nrestart ✓");

            await Eventually.TrueAsync(() => Task.FromResult(!received.IsEmpty), "replica B received the command");
            Assert.Equal(["agent-7\nrestart ✓"], received);
            await a.StopAsync(CancellationToken.None);
            await b.StopAsync(CancellationToken.None);
        }
        finally
        {
            server.DropDatabase(database);
        }
    }

    [Fact]
    public async Task PublishAsync_PayloadTooLarge_RefusedBeforeSending()
    {
        using var bus = new PostgresReplicaBus(server.AdminConnectionString, NullLogger<PostgresReplicaBus>.Instance);

        await Assert.ThrowsAsync<ArgumentException>(async () => await bus.PublishAsync("commands", new string('x', IReplicaBus.MaxPayloadBytes)));
    }
}

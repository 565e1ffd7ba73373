using System.Collections.Concurrent;
using EdgeCloud.Hub.Storage.Replicas;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

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
    public async Task OnResumed_ListeningConnectionLost_CalledWhenListeningAgainAndMessagesFlowAgain()
    {
        var database = server.CreateDatabase();
        try
        {
            // The application name finds this bus's LISTEN connection among the server's backends.
            var name = "bus-" + Guid.NewGuid().ToString("N")[..8];
            var named = new NpgsqlConnectionStringBuilder(database) { ApplicationName = name }.ToString();
            using var bus = new PostgresReplicaBus(named, NullLogger<PostgresReplicaBus>.Instance, TimeSpan.FromMilliseconds(200));
            var resumed = 0;
            var received = new ConcurrentQueue<string>();
            using var onResumed = bus.OnResumed(_ =>
            {
                Interlocked.Increment(ref resumed);
                return ValueTask.CompletedTask;
            });
            using var subscription = bus.Subscribe("commands", (payload, _) =>
            {
                received.Enqueue(payload);
                return ValueTask.CompletedTask;
            });
            await bus.StartAsync(CancellationToken.None);
            await bus.Listening.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(1, await TerminateListenerAsync(name));
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref resumed) == 1), "the bus to listen again and call its resume handler");
            await bus.PublishAsync("commands", "after the gap");

            await Eventually.TrueAsync(() => Task.FromResult(!received.IsEmpty), "a message published after the gap to arrive");
            Assert.Equal((1, "after the gap"), (Volatile.Read(ref resumed), received.Single()));
            await bus.StopAsync(CancellationToken.None);
        }
        finally
        {
            server.DropDatabase(database);
        }
    }

    [Fact]
    public async Task OnResumed_HandlersFellBehindAndMessagesWereDropped_CountedAndCalledOnce()
    {
        var database = server.CreateDatabase();
        try
        {
            using var bus = new PostgresReplicaBus(database, NullLogger<PostgresReplicaBus>.Instance);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resumed = 0;
            using var onResumed = bus.OnResumed(_ =>
            {
                Interlocked.Increment(ref resumed);
                return ValueTask.CompletedTask;
            });
            using var slow = bus.Subscribe("slow", async (_, _) => await release.Task);
            await bus.StartAsync(CancellationToken.None);
            await bus.Listening.WaitAsync(TimeSpan.FromSeconds(10));

            // The first message holds the handler; the queue then overflows by 20.
            for (var i = 0; i <= PostgresReplicaBus.QueueCapacity + 20; i++)
            {
                await bus.PublishAsync("slow", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await Eventually.TrueAsync(() => Task.FromResult(bus.Dropped >= 20), "the overflow to be counted");
            Assert.Equal(0, Volatile.Read(ref resumed));
            release.SetResult();

            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref resumed) == 1), "the resume handlers to run once the handlers caught up");
            await bus.StopAsync(CancellationToken.None);
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

    /// <summary>Ends the LISTEN connection of the bus named <paramref name="applicationName"/>, as a network failure or a server restart would.</summary>
    private async Task<int> TerminateListenerAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

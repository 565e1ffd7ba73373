using EdgeCloud.Edge.Agent.Alarms;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Commands;

/// <summary>Registers the commands the hub may send: write-tag, restart, diagnostics, alarm.ack, alarm.shelve.</summary>
internal static class HubCommandsExtensions
{
    public static IHostApplicationBuilder AddHubCommands(this IHostApplicationBuilder builder)
    {
        builder.Services.AddClockStatus();
        builder.Services.AddSingleton<IHubCommandHandler, WriteTagCommandHandler>();
        builder.Services.AddSingleton<IHubCommandHandler, RestartCommandHandler>();
        builder.Services.AddSingleton<IHubCommandHandler, DiagnosticsCommandHandler>();
        // The rule engine lives in the swappable site runtime: AlarmOperations acts on the site in force.
        builder.Services.AddSingleton<AlarmOperations>();
        builder.Services.AddSingleton<IHubCommandHandler, AlarmAckCommandHandler>();
        builder.Services.AddSingleton<IHubCommandHandler, AlarmShelveCommandHandler>();
        return builder;
    }
}

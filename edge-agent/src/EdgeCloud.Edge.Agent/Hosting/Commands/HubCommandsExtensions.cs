using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Commands;

/// <summary>Registers the commands the hub may send: write-tag, restart, diagnostics.</summary>
internal static class HubCommandsExtensions
{
    public static IHostApplicationBuilder AddHubCommands(this IHostApplicationBuilder builder)
    {
        builder.Services.AddClockStatus();
        builder.Services.AddSingleton<IHubCommandHandler, WriteTagCommandHandler>();
        builder.Services.AddSingleton<IHubCommandHandler, RestartCommandHandler>();
        builder.Services.AddSingleton<IHubCommandHandler, DiagnosticsCommandHandler>();
        return builder;
    }
}

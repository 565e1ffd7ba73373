using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Broker;
using EdgeCloud.Edge.Mqtt.Northbound;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Mqtt;

/// <summary>Registers MQTT with a host: the hosted broker, the southbound sources and the northbound routes.</summary>
public static class MqttHostingExtensions
{
    /// <summary>
    /// Adds the agent's broker (when <c>mqtt.broker</c> is configured), the MQTT device sources and
    /// the northbound publish stage with its publisher, which is also the <see cref="IMqttOutbound"/>
    /// that alarm events and rule actions publish through. Needs a <see cref="SiteConfig"/> and an
    /// <see cref="IPointSink"/> in the container; the agent id for topic templates comes from
    /// <see cref="AgentConfig"/> when one is registered. Each part does nothing when not configured.
    /// Hosted services stop in reverse order: sources and publisher stop before the broker.
    /// </summary>
    public static IHostApplicationBuilder AddMqtt(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<MqttMetrics>();
        services.AddHostedService<MqttBrokerService>();
        services.AddSingleton(sp => new MqttPublishStage(sp.GetRequiredService<SiteConfig>().Mqtt?.Publish, sp.GetRequiredService<MqttMetrics>()));
        services.AddSingleton<IPointStage>(sp => sp.GetRequiredService<MqttPublishStage>());
        services.AddSingleton<IMqttOutbound>(sp => sp.GetRequiredService<MqttPublishStage>());
        services.AddHostedService(sp => new MqttPublisherService(
            sp.GetRequiredService<MqttPublishStage>(),
            sp.GetService<AgentConfig>()?.AgentId ?? "edge-agent",
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<MqttMetrics>(),
            sp.GetRequiredService<ILogger<MqttPublisherService>>()));
        services.AddHostedService<MqttSourceService>();
        return builder;
    }
}

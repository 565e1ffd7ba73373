using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Rules.Actions;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Edge.Rules.Engine;
using EdgeCloud.Edge.Rules.Northbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Hosting;

/// <summary>Registers rules, alarms and rule actions.</summary>
public static class RulesHostingExtensions
{
    /// <summary>Folder under the agent's data folder that holds the alarm journal.</summary>
    public const string DataFolder = "rules";

    /// <summary>
    /// Adds the rules stage (an <see cref="IPointStage"/>), the alarm journal, the stale/shelving
    /// timer and the device-write loop, plus <see cref="IAlarmService"/> and <see cref="IAlarmEvents"/>
    /// for other components, and <see cref="IModelRules"/> for the alarms of model outputs. Call after <c>AddOutbox</c> (alarm events go into the outbox and must
    /// be flushed before it closes) and after any stage whose outputs rules should read (models):
    /// stages run in registration order. Device writes use every registered <c>ITagWriter</c>.
    /// </summary>
    public static IHostApplicationBuilder AddRules(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMetrics();
        services.AddSingleton(sp => new AlarmJournalFile(
            Path.Combine(sp.GetRequiredService<AgentConfig>().DataDirectory, DataFolder),
            sp.GetRequiredService<ILogger<AlarmJournalFile>>()));
        services.AddSingleton(sp => new AlarmManager(
            sp.GetRequiredService<AlarmJournalFile>().Load(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<ILogger<AlarmManager>>()));
        services.AddSingleton<IAlarmService>(sp => sp.GetRequiredService<AlarmManager>());
        services.AddSingleton<IAlarmEvents>(sp => sp.GetRequiredService<AlarmManager>());
        services.AddSingleton<TagWriteQueue>();
        services.AddSingleton(sp => RulesOf(sp));
        services.AddSingleton(sp => new RuleMqttPublisher(sp.GetRequiredService<AgentConfig>().AgentId, sp.GetService<IMqttOutbound>()));
        services.AddSingleton<RuleActionRunner>();
        services.AddSingleton<IRuleOutcomes>(sp => sp.GetRequiredService<RuleActionRunner>());
        services.AddSingleton(CreateEngine);
        services.AddSingleton<ModelRuleSets>();
        services.AddSingleton<IModelRules>(sp => sp.GetRequiredService<ModelRuleSets>());
        services.AddSingleton<IPointStage, RulesStage>();
        services.AddHostedService<AlarmJournalService>();
        services.AddHostedService<RulesTimerService>();
        services.AddHostedService<TagWriteService>();
        AddAlarmPublishing(services);
        return builder;
    }

    /// <summary>
    /// Alarm events to MQTT when the site has <c>mqtt.publish.alarms</c> routes; the publisher
    /// (<see cref="IMqttOutbound"/>) comes from <c>AddMqtt</c>.
    /// </summary>
    private static void AddAlarmPublishing(IServiceCollection services) =>
        services.AddHostedService(sp => new AlarmMqttForwarder(
            sp.GetRequiredService<IAlarmEvents>(),
            sp.GetService<IMqttOutbound>(),
            sp.GetRequiredService<AgentConfig>().Site.Mqtt?.Publish?.AlarmRoutes ?? [],
            sp.GetRequiredService<AgentConfig>().AgentId,
            sp.GetRequiredService<ILogger<AlarmMqttForwarder>>()));

    private static RulesConfig RulesOf(IServiceProvider services) =>
        services.GetRequiredService<AgentConfig>().Site.Rules ?? new RulesConfig(RulesConfig.DefaultDerivedDevice, [], []);

    /// <summary>
    /// The engine, with the alarms of the last run joined up: a rule whose alarm is still active
    /// starts active (so it clears that alarm rather than raising a second one), and an active
    /// alarm whose rule is gone from the config is cleared, saying why.
    /// </summary>
    private static RuleEngine CreateEngine(IServiceProvider services)
    {
        var alarms = services.GetRequiredService<AlarmManager>();
        var time = services.GetRequiredService<TimeProvider>();
        var engine = new RuleEngine(
            services.GetRequiredService<RulesConfig>(),
            time,
            services.GetRequiredService<IRuleOutcomes>(),
            services.GetRequiredService<IMeterFactory>(),
            services.GetRequiredService<ILogger<RuleEngine>>());
        engine.RestoreActive(alarms.IsConditionActive);
        var configured = engine.Rules.Select(r => (r.Config.Name, r.AlarmTag)).ToHashSet();
        // A model's alarms are left to the model's own rules, installed when the model loads.
        foreach (var alarm in alarms.GetAlarms().Where(a => !configured.Contains((a.Rule, a.Tag)) && !a.Rule.StartsWith(RuleConfig.ModelRulePrefix, StringComparison.Ordinal)))
        {
            alarms.Clear(alarm.Rule, alarm.Tag, $"rule {alarm.Rule} on {alarm.Tag} is no longer configured", double.NaN, time.GetUtcNow());
        }

        return engine;
    }
}

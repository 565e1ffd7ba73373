using System.Net;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The MQTT part of <see cref="ConfigLoader"/> shared by devices and the site's <c>mqtt</c> section (hosted broker, northbound routes).</summary>
public static partial class ConfigLoader
{
    private static readonly string[] MqttTemplateFields = ["agent", "device", "tag"];

    /// <summary>Fields of alarm and rule-action topics: the point fields plus the rule's name.</summary>
    private static readonly string[] MqttRuleTemplateFields = ["agent", "rule", "device", "tag"];

    private static MqttSiteConfig? ReadMqttSection(JsonObjectReader site)
    {
        var section = Child(site, "mqtt", required: false);
        if (section is null || !section.IsObject)
        {
            return null;
        }

        MqttBrokerConfig? broker = null;
        if (Child(section, "broker", required: false) is { IsObject: true } b)
        {
            var bind = b.String("bindAddress", required: false, fallback: "127.0.0.1")!;
            if (!IPAddress.TryParse(bind, out _))
            {
                b.Error(b.At("bindAddress"), $"'{bind}' is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
            }

            broker = new MqttBrokerConfig(bind, (int)b.Integer("port", 1, 65535, 1883));
            b.RejectUnknown();
        }

        MqttPublishConfig? publish = null;
        if (Child(section, "publish", required: false) is { IsObject: true } p)
        {
            // With a hosted broker the routes publish to it unless told otherwise.
            var connection = ReadMqttConnection(p, broker is null ? null : "127.0.0.1", broker?.Port ?? 1883, persistentByDefault: false);
            var capacity = (int)p.Integer("queueCapacity", 16, 1_000_000, 10_000);
            var routes = new List<MqttRouteConfig>();
            var alarmRoutes = ReadMqttAlarmRoutes(p);
            foreach (var route in MqttArray(p, "routes", required: alarmRoutes.Count == 0))
            {
                var filter = route.String("tags", required: true) ?? "";
                if (filter.Length > 0 && filter.Count(c => c == '/') != 1)
                {
                    route.Error(route.At("tags"), $"'{filter}' is not a tag filter: write device/tag, each a glob ('*/*' for every tag, 'line1/temp*')");
                }

                var topic = route.String("topic", required: true) ?? "";
                if (topic.Length > 0 && MqttTemplateProblem(topic, MqttTemplateFields) is { } problem)
                {
                    route.Error(route.At("topic"), $"'{topic}' is not a topic template: {problem}");
                }

                routes.Add(new MqttRouteConfig(filter, topic, (int)route.Integer("qos", 0, 1, 0), MqttBool(route, "retain", false)));
                route.RejectUnknown();
            }

            publish = new MqttPublishConfig(connection, capacity, routes) { AlarmRoutes = alarmRoutes };
            p.RejectUnknown();
        }

        section.RejectUnknown();
        return new MqttSiteConfig(broker, publish);
    }

    /// <summary><c>mqtt.publish.alarms</c>: which alarms' events go where.</summary>
    private static List<MqttAlarmRouteConfig> ReadMqttAlarmRoutes(JsonObjectReader publish)
    {
        var routes = new List<MqttAlarmRouteConfig>();
        foreach (var route in MqttArray(publish, "alarms", required: false))
        {
            var rules = route.String("rules", required: false, fallback: "*")!;
            var topic = route.String("topic", required: true) ?? "";
            if (topic.Length > 0 && MqttTemplateProblem(topic, MqttRuleTemplateFields) is { } problem)
            {
                route.Error(route.At("topic"), $"'{topic}' is not a topic template: {problem}");
            }

            var severity = (int)route.Integer("minSeverity", 1, 1000, 1);
            routes.Add(new MqttAlarmRouteConfig(rules, severity, topic, (int)route.Integer("qos", 0, 1, 1), MqttBool(route, "retain", false)));
            route.RejectUnknown();
        }

        return routes;
    }

    /// <summary>Why a topic template cannot be published to, or null: no wildcards, only <paramref name="fields"/> in braces.</summary>
    private static string? MqttTemplateProblem(string template, string[] fields)
    {
        if (template.IndexOfAny(['+', '#']) >= 0)
        {
            return "a published topic cannot hold '+' or '#'";
        }

        var at = 0;
        while ((at = template.IndexOf('{', at)) >= 0)
        {
            var end = template.IndexOf('}', at);
            if (end < 0)
            {
                return "a '{' is not closed";
            }

            var field = template[(at + 1)..end];
            if (Array.IndexOf(fields, field) < 0)
            {
                return $"unknown field '{{{field}}}' (known: {string.Join(", ", fields.Select(f => "{" + f + "}"))})";
            }

            at = end + 1;
        }

        return null;
    }

    private static MqttConnectionConfig ReadMqttConnection(JsonObjectReader reader, string? hostFallback, int portFallback, bool persistentByDefault)
    {
        var host = hostFallback is null ? ReadHost(reader) : reader.String("host", required: false, fallback: hostFallback)!;
        MqttTlsConfig? tls = null;
        if (Child(reader, "tls", required: false) is { IsObject: true } t)
        {
            tls = new MqttTlsConfig(t.String("caFile", required: false), MqttBool(t, "allowUntrusted", false));
            t.RejectUnknown();
        }

        var port = (int)reader.Integer("port", 1, 65535, tls is null ? portFallback : 8883);
        var clientId = reader.String("clientId", required: persistentByDefault, fallback: "edge-agent-publisher") ?? "";
        if (clientId.Length > 0 && (clientId.Length > 128 || clientId.Any(char.IsControl)))
        {
            reader.Error(reader.At("clientId"), "must be at most 128 printable characters");
        }

        var username = reader.String("username", required: false);
        var password = reader.String("password", required: false);
        if (password is not null && username is null)
        {
            reader.Error(reader.At("password"), "a password needs a 'username'");
        }

        var clean = MqttBool(reader, "cleanSession", !persistentByDefault);
        var expiry = TimeSpan.FromSeconds(reader.Integer("sessionExpirySeconds", 0, 30L * 86_400, 86_400));
        var keepAlive = TimeSpan.FromSeconds(reader.Integer("keepAliveSeconds", 1, 65_535, 30));
        return new MqttConnectionConfig(host, port, clientId, username, password, tls, clean, expiry, keepAlive);
    }
}

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// How the agent connects to a broker (MQTT 5). With <see cref="CleanSession"/> false the broker
/// keeps the session for <see cref="SessionExpiry"/> after a disconnect, so QoS 1 messages published
/// meanwhile are delivered on reconnect; that needs a stable <see cref="ClientId"/>.
/// </summary>
/// <param name="Host">Host name or IP address of the broker.</param>
/// <param name="Port">TCP port (1883, or 8883 with TLS, by default).</param>
/// <param name="ClientId">Client id, stable across restarts (the session is keyed by it).</param>
/// <param name="Username">User name, or null for anonymous.</param>
/// <param name="Password">Password, only with a user name.</param>
/// <param name="Tls">TLS settings, or null for plain TCP.</param>
/// <param name="CleanSession">True: start a fresh session at every connect (messages sent while away are lost).</param>
/// <param name="SessionExpiry">How long the broker keeps the session after a disconnect (ignored with a clean session).</param>
/// <param name="KeepAlive">MQTT keep-alive: the broker and the client detect a dead link after 1.5 times this.</param>
public sealed record MqttConnectionConfig(
    string Host,
    int Port,
    string ClientId,
    string? Username,
    string? Password,
    MqttTlsConfig? Tls,
    bool CleanSession,
    TimeSpan SessionExpiry,
    TimeSpan KeepAlive)
{
    /// <summary>The broker's address, for messages (never the credentials).</summary>
    public string Endpoint => $"{(Tls is null ? "mqtt" : "mqtts")}://{Host}:{Port}";
}

/// <summary>TLS to the broker. The server certificate is checked against the system store, or <see cref="CaFile"/> when given.</summary>
/// <param name="CaFile">PEM file of the CA that signed the broker's certificate, or null for the system store.</param>
/// <param name="AllowUntrusted">Accept any server certificate (testing only; logged at start).</param>
public sealed record MqttTlsConfig(string? CaFile, bool AllowUntrusted);

namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>The trend line extended to <see cref="At"/> with its 95 % prediction interval [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
internal sealed record ForecastView(string At, double Value, double Lower, double Upper, double Confidence);

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeCloud.Edge.Time;

/// <summary>Registers the clock status.</summary>
public static class TimeServiceCollectionExtensions
{
    /// <summary>Adds the kernel clock status unless another one is registered.</summary>
    public static IServiceCollection AddClockStatus(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IClockStatus>(sp => new KernelClockStatus(sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}

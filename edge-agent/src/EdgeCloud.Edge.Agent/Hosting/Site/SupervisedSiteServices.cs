namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary><see cref="ISiteServices"/> read from the supervisor: the services of the site it runs now.</summary>
internal sealed class SupervisedSiteServices(SiteSupervisor supervisor) : ISiteServices
{
    public IServiceProvider? Current => supervisor.Current?.Services;
}

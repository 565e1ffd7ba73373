namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// The roles of a user inside its tenant, weakest first: a viewer reads; an operator also changes agents
/// (labels, config, commands); an admin also manages users, enrollment tokens and revocation.
/// </summary>
public static class FleetRoles
{
    /// <summary>Reads everything of its tenant.</summary>
    public const string Viewer = "viewer";

    /// <summary>Viewer, plus changes to agents.</summary>
    public const string Operator = "operator";

    /// <summary>Operator, plus users, tokens, revocation and the audit log.</summary>
    public const string Admin = "admin";

    /// <summary>Every role name.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>Authorization policy: any role.</summary>
    public const string ViewerPolicy = "fleet.viewer";

    /// <summary>Authorization policy: operator or admin.</summary>
    public const string OperatorPolicy = "fleet.operator";

    /// <summary>Authorization policy: admin.</summary>
    public const string AdminPolicy = "fleet.admin";
}

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The <c>rules</c> section of a site config. Invariants after validation: rule names are unique;
/// every tag a rule reads is a configured device tag, a tag some rule derives, or one listed in
/// <see cref="ExternalTags"/>; derived tags live on <see cref="DerivedDevice"/>, which is not a
/// configured device.
/// </summary>
/// <param name="DerivedDevice">Device name under which rules publish derived tags ("derived" by default).</param>
/// <param name="ExternalTags">Tags produced by other stages (model outputs) that rules may read.</param>
/// <param name="Rules">The rules, in config order.</param>
public sealed record RulesConfig(string DerivedDevice, IReadOnlyList<string> ExternalTags, IReadOnlyList<RuleConfig> Rules)
{
    /// <summary>The default <see cref="DerivedDevice"/>.</summary>
    public const string DefaultDerivedDevice = "derived";
}

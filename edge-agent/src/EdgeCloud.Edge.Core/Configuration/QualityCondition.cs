namespace EdgeCloud.Edge.Configuration;

/// <summary>When a <see cref="RuleKind.Quality"/> rule is active.</summary>
public enum QualityCondition
{
    /// <summary><c>bad</c>: any bad reason.</summary>
    Bad,

    /// <summary><c>notGood</c>: uncertain or bad.</summary>
    NotGood,
}

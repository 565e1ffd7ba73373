namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>A shelving or suppression of rule + tag until <paramref name="Until"/>.</summary>
/// <param name="Rule">Rule name.</param>
/// <param name="Tag">Tag address.</param>
/// <param name="Suppression">True for a suppression, false for a shelving.</param>
/// <param name="Until">When it ends by itself.</param>
/// <param name="User">Who put it in place.</param>
public sealed record AlarmShelf(string Rule, string Tag, bool Suppression, DateTimeOffset Until, string User);

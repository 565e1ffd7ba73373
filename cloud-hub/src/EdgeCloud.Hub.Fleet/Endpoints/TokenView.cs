namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>A JWT the hub issued: send it as <c>Authorization: Bearer &lt;accessToken&gt;</c> until it expires.</summary>
/// <param name="AccessToken">The signed token.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">Seconds until it expires.</param>
public sealed record TokenView(string AccessToken, string TokenType, int ExpiresIn);

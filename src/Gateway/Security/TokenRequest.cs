namespace CreditGrid.Gateway.Security;

/// <summary>What a token should say: who, in which roles, for which organisation, for how long.</summary>
public sealed record TokenRequest(string Subject, IReadOnlyList<string> Roles, string? Uscc, TimeSpan Lifetime);

/// <summary>A signed token and the moment it stops being accepted.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

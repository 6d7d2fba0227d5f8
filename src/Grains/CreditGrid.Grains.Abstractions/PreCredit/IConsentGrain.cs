namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// An enterprise's authorisations (授权) of banks to query its credit information for pre-credit, keyed by the
/// enterprise's USCC. Without a live authorisation no bank gets a decision about the enterprise.
/// </summary>
[Alias("creditgrid.IConsentGrain")]
public interface IConsentGrain : IGrainWithStringKey
{
    /// <summary>Grants (or renews) the bank's authorisation; the latest grant for a bank replaces the earlier one.</summary>
    [Alias("Grant")]
    Task<Authorisation> GrantAsync(string bank, string purpose, DateTimeOffset expiresAt);

    /// <summary>Revokes the bank's authorisation; false when the bank has none in force.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string bank);

    /// <summary>Every authorisation ever granted, newest first, with its status at the time of asking.</summary>
    [Alias("List")]
    Task<IReadOnlyList<Authorisation>> ListAsync();

    /// <summary>True when the bank holds an authorisation that is neither revoked nor expired at <paramref name="at"/>.</summary>
    [Alias("IsAuthorised")]
    Task<bool> IsAuthorisedAsync(string bank, DateTimeOffset at);
}

/// <summary>One authorisation of a bank by an enterprise.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.authorisation.v1")]
public sealed record Authorisation(
    [property: Id(0)] string Bank,
    [property: Id(1)] string Purpose,
    [property: Id(2)] DateTimeOffset GrantedAt,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] DateTimeOffset? RevokedAt)
{
    /// <summary>
    /// How far before <see cref="GrantedAt"/> an instant still counts as after the grant. <see cref="GrantedAt"/> is read
    /// from the clock of the silo that holds the consent grain, and a decision asks with the clock of the silo that
    /// decides: a bank that grants and asks at once must not be refused because the second clock runs a few
    /// milliseconds behind the first. Expiry and revocation get no such allowance; they err on the side of refusing.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(2);

    /// <summary>In force at <paramref name="at"/>: granted (within <see cref="ClockSkewAllowance"/>), not revoked, not expired.</summary>
    public bool IsLive(DateTimeOffset at) => RevokedAt is null && GrantedAt - ClockSkewAllowance <= at && at < ExpiresAt;
}

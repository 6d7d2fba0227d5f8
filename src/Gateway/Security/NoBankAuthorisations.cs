namespace CreditGrid.Gateway.Security;

/// <summary>
/// Stand-in until the consent registry (grants with expiry and revocation) is wired in: no enterprise has authorised
/// any bank, so banks are refused every subject. Failing closed is the only safe default for consent.
/// </summary>
public sealed class NoBankAuthorisations : IBankAuthorisations
{
    public Task<bool> IsAuthorisedAsync(string enterpriseUscc, string bankUscc, CancellationToken ct) => Task.FromResult(false);
}

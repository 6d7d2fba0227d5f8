namespace CreditGrid.Gateway.Security;

/// <summary>Whether an enterprise has authorised a bank to see its credit evaluation (the consent registry).</summary>
public interface IBankAuthorisations
{
    Task<bool> IsAuthorisedAsync(string enterpriseUscc, string bankUscc, CancellationToken ct);
}

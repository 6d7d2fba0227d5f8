using CreditGrid.Grains;
using CreditGrid.Grains.PreCredit;

namespace CreditGrid.Gateway.Security;

/// <summary>A bank may see an enterprise while the enterprise's consent grain holds a live authorisation of it.</summary>
public sealed class ConsentBankAuthorisations(IGrainFactory grains, TimeProvider time) : IBankAuthorisations
{
    public Task<bool> IsAuthorisedAsync(string enterpriseUscc, string bankUscc, CancellationToken ct) =>
        grains.Reference<IConsentGrain>(enterpriseUscc).IsAuthorisedAsync(bankUscc, time.GetUtcNow());
}

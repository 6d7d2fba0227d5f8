using CreditGrid.Storage.PreCredit;

namespace CreditGrid.Grains.PreCredit;

/// <summary>An enterprise's authorisations of banks; durable through the grid's grain storage.</summary>
[GrainType("precredit-consent")]
public sealed class ConsentGrain(
    [PersistentState("consent", CreditStorage.StateStorageName)] IPersistentState<ConsentState> state,
    IPreCreditDecisionStore store,
    TimeProvider time) : Grain, IConsentGrain
{
    public async Task<Authorisation> GrantAsync(string bank, string purpose, DateTimeOffset expiresAt)
    {
        var now = time.GetUtcNow();
        var list = state.State.Authorisations;
        for (var i = 0; i < list.Count; i++)
        {
            // A new grant ends the bank's earlier one, so at most one authorisation per bank is live.
            if (list[i].Bank == bank && list[i].RevokedAt is null && list[i].ExpiresAt > now)
            {
                list[i] = list[i] with { RevokedAt = now };
            }
        }

        var granted = new Authorisation(bank, purpose, now, expiresAt, null);
        list.Add(granted);
        await state.WriteStateAsync();
        await store.RegisterEnterpriseAsync(this.GetPrimaryKeyString(), now);
        return granted;
    }

    public async Task<bool> RevokeAsync(string bank)
    {
        var now = time.GetUtcNow();
        var list = state.State.Authorisations;
        var revoked = false;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Bank == bank && list[i].IsLive(now))
            {
                list[i] = list[i] with { RevokedAt = now };
                revoked = true;
            }
        }

        if (revoked)
        {
            await state.WriteStateAsync();
        }

        return revoked;
    }

    public Task<IReadOnlyList<Authorisation>> ListAsync() =>
        Task.FromResult<IReadOnlyList<Authorisation>>([.. state.State.Authorisations.OrderByDescending(a => a.GrantedAt)]);

    public Task<bool> IsAuthorisedAsync(string bank, DateTimeOffset at) =>
        Task.FromResult(state.State.Authorisations.Exists(a => a.Bank == bank && a.IsLive(at)));
}

/// <summary>Every authorisation the enterprise granted, kept after expiry or revocation as evidence.</summary>
[GenerateSerializer, Alias("creditgrid.consent-state.v1")]
public sealed class ConsentState
{
    [Id(0)]
    public List<Authorisation> Authorisations { get; set; } = [];
}

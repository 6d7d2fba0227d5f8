using CreditGrid.Storage.PreCredit;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// An enterprise's authorisations of banks; durable through the grid's grain storage, and posted on the silo's
/// <see cref="ConsentBoard"/> while active (withdrawn before every change).
/// </summary>
[GrainType("precredit-consent")]
public sealed class ConsentGrain(
    [PersistentState("consent", CreditStorage.StateStorageName)] IPersistentState<ConsentState> state,
    IPreCreditDecisionStore store,
    ConsentBoard board,
    TimeProvider time) : Grain, IConsentGrain
{
    private bool _posted;

    private string Enterprise => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Only the current activation may have a posting: clear one an earlier activation left behind.
        board.Withdraw(Enterprise);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        TakeDownPosting();
        return Task.CompletedTask;
    }

    public async Task<Authorisation> GrantAsync(string bank, string purpose, DateTimeOffset expiresAt)
    {
        TakeDownPosting();
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
        TakeDownPosting();
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

    public Task<bool> IsAuthorisedAsync(string bank, DateTimeOffset at)
    {
        if (!_posted)
        {
            // A copy: the grain changes its own list in place, and the board is read from other threads.
            _posted = board.Post(Enterprise, [.. state.State.Authorisations]);
        }

        return Task.FromResult(state.State.Authorisations.Exists(a => a.Bank == bank && a.IsLive(at)));
    }

    /// <summary>Called before any change, so the board never answers with authorisations older than the grain's.</summary>
    private void TakeDownPosting()
    {
        if (_posted)
        {
            board.Withdraw(Enterprise);
            _posted = false;
        }
    }
}

/// <summary>Every authorisation the enterprise granted, kept after expiry or revocation as evidence.</summary>
[GenerateSerializer, Alias("creditgrid.consent-state.v1")]
public sealed class ConsentState
{
    [Id(0)]
    public List<Authorisation> Authorisations { get; set; } = [];
}

using System.Collections.Concurrent;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Time;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Subjects;

/// <summary>
/// The silo's board of read documents: each subject grain active in this silo posts the document it rendered for a
/// lookup and the pre-credit features it extracted for a decision, and takes both down the moment its evaluation
/// changes or it deactivates. The single-process gateway answers a lookup from the board, and the silo's pre-credit
/// desk takes an enterprise's features from it, when the subject has a valid posting; both call the grain otherwise.
/// </summary>
/// <remarks>
/// <para>
/// Why: a lookup that reaches its grain is an Orleans message, and the runtime's bookkeeping for it (the activation's
/// request queue, running-request table and task queue) writes the young message into long-lived activation objects.
/// Spread over a hundred thousand warm subjects, every gen0 collection then scans thousands of scattered dirty cards:
/// its pauses were 4–6 ms during lookups against about 1 ms for the constant endpoint, and they set the lookup p99. A
/// board read touches one dictionary and no activation.
/// </para>
/// <para>
/// A posting is only ever as new as its grain: the grain posts from inside its turn, after letting time pass and
/// moving to the active rules, and withdraws in the turn that changes the evaluation, so a board read is a read
/// ordered just before that change. The two things that change a subject without a turn are checked here on every
/// read: the active rules version (a rules change makes every posting of the old version a miss) and time (a posting
/// stops being served at the subject's next time-driven change, the moment its grain would re-evaluate on a read).
/// </para>
/// <para>
/// The board is open only in the single-process grid (<see cref="ReadBoardOptions.Enabled"/>, set by the
/// gateway that co-hosts the grid's only silo), where an activation is the subject's only one by construction. In a
/// cluster a gateway is an Orleans client and always calls the grain, and a closed board takes no postings. Open, it
/// holds the document the grain holds anyway: one dictionary entry per read subject and no copy.
/// </para>
/// </remarks>
public sealed class SubjectDocumentBoard(ActiveRules rules, GridClock time, IOptions<ReadBoardOptions> options)
{
    private readonly ConcurrentDictionary<string, Posting> _enterprises = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Posting> _governmentBodies = new(StringComparer.Ordinal);

    /// <summary>Whether grains post here and a co-hosted gateway may read from here.</summary>
    public bool Enabled { get; } = options.Value.Enabled;

    /// <summary>Postings on the board, valid or not yet found stale.</summary>
    public int Count => _enterprises.Count + _governmentBodies.Count;

    /// <summary>The subject's posted document if it is still what its grain would answer now; otherwise null.</summary>
    public SubjectDocument? Read(string subjectId, bool governmentBody) => Valid(subjectId, governmentBody)?.Document;

    /// <summary>The enterprise's posted pre-credit features if they are still what its grain would answer now; otherwise null.</summary>
    public PreCreditFeatures? ReadPreCreditFeatures(string enterpriseId) => Valid(enterpriseId, governmentBody: false)?.Features;

    /// <summary>
    /// Posts what the subject's grain answers for reads of its current evaluation — the lookup document, the pre-credit
    /// features, or both (a null is not yet rendered) — made under <paramref name="rulesVersion"/>, to be served until
    /// <paramref name="validUntil"/> (the evaluation's next time-driven change; null when time alone never changes it).
    /// A posting replaces the subject's previous one whole.
    /// </summary>
    /// <returns>Whether it was posted: false on a closed board.</returns>
    public bool Post(string subjectId, bool governmentBody, SubjectDocument? document, PreCreditFeatures? features, string rulesVersion, DateTimeOffset? validUntil)
    {
        if (!Enabled)
        {
            return false;
        }

        Postings(governmentBody)[subjectId] = new Posting(document, features, rulesVersion, validUntil);
        return true;
    }

    public void Withdraw(string subjectId, bool governmentBody)
    {
        // A closed board holds nothing: every activation of a cluster's silos withdraws, and need not hash its key.
        if (Enabled)
        {
            Postings(governmentBody).TryRemove(subjectId, out _);
        }
    }

    private Posting? Valid(string subjectId, bool governmentBody)
    {
        if (!Postings(governmentBody).TryGetValue(subjectId, out var posting))
        {
            return null;
        }

        if (!string.Equals(posting.RulesVersion, rules.Version, StringComparison.Ordinal))
        {
            return null;
        }

        return posting.ValidUntil is { } until && until <= time.GetUtcNow() ? null : posting;
    }

    private ConcurrentDictionary<string, Posting> Postings(bool governmentBody) => governmentBody ? _governmentBodies : _enterprises;

    private sealed record Posting(SubjectDocument? Document, PreCreditFeatures? Features, string RulesVersion, DateTimeOffset? ValidUntil);
}

/// <summary>
/// Whether the silo's read boards (<see cref="SubjectDocumentBoard"/>, <see cref="PreCredit.ConsentBoard"/>) are open;
/// set in code by the single-process gateway, whose silo is the grid's only one.
/// </summary>
public sealed class ReadBoardOptions
{
    public bool Enabled { get; set; }
}

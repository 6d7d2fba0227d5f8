using System.Collections.Concurrent;
using CreditGrid.Grains.Subjects;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The silo's board of enterprises' authorisations: each consent grain active in this silo posts a copy of its
/// authorisations when asked whether a bank may see the enterprise, and takes it down in the turn that grants or revokes
/// one, and when it deactivates. The silo's pre-credit desk answers the consent question from the board when the
/// enterprise has a posting and asks the grain otherwise.
/// </summary>
/// <remarks>
/// Why: a decision asked the consent grain on every request, an Orleans call whose messages and bookkeeping cost the
/// single-process grid about as much CPU as the model's score, on the path whose p99 the pre-credit benchmark measures.
/// Like <see cref="SubjectDocumentBoard"/>, the board is open only in the single-process grid
/// (<see cref="ReadBoardOptions.Enabled"/>), where the grain's activation is provably the enterprise's only one. The
/// withdrawal precedes the change and the grain answers a grant or revocation only after it, so a decision that starts
/// after a revocation was acknowledged cannot find the revoked authorisation here. Expiry needs no withdrawal: it is
/// checked against the decision's own instant, as the grain checks it.
/// </remarks>
public sealed class ConsentBoard(IOptions<ReadBoardOptions> options)
{
    private readonly ConcurrentDictionary<string, Authorisation[]> _postings = new(StringComparer.Ordinal);

    /// <summary>Whether consent grains post here and the desk reads from here.</summary>
    public bool Enabled { get; } = options.Value.Enabled;

    /// <summary>
    /// Whether <paramref name="bank"/> holds an authorisation of <paramref name="enterprise"/> live at
    /// <paramref name="at"/>, as the enterprise's consent grain would answer; null when the enterprise has no posting.
    /// </summary>
    public bool? IsAuthorised(string enterprise, string bank, DateTimeOffset at)
    {
        if (!_postings.TryGetValue(enterprise, out var authorisations))
        {
            return null;
        }

        foreach (var authorisation in authorisations)
        {
            if (authorisation.Bank == bank && authorisation.IsLive(at))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Posts the enterprise's authorisations, a copy its grain no longer changes.</summary>
    /// <returns>Whether they were posted: false on a closed board.</returns>
    public bool Post(string enterprise, Authorisation[] authorisations)
    {
        if (!Enabled)
        {
            return false;
        }

        _postings[enterprise] = authorisations;
        return true;
    }

    public void Withdraw(string enterprise)
    {
        if (Enabled)
        {
            _postings.TryRemove(enterprise, out _);
        }
    }
}
